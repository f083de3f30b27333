/**
 * The local stand-in for Lambda's DynamoDB Stream event source mappings, on DynamoDB Local's
 * Streams API: a tiny consumer (`fixtures/recording-handler.ts`) runs in the local Lambda
 * runtime, records each batch it gets, and fails records as their items ask.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionId } from '../../../lambdas/contracts/functions.ts';
import { LOCAL_REGION, type LocalFunction, type LocalStreamMapping } from '../../../local/assembly.ts';
import { type DynamoEmulator, LOCAL_CREDENTIALS, startDynamo } from '../../../local/emulators/dynamodb.ts';
import { FunctionError, LambdaRuntime } from '../../../local/lambda/runtime.ts';
import { type LocalStreams, startStreams } from '../../../local/streams/index.ts';
import { freePort } from '../../support/dynamo.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Delivered {
  pk: string;
  eventName: string;
  sequenceNumber: string;
  eventSource: string;
  awsRegion: string;
  eventSourceARN: string;
  created: string;
  viewType: string;
  images: string[];
}

let dir: string;
let dynamo: DynamoEmulator;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'showrunner-streams-'));
  dynamo = await startDynamo({ dataDir: null, port: await freePort() });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await dynamo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A table with a NEW_AND_OLD_IMAGES stream, as `ensureTables` makes the declared ones. */
async function streamTable(client: DynamoDBClient, name = `t-${randomUUID().slice(0, 8)}`): Promise<string> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  return name;
}

/** The recording consumer of `table`'s stream, with its mapping and data directory. */
function consumer(options: {
  db: DynamoEmulator;
  table: string;
  dataDir: string;
  mapping?: Partial<LocalStreamMapping>;
}) {
  const recordFile = join(options.dataDir, 'batches.jsonl');
  mkdirSync(options.dataDir, { recursive: true });
  const fn: LocalFunction = {
    logicalId: 'Recorder',
    name: `recorder-${options.table}`,
    arn: `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:recorder-${options.table}`,
    functionId: 'streamRecorder' as FunctionId,
    entry: 'test/integration/local/fixtures/recording-handler.ts',
    handler: 'handler',
    timeoutSec: 10,
    environment: { RECORD_FILE: recordFile },
  };
  const mapping: LocalStreamMapping = {
    logicalId: 'RecorderMapping',
    mappingId: 'RecorderEvents',
    functionName: fn.name,
    tableName: options.table,
    startingPosition: 'TRIM_HORIZON',
    batchSize: 10,
    maxBatchingWindowSec: 5,
    retryAttempts: 2,
    bisectBatchOnFunctionError: true,
    reportBatchItemFailures: true,
    filters: [],
    onFailure: undefined,
    enabled: true,
    ...options.mapping,
  };
  let lambda: LambdaRuntime | undefined;
  let streams: LocalStreams | undefined;
  const stop = async () => {
    await streams?.stop();
    await lambda?.close();
    streams = undefined;
    lambda = undefined;
  };
  cleanups.push(stop);
  return {
    mapping,
    start() {
      lambda = new LambdaRuntime({
        functions: [fn],
        repoRoot: REPO_ROOT,
        baseEnv: { PATH: process.env.PATH ?? '' },
      });
      const runtime = lambda;
      streams = startStreams({
        mappings: [mapping],
        dynamo: { client: options.db.client, endpoint: options.db.endpoint },
        credentials: LOCAL_CREDENTIALS,
        region: LOCAL_REGION,
        dataDir: options.dataDir,
        invoke: (name, event) => runtime.invoke(name, event),
        functionError: (error) => (error instanceof FunctionError ? error.payload : undefined),
        // Short waits: the window is min(declared 5 s, 200 ms) locally.
        maxBatchingWindowMs: 200,
        pollIntervalMs: 50,
        retryDelayMs: 20,
      });
    },
    drained: () => (streams as LocalStreams).drained({ timeoutMs: 30_000 }),
    stop,
    batches(): Delivered[][] {
      if (!existsSync(recordFile)) return [];
      return readFileSync(recordFile, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Delivered[]);
    },
    keys(): string[][] {
      return this.batches().map((batch) => batch.map((r) => `${r.pk}:${r.eventName}`));
    },
    deadLetters(): Record<string, unknown>[] {
      const file = join(options.dataDir, 'dead-letters', `${mapping.mappingId}.jsonl`);
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    checkpoints(): { streamArn: string; shards: Record<string, { sequenceNumber?: string }> } {
      return JSON.parse(readFileSync(join(options.dataDir, 'streams', `${mapping.mappingId}.json`), 'utf8'));
    },
  };
}

async function put(client: DynamoDBClient, table: string, pk: string, extra: Record<string, boolean> = {}) {
  await client.send(
    new PutItemCommand({
      TableName: table,
      Item: { pk: { S: pk }, ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, { BOOL: v }])) },
    }),
  );
}

describe('stream event source mappings on the embedded platform', () => {
  it('delivers the changes in order, in batches of at most batchSize, as DynamoDBStreamEvents', async () => {
    const table = await streamTable(dynamo.client);
    const stream = consumer({ db: dynamo, table, dataDir: join(dir, table), mapping: { batchSize: 2 } });
    for (const pk of ['k0', 'k1', 'k2', 'k3', 'k4']) await put(dynamo.client, table, pk);

    stream.start();
    await stream.drained();

    expect(stream.keys()).toEqual([['k0:INSERT', 'k1:INSERT'], ['k2:INSERT', 'k3:INSERT'], ['k4:INSERT']]);
    const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: table }));
    const [first] = stream.batches()[0] ?? [];
    expect(first).toMatchObject({
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: Table?.LatestStreamArn?.replace(':ddblocal:', ':us-east-1:'),
      created: 'number',
      viewType: 'NEW_AND_OLD_IMAGES',
      images: ['new'],
    });
  });

  it('waits for the batching window to fill a batch, then sends what it has', async () => {
    const table = await streamTable(dynamo.client);
    const stream = consumer({ db: dynamo, table, dataDir: join(dir, table), mapping: { batchSize: 100 } });
    stream.start();
    await stream.drained();

    await put(dynamo.client, table, 'a');
    await put(dynamo.client, table, 'b');
    await stream.drained();

    expect(stream.keys()).toEqual([['a:INSERT', 'b:INSERT']]);
  });

  it('retries a partial batch failure from the failed record, without the records before it', async () => {
    const table = await streamTable(dynamo.client);
    const stream = consumer({ db: dynamo, table, dataDir: join(dir, table) });
    await put(dynamo.client, table, 'a');
    await put(dynamo.client, table, 'b', { failOnce: true });
    await put(dynamo.client, table, 'c');

    stream.start();
    await stream.drained();

    expect(stream.keys()).toEqual([
      ['a:INSERT', 'b:INSERT', 'c:INSERT'],
      ['b:INSERT', 'c:INSERT'],
    ]);
    expect(stream.deadLetters()).toEqual([]);
  });

  it('after retryAttempts retries writes the failing records to the dead-letter file and moves on', async () => {
    const table = await streamTable(dynamo.client);
    const stream = consumer({ db: dynamo, table, dataDir: join(dir, table), mapping: { retryAttempts: 2 } });
    await put(dynamo.client, table, 'a');
    await put(dynamo.client, table, 'b', { fail: true });
    await put(dynamo.client, table, 'c');

    stream.start();
    await stream.drained();
    await put(dynamo.client, table, 'd');
    await stream.drained();

    expect(stream.keys()).toEqual([
      ['a:INSERT', 'b:INSERT', 'c:INSERT'],
      ['b:INSERT', 'c:INSERT'],
      ['b:INSERT', 'c:INSERT'],
      ['d:INSERT'],
    ]);
    const [b, c] = stream.batches()[1] ?? [];
    const letters = stream.deadLetters();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
      version: '1.0',
      DDBStreamBatchInfo: {
        batchSize: 2,
        startSequenceNumber: b?.sequenceNumber,
        endSequenceNumber: c?.sequenceNumber,
        streamArn: b?.eventSourceARN,
      },
      mappingId: 'RecorderEvents',
      batchItemFailures: [{ itemIdentifier: b?.sequenceNumber }],
    });
    const lettered = (letters[0]?.records ?? []) as { dynamodb: { Keys: unknown } }[];
    expect(lettered.map((r) => r.dynamodb.Keys)).toEqual([{ pk: { S: 'b' } }, { pk: { S: 'c' } }]);
  });

  it('bisects a batch whose invocation fails, and dead-letters only the record that keeps failing', async () => {
    const table = await streamTable(dynamo.client);
    const stream = consumer({ db: dynamo, table, dataDir: join(dir, table), mapping: { retryAttempts: 2 } });
    await put(dynamo.client, table, 'a');
    await put(dynamo.client, table, 'b');
    await put(dynamo.client, table, 'c', { throw: true });
    await put(dynamo.client, table, 'd');

    stream.start();
    await stream.drained();

    expect(stream.keys()).toEqual([
      ['a:INSERT', 'b:INSERT', 'c:INSERT', 'd:INSERT'],
      ['a:INSERT', 'b:INSERT'],
      ['c:INSERT', 'd:INSERT'],
      ['c:INSERT'],
      ['d:INSERT'],
    ]);
    const letters = stream.deadLetters();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      responseContext: { functionError: 'Unhandled' },
      error: { errorType: 'Error', errorMessage: 'asked to throw' },
      DDBStreamBatchInfo: { batchSize: 1 },
    });
  });

  it('delivers only what a filter matches, and counts the rest as processed', async () => {
    const table = await streamTable(dynamo.client);
    const stream = consumer({
      db: dynamo,
      table,
      dataDir: join(dir, table),
      mapping: {
        filters: [{ eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: 'keep#' }] } } } }],
      },
    });
    await put(dynamo.client, table, 'keep#1');
    await put(dynamo.client, table, 'drop#1');
    await dynamo.client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: { S: 'keep#1' } },
        UpdateExpression: 'SET n = :n',
        ExpressionAttributeValues: { ':n': { N: '1' } },
      }),
    );
    await put(dynamo.client, table, 'keep#2');
    await put(dynamo.client, table, 'drop#2');

    stream.start();
    await stream.drained();

    expect(stream.keys()).toEqual([['keep#1:INSERT', 'keep#2:INSERT']]);
    // The position is past the last record read, filtered out or not.
    const { shards } = stream.checkpoints();
    expect(Object.values(shards).map((s) => s.sequenceNumber)).toEqual([expect.stringMatching(/^\d+$/)]);
    const lastDelivered = stream.batches()[0]?.[1]?.sequenceNumber ?? '';
    expect(BigInt(Object.values(shards)[0]?.sequenceNumber ?? '0')).toBeGreaterThan(BigInt(lastDelivered));
  });

  it('stops polling when stopped, and delivers what was written meanwhile on the next start', async () => {
    const table = await streamTable(dynamo.client);
    const stream = consumer({ db: dynamo, table, dataDir: join(dir, table) });
    stream.start();
    await put(dynamo.client, table, 'a');
    await stream.drained();
    await stream.stop();

    await put(dynamo.client, table, 'b');
    await new Promise((r) => setTimeout(r, 500));
    expect(stream.keys()).toEqual([['a:INSERT']]);

    stream.start();
    await stream.drained();
    expect(stream.keys()).toEqual([['a:INSERT'], ['b:INSERT']]);
  });
});

describe('stream checkpoints', () => {
  it('resume after a restart of the platform and DynamoDB Local without redelivering processed records', async () => {
    const dataDir = join(dir, 'restart');
    const dbDir = join(dataDir, 'dynamodb');
    const port = await freePort();
    let db = await startDynamo({ dataDir: dbDir, port });
    cleanups.push(() => db.stop());
    const table = await streamTable(db.client);
    let stream = consumer({ db, table, dataDir });
    await put(db.client, table, 'a');
    await put(db.client, table, 'b');
    stream.start();
    await stream.drained();
    await stream.stop();
    await db.stop();

    db = await startDynamo({ dataDir: dbDir, port });
    stream = consumer({ db, table, dataDir });
    stream.start();
    await put(db.client, table, 'c');
    await stream.drained();

    expect(stream.keys()).toEqual([['a:INSERT', 'b:INSERT'], ['c:INSERT']]);
  });

  it('read the current shards from their start when the kept checkpoint names a shard the stream no longer has', async () => {
    const table = await streamTable(dynamo.client);
    const dataDir = join(dir, table);
    const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: table }));
    mkdirSync(join(dataDir, 'streams'), { recursive: true });
    writeFileSync(
      join(dataDir, 'streams', 'RecorderEvents.json'),
      JSON.stringify({
        streamArn: Table?.LatestStreamArn,
        shards: { 'shardId-00000000000000000000-gone': { sequenceNumber: '000000000000000000099' } },
      }),
    );
    const stream = consumer({ db: dynamo, table, dataDir });
    await put(dynamo.client, table, 'a');
    await put(dynamo.client, table, 'b');

    stream.start();
    await stream.drained();

    expect(stream.keys()).toEqual([['a:INSERT', 'b:INSERT']]);
    expect(Object.keys(stream.checkpoints().shards)).not.toContain('shardId-00000000000000000000-gone');
  });
});
