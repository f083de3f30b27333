/**
 * The embedded platform runs what the template declares: the table streams' event source
 * mappings (fed to the same handlers as `DynamoDBStreamEvent`s), every state machine, scheduled
 * rules on demand (a state machine target included), and faults injected by function id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECOMMENDATIONS_WORKFLOW } from '../../../lambdas/contracts/discovery.ts';
import {
  FUNCTIONS,
  type FunctionDeclaration,
  type FunctionId,
} from '../../../lambdas/contracts/functions.ts';
import { TABLES, type TableDeclaration, type TableId } from '../../../lambdas/contracts/tables.ts';
import { LOCAL_CREDENTIALS } from '../../../local/emulators/dynamodb.ts';
import { type Platform, startPlatform } from '../../../local/platform.ts';
import { onFreePorts } from '../../support/platform.ts';

let platform: Platform;
let dir: string;
let dynamo: DynamoDBClient;
/** Every invocation the platform made, by function id. */
const invocations: { functionId: string; event: unknown }[] = [];

const tableName = (id: TableId) =>
  platform.assembly.tables.find((t) => t.constructId === TABLES[id].constructId)?.name ?? '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'showrunner-platform-'));
  platform = await startPlatform(onFreePorts(join(dir, 'data')));
  const invoke = platform.lambda.invoke.bind(platform.lambda);
  platform.lambda.invoke = (arnOrName, event, options) => {
    invocations.push({ functionId: platform.lambda.find(arnOrName)?.functionId ?? arnOrName, event });
    return invoke(arnOrName, event, options);
  };
  dynamo = new DynamoDBClient({
    endpoint: platform.info.dynamoEndpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
});

afterAll(async () => {
  dynamo?.destroy();
  await platform?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('table streams on the embedded platform', () => {
  it('reads each declared stream source from the template, as its event source mapping says', () => {
    const declared = (Object.keys(FUNCTIONS) as FunctionId[]).flatMap((functionId) => {
      const declaration: FunctionDeclaration = FUNCTIONS[functionId];
      return (declaration.streams ?? []).map((source) => ({ functionId, source }));
    });

    expect(platform.assembly.streamMappings.map((m) => m.mappingId).sort()).toEqual(
      declared.map((d) => d.source.mappingId).sort(),
    );
    for (const { functionId, source } of declared) {
      expect(platform.assembly.streamMappings.find((m) => m.mappingId === source.mappingId)).toMatchObject({
        functionName: platform.assembly.functionById(functionId).name,
        tableName: tableName(source.table),
        startingPosition: 'TRIM_HORIZON',
        batchSize: source.batchSize,
        maxBatchingWindowSec: source.maxBatchingWindowSec,
        retryAttempts: source.retryAttempts,
        bisectBatchOnFunctionError: true,
        reportBatchItemFailures: true,
        filters: source.filters ?? [],
        onFailure: expect.stringMatching(/^arn:aws:sqs:/),
      });
    }
  });

  it('creates the tables that declare a stream with one, and the others without', async () => {
    for (const [id, declaration] of Object.entries(TABLES) as [TableId, TableDeclaration][]) {
      const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName(id) }));
      expect(Table?.StreamSpecification, id).toEqual(
        declaration.stream ? { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } : undefined,
      );
    }
  });

  it("feeds a catalog change to the indexer as a DynamoDBStreamEvent, and says when it's drained", async () => {
    const titleId = `stream-test-${Date.now()}`;
    await dynamo.send(
      new PutItemCommand({ TableName: tableName('catalog'), Item: { titleId: { S: titleId } } }),
    );

    await platform.streamsDrained({ timeoutMs: 60_000 });

    const delivered = invocations
      .filter((i) => i.functionId === 'indexCatalog')
      .flatMap((i) => (i.event as DynamoDBStreamEvent).Records ?? []);
    expect(delivered.find((r) => r.dynamodb?.Keys?.titleId?.S === titleId)).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: expect.stringMatching(/^arn:aws:dynamodb:us-east-1:000000000000:table\/.+\/stream\//),
      dynamodb: { NewImage: { titleId: { S: titleId } }, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });
});

describe('state machines and schedules on the embedded platform', () => {
  it('runs every state machine of the template, and finds the encode workflow by its construct path', () => {
    expect(platform.stateMachines.size).toBe(platform.assembly.stateMachines.length);
    expect(platform.stateMachines.size).toBeGreaterThanOrEqual(2);
    const encode = platform.assembly.stateMachines.find((m) => m.arn === platform.stateMachine.arn);
    expect(encode?.path).toMatch(/\/EncodeWorkflow\//);
  });

  it('runs the recommendations schedule now: its state machine target starts, and the caller awaits it', async () => {
    const [run, ...others] = await platform.runRule(RECOMMENDATIONS_WORKFLOW.ruleId);

    expect(others).toEqual([]);
    expect(run?.kind).toBe('stateMachine');
    if (run?.kind !== 'stateMachine') return;
    expect(run.execution).toMatchObject({ status: 'SUCCEEDED', input: { 'detail-type': 'Scheduled Event' } });
    expect(platform.stateMachines.get(run.targetArn)?.executions).toContain(run.execution);
    expect(invocations.filter((i) => i.functionId === 'recommendShard')).toHaveLength(
      RECOMMENDATIONS_WORKFLOW.shardCount,
    );
  });

  it('returns at once with the running execution when asked not to wait', async () => {
    const [run] = await platform.runRule(RECOMMENDATIONS_WORKFLOW.ruleId, { wait: false });
    if (run?.kind !== 'stateMachine') throw new Error('expected a state machine target');

    expect(run.execution.status).toBe('RUNNING');
    await expect(run.completion).resolves.toMatchObject({ status: 'SUCCEEDED' });
    await platform.idle();
  });

  it('runs a scheduled rule that targets a function, by its rule id', async () => {
    const [run] = await platform.runRule('RenewalSchedule', { time: new Date('2030-01-01T04:00:00Z') });

    expect(run?.kind).toBe('function');
    expect(invocations.at(-1)).toMatchObject({
      functionId: 'renewSubscriptions',
      event: { 'detail-type': 'Scheduled Event', time: '2030-01-01T04:00:00.000Z' },
    });
  });

  it('refuses a rule id the template does not have, and an event rule', async () => {
    await expect(platform.runRule('NoSuchRule')).rejects.toThrow(
      'No rule NoSuchRule in the synthesized app.',
    );
    await expect(platform.runRule('AssetPublishedRule')).rejects.toThrow('it has no schedule');
  });
});

describe('faults on the embedded platform', () => {
  it('makes a route fail while its function has an error fault, and recovers when it is cleared', async () => {
    const health = () => fetch(`${platform.info.gatewayUrl}/v1/health`);
    expect((await health()).status).toBe(200);

    platform.setFault('health', { kind: 'error' });
    const failing = await health();
    platform.setFault('health', undefined);

    expect(failing.status).toBe(502);
    expect((await health()).status).toBe(200);
  });
});
