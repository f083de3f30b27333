import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  DefinitionBody,
  Fail,
  IntegrationPattern,
  JsonPath,
  LogLevel,
  Pass,
  type RetryProps,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  type TaskStateBase,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import {
  DynamoAttributeValue,
  DynamoUpdateItem,
  EventBridgePutEvents,
  LambdaInvoke,
  MediaConvertCreateJob,
} from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { EVENTS } from '../../lambdas/contracts/internal.ts';
import { STATUS_PROGRESS } from '../../lambdas/contracts/jobs.ts';

export interface EncodeWorkflowProps {
  readonly jobsTable: ITable;
  readonly validateSource: IFunction;
  readonly planEncode: IFunction;
  readonly verifyOutputs: IFunction;
  /** Scores the captured frames and publishes the best as poster candidates. */
  readonly chooseArtwork: IFunction;
  readonly publishAsset: IFunction;
  readonly discardOutputs: IFunction;
  /** Role MediaConvert assumes to read sources and write media. */
  readonly mediaConvertRole: IRole;
  readonly logGroup: ILogGroup;
  /** Longest a transcode may run. @default 6 hours */
  readonly transcodeTimeout?: Duration;
}

/**
 * Transient faults worth another try, with backoff; bad input never reaches a retry. (Each
 * LambdaInvoke also gets CDK's retry of Lambda service exceptions.)
 */
const LAMBDA_RETRY: RetryProps = {
  errors: ['Lambda.TooManyRequestsException'],
  interval: Duration.seconds(2),
  maxAttempts: 4,
  backoffRate: 2,
};
const DYNAMO_RETRY: RetryProps = {
  errors: [
    'DynamoDB.ProvisionedThroughputExceededException',
    'DynamoDB.RequestLimitExceeded',
    'DynamoDB.InternalServerErrorException',
    'DynamoDB.ThrottlingException',
  ],
  interval: Duration.seconds(1),
  maxAttempts: 5,
  backoffRate: 2,
};
const MEDIACONVERT_RETRY: RetryProps = {
  errors: [
    'MediaConvert.TooManyRequestsException',
    'MediaConvert.InternalServerErrorException',
    'MediaConvert.ServiceUnavailableException',
  ],
  interval: Duration.seconds(5),
  maxAttempts: 4,
  backoffRate: 2,
};

/**
 * The encode pipeline as one state machine: claim the job (idempotent on re-delivery) →
 * validate → plan → transcode (MediaConvert, `.sync`) → verify → choose artwork → publish. Step Functions does
 * the sequencing, retries, catches and the simple status writes; Lambdas do the real work.
 * Every step is caught: a bad source ends REJECTED with its reason code, anything else ends
 * FAILED after the job's outputs are discarded, so nothing half-made is ever published.
 *
 * The same synthesized definition runs on the embedded platform (`local/`), which is why only
 * JSONPath, intrinsics and the Lambda, DynamoDB and MediaConvert integrations appear here.
 */
export class EncodeWorkflow extends Construct {
  public readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: EncodeWorkflowProps) {
    super(scope, id);
    const { jobsTable } = props;
    const jobKey = { jobId: DynamoAttributeValue.fromString(JsonPath.stringAt('$.jobId')) };
    const now = DynamoAttributeValue.fromString(JsonPath.stringAt('$$.State.EnteredTime'));

    /** A plain status write: the job moves on and says how far it is. */
    const setStatus = (stateId: string, status: 'TRANSCODING' | 'VERIFYING') =>
      new DynamoUpdateItem(this, stateId, {
        table: jobsTable,
        key: jobKey,
        updateExpression: 'SET #status = :status, progress = :progress, updatedAt = :now',
        conditionExpression: 'attribute_exists(jobId)',
        expressionAttributeNames: { '#status': 'status' },
        expressionAttributeValues: {
          ':status': DynamoAttributeValue.fromString(status),
          ':progress': DynamoAttributeValue.fromNumber(STATUS_PROGRESS[status]),
          ':now': now,
        },
        resultPath: JsonPath.DISCARD,
      }).addRetry(DYNAMO_RETRY);

    // --- failure path -------------------------------------------------------------------
    const failed = new Fail(this, 'Failed', {
      error: 'EncodeFailed',
      cause: 'The job ended FAILED; its reason is on the job.',
    });
    const recordFailure = new DynamoUpdateItem(this, 'RecordFailure', {
      table: jobsTable,
      key: jobKey,
      updateExpression:
        'SET #status = :failed, progress = :progress, reasonCode = :code, reason = :reason, updatedAt = :now',
      // A READY job is never overwritten by a late failure.
      conditionExpression: '#status <> :ready',
      expressionAttributeNames: { '#status': 'status' },
      expressionAttributeValues: {
        ':failed': DynamoAttributeValue.fromString('FAILED'),
        ':ready': DynamoAttributeValue.fromString('READY'),
        ':progress': DynamoAttributeValue.fromNumber(STATUS_PROGRESS.FAILED),
        ':code': DynamoAttributeValue.fromString(JsonPath.stringAt('$.failure.code')),
        ':reason': DynamoAttributeValue.fromString(JsonPath.stringAt('$.failure.reason')),
        ':now': now,
      },
      resultPath: JsonPath.DISCARD,
    })
      .addRetry(DYNAMO_RETRY)
      // Last resort: the execution itself fails, with the write's error, for the alarms.
      .addCatch(failed, { resultPath: '$.recordError' })
      .next(failed);
    const cleanupFailed = new Pass(this, 'CleanupFailed', {
      parameters: {
        'jobId.$': '$.jobId',
        failure: {
          code: 'INTERNAL_ERROR',
          reason: 'The job failed and its partial outputs could not be removed.',
        },
      },
    }).next(recordFailure);
    const discardOutputs = new LambdaInvoke(this, 'DiscardOutputs', {
      lambdaFunction: props.discardOutputs,
      payloadResponseOnly: true,
      // No payload: the function gets the whole state (the error, and the plan when the job got
      // that far). `TaskInput.fromJsonPathAt('$')` would render `"Parameters": "$"`, which is not
      // a Parameters object: the function received the string "$" and never cleaned anything.
      resultPath: '$.failure',
    })
      .addRetry(LAMBDA_RETRY)
      .addCatch(cleanupFailed, { resultPath: '$.error' })
      .next(recordFailure);
    const onError = <T extends TaskStateBase>(task: T): T => {
      task.addCatch(discardOutputs, { errors: ['States.ALL'], resultPath: '$.error' });
      return task;
    };

    // --- happy path ---------------------------------------------------------------------
    const parseUpload = new Pass(this, 'ParseUpload', {
      comment: 'Keys are sources/<jobId>/<file>: the job id comes from the key the upload was issued for.',
      parameters: {
        'jobId.$': "States.ArrayGetItem(States.StringSplit($.detail.object.key, '/'), 1)",
        source: {
          'bucket.$': '$.detail.bucket.name',
          'key.$': '$.detail.object.key',
          'sizeBytes.$': '$.detail.object.size',
          'sizeText.$': "States.Format('{}', $.detail.object.size)",
        },
      },
    });

    const alreadyClaimed = new Succeed(this, 'AlreadyClaimed', {
      comment: 'A re-delivered upload event: the job was started by an earlier execution.',
    });
    const claimJob = onError(
      new DynamoUpdateItem(this, 'ClaimJob', {
        table: jobsTable,
        key: jobKey,
        updateExpression:
          'SET #status = :validating, progress = :progress, sourceBucket = :bucket, sourceKey = :key, ' +
          'sourceSizeBytes = :size, updatedAt = :now, createdAt = if_not_exists(createdAt, :now), ' +
          'titleId = if_not_exists(titleId, :jobId), titleName = if_not_exists(titleName, :key), ' +
          'captions = if_not_exists(captions, :noCaptions)',
        // Registered (QUEUED) or dropped straight into the bucket (no item yet): exactly one
        // execution gets past this write, whatever EventBridge delivers twice.
        conditionExpression: 'attribute_not_exists(jobId) OR #status = :queued',
        expressionAttributeNames: { '#status': 'status' },
        expressionAttributeValues: {
          ':validating': DynamoAttributeValue.fromString('VALIDATING'),
          ':queued': DynamoAttributeValue.fromString('QUEUED'),
          ':progress': DynamoAttributeValue.fromNumber(STATUS_PROGRESS.VALIDATING),
          ':bucket': DynamoAttributeValue.fromString(JsonPath.stringAt('$.source.bucket')),
          ':key': DynamoAttributeValue.fromString(JsonPath.stringAt('$.source.key')),
          ':size': DynamoAttributeValue.numberFromString(JsonPath.stringAt('$.source.sizeText')),
          ':jobId': DynamoAttributeValue.fromString(JsonPath.stringAt('$.jobId')),
          ':noCaptions': DynamoAttributeValue.fromList([]),
          ':now': now,
        },
        resultPath: JsonPath.DISCARD,
      })
        .addRetry(DYNAMO_RETRY)
        .addCatch(alreadyClaimed, {
          errors: ['DynamoDB.ConditionalCheckFailedException'],
          resultPath: JsonPath.DISCARD,
        }),
    );

    const validate = onError(
      new LambdaInvoke(this, 'ValidateSource', {
        lambdaFunction: props.validateSource,
        payloadResponseOnly: true,
        resultPath: '$.validation',
      }).addRetry(LAMBDA_RETRY),
    );

    const rejected = new Succeed(this, 'Rejected', { comment: 'A bad source is an outcome, not a fault.' });
    const recordRejection = onError(
      new DynamoUpdateItem(this, 'RecordRejection', {
        table: jobsTable,
        key: jobKey,
        updateExpression:
          'SET #status = :rejected, progress = :progress, reasonCode = :code, reason = :reason, updatedAt = :now',
        expressionAttributeNames: { '#status': 'status' },
        expressionAttributeValues: {
          ':rejected': DynamoAttributeValue.fromString('REJECTED'),
          ':progress': DynamoAttributeValue.fromNumber(STATUS_PROGRESS.REJECTED),
          ':code': DynamoAttributeValue.fromString(JsonPath.stringAt('$.validation.code')),
          ':reason': DynamoAttributeValue.fromString(JsonPath.stringAt('$.validation.message')),
          ':now': now,
        },
        resultPath: JsonPath.DISCARD,
      }).addRetry(DYNAMO_RETRY),
    ).next(rejected);

    const plan = onError(
      new LambdaInvoke(this, 'PlanEncode', {
        lambdaFunction: props.planEncode,
        payloadResponseOnly: true,
        payload: TaskInput.fromObject({
          jobId: JsonPath.stringAt('$.jobId'),
          source: JsonPath.objectAt('$.source'),
          probe: JsonPath.objectAt('$.validation.probe'),
        }),
        resultPath: '$.plan',
      }).addRetry(LAMBDA_RETRY),
    );

    const transcode = onError(
      new MediaConvertCreateJob(this, 'Transcode', {
        integrationPattern: IntegrationPattern.RUN_JOB,
        createJobRequest: {
          Role: props.mediaConvertRole.roleArn,
          Settings: JsonPath.objectAt('$.plan.settings'),
          UserMetadata: { showrunnerJobId: JsonPath.stringAt('$.jobId') },
          // Progress events every 10 s feed the job's progress (RecordProgress function).
          StatusUpdateInterval: 'SECONDS_10',
        },
        taskTimeout: Timeout.duration(props.transcodeTimeout ?? Duration.hours(6)),
        resultPath: JsonPath.DISCARD,
      }).addRetry(MEDIACONVERT_RETRY),
    );

    const verify = onError(
      new LambdaInvoke(this, 'VerifyOutputs', {
        lambdaFunction: props.verifyOutputs,
        payloadResponseOnly: true,
        payload: TaskInput.fromObject({
          jobId: JsonPath.stringAt('$.jobId'),
          plan: JsonPath.objectAt('$.plan'),
          probe: JsonPath.objectAt('$.validation.probe'),
        }),
        resultPath: '$.verification',
      }).addRetry(LAMBDA_RETRY),
    );

    // The chosen candidates go into the asset the next steps publish and announce: the function
    // computes them, the state machine places them (ResultPath into the verified asset).
    const chooseArtwork = onError(
      new LambdaInvoke(this, 'ChooseArtwork', {
        lambdaFunction: props.chooseArtwork,
        payloadResponseOnly: true,
        payload: TaskInput.fromObject({
          jobId: JsonPath.stringAt('$.jobId'),
          plan: JsonPath.objectAt('$.plan'),
          durationSec: JsonPath.numberAt('$.verification.asset.durationSec'),
        }),
        resultPath: '$.verification.asset.posterCandidates',
      }).addRetry(LAMBDA_RETRY),
    );

    const ready = new Succeed(this, 'Ready');
    const publish = onError(
      new LambdaInvoke(this, 'PublishAsset', {
        lambdaFunction: props.publishAsset,
        payloadResponseOnly: true,
        payload: TaskInput.fromObject({
          jobId: JsonPath.stringAt('$.jobId'),
          asset: JsonPath.objectAt('$.verification.asset'),
        }),
        resultPath: '$.published',
      }).addRetry(LAMBDA_RETRY),
    );
    // READY is final: a failure to tell the catalog must not discard a published asset, so this
    // step retries and then fails the execution without touching the job (the catalog can be
    // told again by re-sending the event; see docs).
    const announce = new EventBridgePutEvents(this, 'AnnounceAsset', {
      entries: [
        {
          source: EVENTS.ASSET_PUBLISHED.source,
          detailType: EVENTS.ASSET_PUBLISHED.detailType,
          detail: TaskInput.fromObject({
            jobId: JsonPath.stringAt('$.jobId'),
            titleId: JsonPath.stringAt('$.verification.asset.titleId'),
            asset: JsonPath.objectAt('$.verification.asset'),
          }),
        },
      ],
      resultPath: JsonPath.DISCARD,
    })
      .addRetry({ errors: ['States.ALL'], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 5 })
      .addCatch(
        new Fail(this, 'AnnounceFailed', {
          error: 'AssetNotAnnounced',
          cause: 'The job is READY but the Asset Published event could not be sent.',
        }),
        { resultPath: '$.error' },
      );
    publish.next(announce).next(ready);

    const definition = parseUpload
      .next(claimJob)
      .next(validate)
      .next(
        new Choice(this, 'IsSourceAccepted')
          .when(Condition.stringEquals('$.validation.verdict', 'REJECTED'), recordRejection)
          .otherwise(
            plan
              .next(onError(setStatus('MarkTranscoding', 'TRANSCODING')))
              .next(transcode)
              .next(onError(setStatus('MarkVerifying', 'VERIFYING')))
              .next(verify)
              .next(chooseArtwork)
              .next(publish),
          ),
      );

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(definition),
      stateMachineType: StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: { destination: props.logGroup, level: LogLevel.ALL, includeExecutionData: true },
      timeout: Duration.hours(8),
    });
    props.mediaConvertRole.grantPassRole(this.stateMachine.role);
    const stack = Stack.of(this);
    for (const fn of [
      props.validateSource,
      props.planEncode,
      props.verifyOutputs,
      props.chooseArtwork,
      props.publishAsset,
      props.discardOutputs,
    ]) {
      const logicalId = stack.resolve(stack.getLogicalId(fn.node.defaultChild as CfnElement)) as string;
      Validations.of(this.stateMachine.role).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: `lambda:InvokeFunction on ${fn.node.id} and its versions/aliases (<arn>:*), as LambdaInvoke grants it.`,
      });
    }
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'The MediaConvert .sync integration calls mediaconvert:CreateJob/GetJob/CancelJob on jobs created at run time, and X-Ray tracing actions support no resource-level permissions.',
    });
  }
}
