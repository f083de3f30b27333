import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Match, Rule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { FUNCTIONS, type FunctionId, stackOf } from '../../lambdas/contracts/functions.ts';
import { MEDIA_PREFIX, SIDECAR_PREFIX, SOURCE_PREFIX } from '../../lambdas/contracts/storage.ts';
import type { TargetConfig } from '../config.ts';
import { EncodeWorkflow } from '../constructs/encode-workflow.ts';
import { allowObjects } from '../constructs/grants.ts';
import type { ServiceFunction } from '../constructs/service-function.ts';
import { ServiceFunctions } from '../constructs/service-functions.ts';
import { Triggers } from '../constructs/triggers.ts';

export interface MediaPipelineStackProps extends StackProps {
  readonly config: TargetConfig;
  readonly ingestBucket: IBucket;
  readonly mediaBucket: IBucket;
  readonly jobsTable: ITable;
}

/**
 * Upload → EventBridge → Step Functions → validate → plan → MediaConvert → verify → choose
 * artwork → publish.
 */
export class MediaPipelineStack extends Stack {
  public readonly stateMachine: EncodeWorkflow['stateMachine'];
  /** The pipeline's step functions (and the progress recorder), by id. */
  public readonly functions: ReadonlyMap<FunctionId, ServiceFunction>;
  /** Role MediaConvert assumes; exposed for the operator docs and tests. */
  public readonly mediaConvertRole: Role;

  constructor(scope: Construct, id: string, props: MediaPipelineStackProps) {
    super(scope, id, props);
    const { config, ingestBucket, mediaBucket, jobsTable } = props;
    const steps = new ServiceFunctions(this, 'Functions', {
      config,
      functionIds: (Object.keys(FUNCTIONS) as FunctionId[]).filter(
        (fn) => stackOf(FUNCTIONS[fn]) === 'mediaPipeline',
      ),
      tables: { jobs: jobsTable },
      buckets: { ingest: ingestBucket, media: mediaBucket },
    });
    this.functions = steps.functions;

    this.mediaConvertRole = new Role(this, 'MediaConvertRole', {
      assumedBy: new ServicePrincipal('mediaconvert.amazonaws.com'),
      description: 'Assumed by MediaConvert: reads sources and caption sidecars, writes published media.',
    });
    allowObjects(
      this.mediaConvertRole,
      ingestBucket,
      SOURCE_PREFIX,
      ['s3:GetObject'],
      'MediaConvert reads the job source',
    );
    allowObjects(
      this.mediaConvertRole,
      ingestBucket,
      SIDECAR_PREFIX,
      ['s3:GetObject'],
      'MediaConvert reads caption sidecars',
    );
    allowObjects(
      this.mediaConvertRole,
      mediaBucket,
      MEDIA_PREFIX,
      ['s3:PutObject'],
      'MediaConvert writes renditions of new assets',
    );

    const workflow = new EncodeWorkflow(this, 'EncodeWorkflow', {
      jobsTable,
      validateSource: steps.get('validateSource'),
      planEncode: steps.get('planEncode'),
      verifyOutputs: steps.get('verifyOutputs'),
      chooseArtwork: steps.get('chooseArtwork'),
      publishAsset: steps.get('publishAsset'),
      discardOutputs: steps.get('discardOutputs'),
      mediaConvertRole: this.mediaConvertRole,
      logGroup: new LogGroup(this, 'EncodeWorkflowLogs', { retention: RetentionDays.ONE_MONTH }),
    });
    this.stateMachine = workflow.stateMachine;

    // Events that could not be delivered to a target are kept, not dropped.
    const undeliveredEvents = new Queue(this, 'UndeliveredEvents', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    new Rule(this, 'SourceUploaded', {
      description: 'A source landed under sources/ in the ingest bucket: start its encode job.',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [ingestBucket.bucketName] },
          object: { key: Match.prefix(SOURCE_PREFIX) },
        },
      },
      targets: [
        new SfnStateMachine(this.stateMachine, {
          deadLetterQueue: undeliveredEvents,
          retryAttempts: 8,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });

    // MediaConvert progress → recordProgress, as its declaration's trigger says.
    new Triggers(this, 'Triggers', { functions: steps.functions, deadLetterQueue: undeliveredEvents });

    Validations.of(undeliveredEvents).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the EventBridge targets.',
    });
  }
}
