/**
 * The embedded platform's stand-in for Lambda's DynamoDB Stream event source mappings: one
 * poller per `AWS::Lambda::EventSourceMapping` of the synthesized template (read by
 * `local/assembly.ts`), on DynamoDB Local's Streams API, invoking the same handler through the
 * local Lambda runtime with the same `DynamoDBStreamEvent`. State under the data directory:
 * `streams/<mappingId>.json` (per-shard checkpoints), `dead-letters/<mappingId>.jsonl` (batches
 * that failed every retry; on AWS their metadata goes to the mapping's SQS queue).
 */
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { LocalStreamMapping } from '../assembly.ts';
import { CheckpointStore } from './checkpoints.ts';
import { type InvokeFailure, StreamPoller } from './poller.ts';

export interface StreamsOptions {
  mappings: readonly LocalStreamMapping[];
  /** DynamoDB Local: its client (tables) and endpoint (the Streams API on the same port). */
  dynamo: { client: DynamoDBClient; endpoint: string };
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  dataDir: string;
  invoke: (functionName: string, event: DynamoDBStreamEvent) => Promise<unknown>;
  /** The error as Lambda reports it when `error` is a function error; undefined for anything else. */
  functionError: (error: unknown) => InvokeFailure | undefined;
  /**
   * Longest wait to fill a batch: each mapping waits min(its `MaximumBatchingWindowInSeconds`,
   * this), so local batches go out within a second while a deployed mapping may wait longer.
   * @default 1000
   */
  maxBatchingWindowMs?: number;
  /** @default 100 */
  pollIntervalMs?: number;
  /** @default 200 */
  retryDelayMs?: number;
  /** @default 1000 */
  shardRefreshMs?: number;
  log?: (message: string) => void;
}

export interface LocalStreams {
  /** The pollers, by mapping id. */
  readonly pollers: ReadonlyMap<string, StreamPoller>;
  /**
   * Resolves when every mapping has processed every record written before the call (delivered,
   * filtered out or dead-lettered); rejects after `timeoutMs` naming the mappings still busy.
   */
  drained(options?: { timeoutMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

export function startStreams(options: StreamsOptions): LocalStreams {
  const streams = new DynamoDBStreamsClient({
    endpoint: options.dynamo.endpoint,
    region: options.region,
    credentials: options.credentials,
  });
  const pollers = new Map<string, StreamPoller>();
  for (const mapping of options.mappings) {
    if (pollers.has(mapping.mappingId))
      throw new Error(`Two stream mappings are named ${mapping.mappingId}.`);
    pollers.set(
      mapping.mappingId,
      new StreamPoller({
        mapping,
        dynamo: options.dynamo.client,
        streams,
        invoke: options.invoke,
        functionError: options.functionError,
        checkpoints: new CheckpointStore(join(options.dataDir, 'streams'), mapping.mappingId),
        deadLetterDir: join(options.dataDir, 'dead-letters'),
        region: options.region,
        maxBatchingWindowMs: options.maxBatchingWindowMs ?? 1000,
        pollIntervalMs: options.pollIntervalMs ?? 100,
        retryDelayMs: options.retryDelayMs ?? 200,
        shardRefreshMs: options.shardRefreshMs ?? 1000,
        log: options.log ?? (() => undefined),
      }),
    );
  }
  for (const poller of pollers.values()) poller.start();
  return {
    pollers,
    async drained({ timeoutMs = 60_000 } = {}) {
      const busy = new Set(pollers.keys());
      const all = Promise.all(
        [...pollers].map(async ([id, poller]) => {
          await poller.drained();
          busy.delete(id);
        }),
      );
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, fail) => {
        timer = setTimeout(
          () => fail(new Error(`Streams not drained after ${timeoutMs} ms: ${[...busy].join(', ')}`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([all, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async stop() {
      await Promise.all([...pollers.values()].map((p) => p.stop()));
      streams.destroy();
    },
  };
}
