/**
 * One event source mapping on a DynamoDB Local stream, run the way Lambda runs it: the shards
 * read in order (a child shard after its parent, one batch in flight per shard), records
 * filtered before batching, batches of up to `batchSize` sent when full or when the batching
 * window has passed, a partial batch response retried from its first failed record, a failing
 * batch bisected, and after `retryAttempts` retries the batch written to a dead-letter file; the
 * position per shard checkpointed so a restart resumes after the last processed record.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DescribeTableCommandOutput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { LocalStreamMapping } from '../assembly.ts';
import type { CheckpointStore } from './checkpoints.ts';
import { assertSupportedFilter, matchesAnyFilter } from './filter.ts';
import { lambdaRecord, regionalStreamArn } from './records.ts';

/** A function error as the runtime reports it (`errorType`, `errorMessage`). */
export interface InvokeFailure {
  errorType: string;
  errorMessage: string;
}

export interface PollerOptions {
  mapping: LocalStreamMapping;
  dynamo: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  /** Invokes the mapping's function; rejects with the function's error. */
  invoke: (functionName: string, event: DynamoDBStreamEvent) => Promise<unknown>;
  /** The error as Lambda would report it, when `error` is a function error; else undefined (a platform failure). */
  functionError: (error: unknown) => InvokeFailure | undefined;
  checkpoints: CheckpointStore;
  /** Where batches that failed every retry are appended (`<mappingId>.jsonl`). */
  deadLetterDir: string;
  region: string;
  /** Longest the poller waits to fill a batch: min(declared window, this). */
  maxBatchingWindowMs: number;
  /** Pause between polls of a shard that had nothing new. */
  pollIntervalMs: number;
  /** Pause before retrying a failed batch. */
  retryDelayMs: number;
  /** How often the shard list is read again (DynamoDB Local closes shards and opens children). */
  shardRefreshMs: number;
  log: (message: string) => void;
  now?: () => number;
}

/** The poller is stopping: the batch in hand is neither checkpointed nor dead-lettered. */
class StoppedError extends Error {
  override readonly name = 'StoppedError';
}

/** A record read from a shard and waiting for its batch. */
interface Pending {
  record: DynamoDBRecord;
  sequenceNumber: string;
  arrivedAt: number;
}

interface ShardState {
  shardId: string;
  parentShardId: string | undefined;
  iterator: string | undefined;
  /** The iterator was asked for (undefined after that means: closed and read to its end). */
  opened: boolean;
  finished: boolean;
  buffer: Pending[];
  /** When the oldest buffered record arrived: the batching window runs from it. */
  windowStartedAt: number | undefined;
  /** When a read that found nothing new started (with nothing buffered or in flight). */
  caughtUpAt: number;
  /** The last sequence number read (buffered or filtered out). */
  lastRead: string | undefined;
}

export class StreamPoller {
  readonly mappingId: string;
  private readonly options: PollerOptions;
  private readonly now: () => number;
  private readonly windowMs: number;
  private streamArn: string | undefined;
  private shards: ShardState[] = [];
  private listedAt = Number.NEGATIVE_INFINITY;
  private listDue = true;
  private stopping = false;
  private loop: Promise<void> | undefined;
  /** Pending pauses, and whether a drain may cut them short (polls may; retry delays may not). */
  private readonly sleepers = new Map<() => void, boolean>();
  private readonly watchers = new Set<() => void>();

  constructor(options: PollerOptions) {
    this.options = options;
    this.mappingId = options.mapping.mappingId;
    this.now = options.now ?? Date.now;
    this.windowMs = Math.min(options.mapping.maxBatchingWindowSec * 1000, options.maxBatchingWindowMs);
    for (const pattern of options.mapping.filters) assertSupportedFilter(pattern);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /**
   * Resolves once every record written before the call has been processed: the shard list was
   * read again since, and each shard not read to its end has since been polled and found nothing
   * new, with nothing buffered or in flight.
   */
  drained(): Promise<void> {
    const since = this.now();
    this.listDue = true;
    for (const [wake, pollOnly] of [...this.sleepers]) if (pollOnly) wake();
    return new Promise((resolve) => {
      const check = () => {
        if (!this.isDrainedSince(since) && !this.stopping) return;
        this.watchers.delete(check);
        resolve();
      };
      this.watchers.add(check);
      check();
    });
  }

  /** Stops polling; waits for the batch in flight up to `graceMs`, which is then redelivered on the next start. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    for (const wake of [...this.sleepers.keys()]) wake();
    for (const watcher of [...this.watchers]) watcher();
    if (this.loop) await Promise.race([this.loop, sleep(graceMs)]);
  }

  private isDrainedSince(since: number): boolean {
    if (!this.options.mapping.enabled) return true;
    if (this.listedAt < since) return false;
    return this.shards.every((s) => s.finished || (s.buffer.length === 0 && s.caughtUpAt >= since));
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) watcher();
  }

  private async run(): Promise<void> {
    if (!this.options.mapping.enabled) return;
    while (!this.stopping) {
      let progressed = false;
      try {
        if (this.listDue || this.now() - this.listedAt >= this.options.shardRefreshMs)
          await this.listShards();
        for (const shard of this.shards) {
          if (this.stopping) break;
          if (!shard.finished && this.ready(shard)) progressed = (await this.step(shard)) || progressed;
        }
      } catch (error) {
        if (error instanceof StoppedError || this.stopping) break;
        this.options.log(`stream ${this.mappingId}: ${(error as Error).name}: ${(error as Error).message}`);
        // Start over from the checkpoints: expired iterators, a stream DynamoDB Local replaced.
        for (const shard of this.shards) resetShard(shard);
        this.listDue = true;
        await this.pause(this.options.retryDelayMs, false);
        continue;
      }
      this.notify();
      if (!progressed) await this.pause(this.options.pollIntervalMs, true);
    }
    this.notify();
  }

  /** Waits `ms`, or less when stopping (or, for a poll pause, when a drain is awaited). */
  private pause(ms: number, pollOnly: boolean): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.set(done, pollOnly);
    });
  }

  /** A child shard waits for its parent to be read to its end (parents no longer listed were trimmed). */
  private ready(shard: ShardState): boolean {
    const parent = this.shards.find((s) => s.shardId === shard.parentShardId);
    return !parent || parent.finished;
  }

  private async listShards(): Promise<void> {
    const startedAt = this.now();
    this.listDue = false;
    const { dynamo, streams, mapping, checkpoints } = this.options;
    let table: DescribeTableCommandOutput['Table'];
    try {
      table = (await dynamo.send(new DescribeTableCommand({ TableName: mapping.tableName }))).Table;
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    }
    const streamArn = table?.StreamSpecification?.StreamEnabled ? table.LatestStreamArn : undefined;
    if (streamArn !== this.streamArn) {
      this.streamArn = streamArn;
      this.shards = [];
    }
    if (!streamArn) {
      this.listedAt = startedAt;
      return;
    }
    const listed: Shard[] = [];
    let exclusiveStart: string | undefined;
    do {
      const page = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStart }),
      );
      listed.push(...(page.StreamDescription?.Shards ?? []));
      exclusiveStart = page.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStart);

    const kept = checkpoints.shards(streamArn);
    const byId = new Map(this.shards.map((s) => [s.shardId, s]));
    this.shards = listed.flatMap((shard) => {
      const id = shard.ShardId;
      if (!id) return [];
      return [
        byId.get(id) ?? {
          shardId: id,
          parentShardId: shard.ParentShardId,
          iterator: undefined,
          opened: false,
          finished: kept[id]?.finished === true,
          buffer: [],
          windowStartedAt: undefined,
          caughtUpAt: Number.NEGATIVE_INFINITY,
          lastRead: undefined,
        },
      ];
    });
    checkpoints.retain(streamArn, new Set(this.shards.map((s) => s.shardId)));
    this.listedAt = startedAt;
  }

  /** One poll of a shard, and one batch if one is due; true when anything moved. */
  private async step(shard: ShardState): Promise<boolean> {
    const streamArn = this.streamArn as string;
    if (!shard.opened) {
      shard.iterator = await this.openIterator(streamArn, shard);
      shard.opened = true;
    }
    const { mapping } = this.options;
    const startedAt = this.now();
    let read = 0;
    if (shard.iterator && shard.buffer.length < mapping.batchSize) {
      const page = await this.options.streams
        .send(new GetRecordsCommand({ ShardIterator: shard.iterator }))
        .catch((error: Error) => {
          // An iterator that expired, or that DynamoDB Local now says points before the shard's
          // oldest record (seen on long-idle shards): open the shard again from the checkpoint.
          if (error.name === 'ExpiredIteratorException' || error.name === 'TrimmedDataAccessException')
            return undefined;
          error.message = `GetRecords in ${shard.shardId} (after ${shard.lastRead ?? 'its start'}): ${error.message}`;
          throw error;
        });
      if (!page) {
        resetShard(shard);
        return false;
      }
      shard.iterator = page.NextShardIterator;
      const records = page.Records ?? [];
      read = records.length;
      const eventArn = regionalStreamArn(streamArn, this.options.region);
      for (const record of records) {
        const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
        const event = lambdaRecord(record, { region: this.options.region, streamArn: eventArn });
        shard.lastRead = sequenceNumber;
        if (matchesAnyFilter(mapping.filters, event)) {
          shard.buffer.push({ record: event, sequenceNumber, arrivedAt: this.now() });
          shard.windowStartedAt ??= this.now();
        }
      }
      // Records that no filter matched are processed as far as the position goes.
      if (shard.buffer.length === 0 && records.length > 0 && shard.lastRead)
        this.checkpoint(shard, shard.lastRead);
    }

    const closed = shard.opened && shard.iterator === undefined;
    const due =
      shard.buffer.length >= mapping.batchSize ||
      closed ||
      (shard.windowStartedAt !== undefined && this.now() - shard.windowStartedAt >= this.windowMs);
    if (shard.buffer.length > 0 && due) {
      const batch = shard.buffer.slice(0, mapping.batchSize);
      await this.deliver(shard, batch, 0);
      shard.buffer.splice(0, batch.length);
      if (shard.buffer.length === 0) {
        shard.windowStartedAt = undefined;
        // Past the records read after the batch that no filter matched, too.
        if (shard.lastRead && shard.lastRead !== lastOf(batch).sequenceNumber)
          this.checkpoint(shard, shard.lastRead);
      }
      return true;
    }
    if (closed && shard.buffer.length === 0) {
      shard.finished = true;
      this.options.checkpoints.set(streamArn, shard.shardId, { finished: true });
      return true;
    }
    if (read === 0 && shard.buffer.length === 0) shard.caughtUpAt = startedAt;
    return read > 0;
  }

  /** After the checkpoint; from the start (or the end, `LATEST`) of a shard without one, or whose checkpoint was trimmed. */
  private async openIterator(streamArn: string, shard: ShardState): Promise<string | undefined> {
    const checkpoint = this.options.checkpoints.get(streamArn, shard.shardId)?.sequenceNumber;
    const initial = (
      this.options.mapping.startingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON'
    ) as ShardIteratorType;
    const request = async (type: ShardIteratorType, sequenceNumber?: string) =>
      (
        await this.options.streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shard.shardId,
            ShardIteratorType: type,
            ...(sequenceNumber ? { SequenceNumber: sequenceNumber } : {}),
          }),
        )
      ).ShardIterator;
    try {
      return checkpoint ? await request('AFTER_SEQUENCE_NUMBER', checkpoint) : await request(initial);
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'ResourceNotFoundException') {
        // The shard is gone (trimmed): nothing left to read in it.
        return undefined;
      }
      if (checkpoint && (name === 'TrimmedDataAccessException' || name === 'ValidationException')) {
        this.options.log(
          `stream ${this.mappingId}: checkpoint in ${shard.shardId} expired, reading it from its start`,
        );
        return request('TRIM_HORIZON');
      }
      throw error;
    }
  }

  private checkpoint(shard: ShardState, sequenceNumber: string): void {
    this.options.checkpoints.set(this.streamArn as string, shard.shardId, { sequenceNumber });
  }

  /**
   * Invokes the function with `batch` until it is processed: a partial batch response is retried
   * from its first failed record, a function error on more than one record bisects the batch
   * (each half keeps the retries left), and after `retryAttempts` retries what is left goes to
   * the dead-letter file. The position advances as records are processed.
   */
  private async deliver(shard: ShardState, batch: Pending[], retriesUsed: number): Promise<void> {
    const { mapping } = this.options;
    let pending = batch;
    let retries = retriesUsed;
    for (;;) {
      if (this.stopping) throw new StoppedError('stopping');
      const failure = await this.invoke(pending);
      if (failure === undefined) {
        this.checkpoint(shard, lastOf(pending).sequenceNumber);
        return;
      }
      if (failure.kind === 'partial' && failure.firstFailed > 0) {
        this.checkpoint(shard, (pending[failure.firstFailed - 1] as Pending).sequenceNumber);
        pending = pending.slice(failure.firstFailed);
      }
      const exhausted = mapping.retryAttempts !== undefined && retries >= mapping.retryAttempts;
      if (exhausted) {
        this.deadLetter(shard, pending, retries + 1, failure);
        this.checkpoint(shard, lastOf(pending).sequenceNumber);
        return;
      }
      retries++;
      await this.pause(this.options.retryDelayMs, false);
      if (failure.kind === 'error' && mapping.bisectBatchOnFunctionError && pending.length > 1) {
        const half = Math.ceil(pending.length / 2);
        await this.deliver(shard, pending.slice(0, half), retries);
        await this.deliver(shard, pending.slice(half), retries);
        return;
      }
    }
  }

  /** Undefined when the batch was processed; else how it failed. */
  private async invoke(
    batch: Pending[],
  ): Promise<
    | undefined
    | { kind: 'error'; error: InvokeFailure }
    | { kind: 'partial'; firstFailed: number; identifiers: unknown[] }
  > {
    const { mapping } = this.options;
    let response: unknown;
    try {
      response = await this.options.invoke(mapping.functionName, { Records: batch.map((p) => p.record) });
    } catch (error) {
      if (this.stopping) throw new StoppedError('stopping');
      const functionError = this.options.functionError(error);
      if (!functionError) throw error;
      return { kind: 'error', error: functionError };
    }
    if (!mapping.reportBatchItemFailures) return undefined;
    return partialFailure(response, batch);
  }

  private deadLetter(
    shard: ShardState,
    batch: Pending[],
    invokeCount: number,
    failure: { kind: 'error'; error: InvokeFailure } | { kind: 'partial'; identifiers: unknown[] },
  ): void {
    const { mapping, deadLetterDir } = this.options;
    mkdirSync(deadLetterDir, { recursive: true });
    const first = batch[0] as Pending;
    const last = lastOf(batch);
    // The shape of Lambda's on-failure record for stream sources, plus (locally) the records.
    const entry = {
      requestContext: {
        requestId: randomUUID(),
        functionArn: mapping.functionName,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: invokeCount,
      },
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(failure.kind === 'error' ? { functionError: 'Unhandled' } : {}),
      },
      version: '1.0',
      timestamp: new Date(this.now()).toISOString(),
      DDBStreamBatchInfo: {
        shardId: shard.shardId,
        startSequenceNumber: first.sequenceNumber,
        endSequenceNumber: last.sequenceNumber,
        approximateArrivalOfFirstRecord: new Date(first.arrivedAt).toISOString(),
        approximateArrivalOfLastRecord: new Date(last.arrivedAt).toISOString(),
        batchSize: batch.length,
        streamArn: regionalStreamArn(this.streamArn as string, this.options.region),
      },
      mappingId: mapping.mappingId,
      ...(failure.kind === 'error'
        ? { error: failure.error }
        : { batchItemFailures: failure.identifiers.map((itemIdentifier) => ({ itemIdentifier })) }),
      records: batch.map((p) => p.record),
    };
    appendFileSync(join(deadLetterDir, `${mapping.mappingId}.jsonl`), `${JSON.stringify(entry)}\n`);
    this.options.log(
      `stream ${mapping.mappingId}: ${batch.length} record(s) from ${first.sequenceNumber} failed every retry: dead-lettered`,
    );
  }
}

/**
 * Reads a partial batch response as Lambda does: no response, no list or an empty list is
 * success; otherwise the batch is retried from its lowest failed record, and an identifier that
 * is missing, empty or names no record of the batch fails the whole batch.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
 */
export function partialFailure(
  response: unknown,
  batch: readonly { sequenceNumber: string }[],
): undefined | { kind: 'partial'; firstFailed: number; identifiers: unknown[] } {
  const failures = (response as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures;
  if (!Array.isArray(failures) || failures.length === 0) return undefined;
  const identifiers = failures.map((f) => (f as { itemIdentifier?: unknown } | null)?.itemIdentifier);
  const indexes = identifiers.map((id) =>
    typeof id === 'string' && id !== '' ? batch.findIndex((p) => p.sequenceNumber === id) : -1,
  );
  const firstFailed = indexes.includes(-1) ? 0 : Math.min(...indexes);
  return { kind: 'partial', firstFailed, identifiers };
}

function resetShard(shard: ShardState): void {
  shard.opened = false;
  shard.iterator = undefined;
  shard.buffer = [];
  shard.windowStartedAt = undefined;
  shard.lastRead = undefined;
}

function lastOf<T>(list: readonly T[]): T {
  return list[list.length - 1] as T;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
