/**
 * The local state machine runner (aws-local-stepfunctions) on what the recommendations workflow
 * uses: `States.ArrayRange`, and a Map state with `ItemProcessor` and
 * `ProcessorConfig: { Mode: 'DISTRIBUTED' }` over Lambda tasks, run by the local Lambda runtime.
 */
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionId } from '../../../lambdas/contracts/functions.ts';
import type { Json, LocalFunction } from '../../../local/assembly.ts';
import { LambdaRuntime } from '../../../local/lambda/runtime.ts';
import { LocalStateMachine } from '../../../local/workflow.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ECHO: LocalFunction = {
  logicalId: 'Echo',
  name: 'echo',
  arn: 'arn:aws:lambda:us-east-1:000000000000:function:echo',
  functionId: 'echo' as FunctionId,
  entry: 'test/integration/local/fixtures/echo-handler.ts',
  handler: 'handler',
  timeoutSec: 10,
  environment: {},
};
const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:Shards';

/** Like the recommendations workflow: a refresh task, the shard list, a Distributed Map over them. */
function shardsDefinition(mapExtras: Record<string, Json> = {}): Record<string, Json> {
  return {
    StartAt: 'Refresh',
    States: {
      Refresh: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: ECHO.arn, Payload: { op: 'rebuild' } },
        ResultSelector: { 'refreshed.$': '$.Payload.echo.op' },
        ResultPath: '$.refresh',
        Next: 'ListShards',
      },
      ListShards: {
        Type: 'Pass',
        Parameters: { 'shards.$': 'States.ArrayRange(0, 3, 1)', 'refresh.$': '$.refresh' },
        Next: 'RecommendEachShard',
      },
      RecommendEachShard: {
        Type: 'Map',
        ItemsPath: '$.shards',
        ItemSelector: { 'shard.$': '$$.Map.Item.Value', shardCount: 4 },
        MaxConcurrency: 2,
        Label: 'RecommendEachShard',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'RecommendShard',
          States: { RecommendShard: { Type: 'Task', Resource: ECHO.arn, End: true } },
        },
        ResultPath: '$.shardResults',
        End: true,
        ...mapExtras,
      },
    },
  };
}

describe('state machines on the local runner', () => {
  let lambda: LambdaRuntime;
  const integrations = () => ({
    lambda,
    dynamo: new DynamoDBClient({ region: 'us-east-1' }),
    mediaConvertSync: async () => null,
    putEvents: () => undefined,
  });

  beforeAll(() => {
    lambda = new LambdaRuntime({
      functions: [ECHO],
      repoRoot: REPO_ROOT,
      baseEnv: { PATH: process.env.PATH ?? '' },
    });
  });

  afterAll(async () => {
    await lambda?.close();
  });

  it('runs a Distributed Map over States.ArrayRange as an inline Map: one Lambda task per item, results in order', async () => {
    const machine = new LocalStateMachine(ARN, shardsDefinition(), integrations());

    const started = machine.start({ source: 'aws.events' });
    const stopped = await machine.completion(started.executionArn);

    expect(stopped.status).toBe('SUCCEEDED');
    expect(stopped.output).toMatchObject({
      refresh: { refreshed: 'rebuild' },
      shards: [0, 1, 2, 3],
      shardResults: [0, 1, 2, 3].map((shard) => ({ echo: { shard, shardCount: 4 } })),
    });
  });

  it('reports a failing item as the execution failing, with the Lambda error', async () => {
    lambda.setFault('echo', { kind: 'error' });
    const machine = new LocalStateMachine(ARN, shardsDefinition(), integrations());

    const stopped = await machine.completion(machine.start({}).executionArn);
    lambda.setFault('echo', undefined);

    expect(stopped.status).toBe('FAILED');
    expect(stopped.error?.name).toBe('Showrunner.InjectedFault');
  });

  it('refuses at start the Map fields that would change the items or the result locally', () => {
    expect(
      () =>
        new LocalStateMachine(
          ARN,
          shardsDefinition({ ItemBatcher: { MaxItemsPerBatch: 2 } }),
          integrations(),
        ),
    ).toThrow('Map state RecommendEachShard uses ItemBatcher');
    expect(
      () =>
        new LocalStateMachine(
          ARN,
          shardsDefinition({ ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: {} } }),
          integrations(),
        ),
    ).toThrow('Map state RecommendEachShard uses ResultWriter');
  });

  it('tells a caller that awaits an execution it never started', async () => {
    const machine = new LocalStateMachine(ARN, shardsDefinition(), integrations());

    await expect(machine.completion(`${ARN}:nope`)).rejects.toThrow('No execution');
  });
});
