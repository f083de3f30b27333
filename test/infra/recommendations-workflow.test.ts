/**
 * The recommendations batch: a schedule starts a Step Functions workflow that refreshes the
 * catalog snapshot (indexCatalog) and then runs recommendShard for every profile shard in a
 * Distributed Map, a bounded number at a time.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { RECOMMENDATIONS_WORKFLOW } from '../../lambdas/contracts/discovery.ts';
import { synth } from './synth.ts';

type Json = Record<string, unknown>;

let aws: ReturnType<typeof synth>;
let definition: Json;
let machineId: string;

/** The definition as CloudFormation gets it, with tokens joined back into text. */
function definitionOf(properties: Json): Json {
  const body = properties.DefinitionString as { 'Fn::Join': [string, unknown[]] };
  const text = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return JSON.parse(text) as Json;
}

beforeAll(() => {
  aws = synth('aws');
  const machines = aws.controlPlane.findResources('AWS::StepFunctions::StateMachine');
  const entry = Object.entries(machines).find(([id]) => id.startsWith('RecommendationsWorkflow'));
  expect(entry, 'the recommendations state machine').toBeDefined();
  const [id, machine] = entry as [string, { Properties: Json }];
  machineId = id;
  definition = definitionOf(machine.Properties);
});

describe('recommendations workflow', () => {
  it('refreshes the snapshot first, then lists the shards with States.ArrayRange', () => {
    const states = definition.States as Record<string, Json>;
    expect(definition.StartAt).toBe('RefreshCatalogSnapshot');
    expect(states.RefreshCatalogSnapshot?.Next).toBe('ListShards');
    expect(states.ListShards?.Parameters).toEqual({
      'shards.$': `States.ArrayRange(0, ${RECOMMENDATIONS_WORKFLOW.shardCount - 1}, 1)`,
    });
  });

  it('computes each shard as a Distributed Map item with bounded concurrency, retried on Lambda faults', () => {
    const map = (definition.States as Record<string, Json>).RecommendEachShard as Json;
    expect(map.Type).toBe('Map');
    expect(map.ItemsPath).toBe('$.shards');
    expect(map.MaxConcurrency).toBe(RECOMMENDATIONS_WORKFLOW.maxConcurrency);
    const processor = map.ItemProcessor as Json;
    expect(processor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    const task = (processor.States as Record<string, Json>).RecommendShard as Json;
    expect(task.Type).toBe('Task');
    expect(JSON.stringify(task.Retry)).toContain('Lambda.TooManyRequestsException');
    expect(map.ItemSelector).toEqual({
      'shard.$': '$$.Map.Item.Value',
      shardCount: RECOMMENDATIONS_WORKFLOW.shardCount,
    });
  });

  it('logs every event without execution data, traced', () => {
    aws.controlPlane.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
  });

  it('starts on its schedule, every 6 hours', () => {
    aws.controlPlane.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(30 */6 * * ? *)',
      Targets: [Match.objectLike({ Arn: { Ref: machineId }, RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
  });
});
