import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  DistributedMap,
  JsonPath,
  LogLevel,
  Pass,
  type RetryProps,
  StateMachine,
  StateMachineType,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { RECOMMENDATIONS_WORKFLOW } from '../../lambdas/contracts/discovery.ts';

export interface RecommendationsWorkflowProps {
  /** Rebuilds the catalog snapshot (popularity moves daily) before the shards read it. */
  readonly indexCatalog: IFunction;
  /** Recomputes one shard of profiles. */
  readonly recommendShard: IFunction;
  /** Shards. @default RECOMMENDATIONS_WORKFLOW.shardCount */
  readonly shardCount?: number;
  /** Shards computed at once. @default RECOMMENDATIONS_WORKFLOW.maxConcurrency */
  readonly maxConcurrency?: number;
}

const LAMBDA_RETRY: RetryProps = {
  errors: ['Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'States.Timeout'],
  interval: Duration.seconds(5),
  maxAttempts: 3,
  backoffRate: 2,
};

/**
 * The recommendations batch: a schedule starts a Step Functions workflow that refreshes the
 * catalog snapshot, then recomputes every profile shard in a Distributed Map (each shard a child
 * execution, `maxConcurrency` at once), so the batch grows past one function's 15 minutes with
 * the number of profiles. The local platform runs the same definition (`local/workflow.ts`).
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 */
export class RecommendationsWorkflow extends Construct {
  public readonly stateMachine: StateMachine;
  public readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: RecommendationsWorkflowProps) {
    super(scope, id);
    const shardCount = props.shardCount ?? RECOMMENDATIONS_WORKFLOW.shardCount;

    const refresh = new LambdaInvoke(this, 'RefreshCatalogSnapshot', {
      lambdaFunction: props.indexCatalog,
      payloadResponseOnly: true,
      payload: TaskInput.fromObject({ op: 'rebuild' }),
      resultPath: JsonPath.DISCARD,
    }).addRetry(LAMBDA_RETRY);

    const shards = new Pass(this, 'ListShards', {
      parameters: { 'shards.$': `States.ArrayRange(0, ${shardCount - 1}, 1)` },
    });

    const perShard = new DistributedMap(this, 'RecommendEachShard', {
      itemsPath: '$.shards',
      itemSelector: { 'shard.$': '$$.Map.Item.Value', shardCount },
      maxConcurrency: props.maxConcurrency ?? RECOMMENDATIONS_WORKFLOW.maxConcurrency,
      resultPath: '$.shardResults',
    });
    perShard.itemProcessor(
      new LambdaInvoke(this, 'RecommendShard', {
        lambdaFunction: props.recommendShard,
        payloadResponseOnly: true,
      }).addRetry(LAMBDA_RETRY),
    );

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(refresh.next(shards).next(perShard)),
      stateMachineType: StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH }),
        level: LogLevel.ALL,
        // Events, not data: execution data would copy profiles' keys into the logs.
        includeExecutionData: false,
      },
      timeout: Duration.hours(2),
    });

    const stack = Stack.of(this);
    for (const fn of [props.indexCatalog, props.recommendShard]) {
      const logicalId = stack.resolve(stack.getLogicalId(fn.node.defaultChild as CfnElement)) as string;
      Validations.of(this.stateMachine.role).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: `lambda:InvokeFunction on ${fn.node.id} and its versions/aliases (<arn>:*), as LambdaInvoke grants it.`,
      });
    }

    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing and CloudWatch Logs delivery actions support no resource-level permissions.',
    });
    // The Distributed Map starts and stops child executions of this state machine, whose names
    // are made at run time: StartExecution/DescribeExecution/StopExecution on `execution:<name>:*`.
    const machineId = stack.resolve(
      stack.getLogicalId(this.stateMachine.node.defaultChild as CfnElement),
    ) as string;
    const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${machineId}"}]}]}`;
    for (const suffix of [':*', '/*:*']) {
      Validations.of(this).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${executions}${suffix}]`,
        reason: "The Distributed Map's child executions of this state machine, named at run time.",
      });
    }

    this.schedule = new Rule(this, RECOMMENDATIONS_WORKFLOW.ruleId, {
      description: 'Every 6 hours: recompute every profile’s recommendations',
      schedule: Schedule.cron(RECOMMENDATIONS_WORKFLOW.cron),
      targets: [new SfnStateMachine(this.stateMachine, { retryAttempts: 2 })],
    });
  }
}
