import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Match, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV } from '../../lambdas/contracts/env.ts';
import { MEDIA_PREFIX, SIDECAR_PREFIX, SOURCE_PREFIX } from '../../lambdas/contracts/storage.ts';
import type { TargetConfig } from '../config.ts';
import { EncodeWorkflow } from '../constructs/encode-workflow.ts';
import { allowItems, allowListing, allowObjects } from '../constructs/grants.ts';
import { ServiceFunction } from '../constructs/service-function.ts';

export interface MediaPipelineStackProps extends StackProps {
  readonly config: TargetConfig;
  readonly ingestBucket: IBucket;
  readonly mediaBucket: IBucket;
  readonly jobsTable: ITable;
}

/**
 * Upload → EventBridge → Step Functions → validate → plan → MediaConvert → verify → publish.
 */
export class MediaPipelineStack extends Stack {
  public readonly stateMachine: EncodeWorkflow['stateMachine'];
  /** Role MediaConvert assumes; exposed for the operator docs and tests. */
  public readonly mediaConvertRole: Role;

  constructor(scope: Construct, id: string, props: MediaPipelineStackProps) {
    super(scope, id, props);
    const { config, ingestBucket, mediaBucket, jobsTable } = props;
    const common = { logRetentionDays: config.logRetentionDays };
    const env = {
      [ENV.JOBS_TABLE]: jobsTable.tableName,
      [ENV.INGEST_BUCKET]: ingestBucket.bucketName,
      [ENV.MEDIA_BUCKET]: mediaBucket.bucketName,
      [ENV.TARGET]: config.target,
    };

    const validateSource = new ServiceFunction(this, 'ValidateSource', {
      ...common,
      functionId: 'validateSource',
      environment: {
        [ENV.MAX_SOURCE_BYTES]: String(config.maxSourceBytes),
        [ENV.MAX_SOURCE_SECONDS]: String(config.maxSourceSeconds),
      },
      // MediaInfoLib compiled to WebAssembly: the probe loads it from next to the bundle.
      assetFiles: ['node_modules/mediainfo.js/dist/MediaInfoModule.wasm'],
    });
    allowObjects(
      validateSource,
      ingestBucket,
      SOURCE_PREFIX,
      ['s3:GetObject'],
      'ranged reads of any job source; keys are per job',
    );

    const planEncode = new ServiceFunction(this, 'PlanEncode', {
      ...common,
      functionId: 'planEncode',
      environment: env,
    });
    allowItems(planEncode, jobsTable, ['dynamodb:GetItem']);

    const verifyOutputs = new ServiceFunction(this, 'VerifyOutputs', {
      ...common,
      functionId: 'verifyOutputs',
      environment: env,
    });
    allowObjects(
      verifyOutputs,
      mediaBucket,
      MEDIA_PREFIX,
      ['s3:GetObject'],
      'reads the playlists a job wrote; keys are per job',
    );
    allowListing(verifyOutputs, mediaBucket, MEDIA_PREFIX);

    const publishAsset = new ServiceFunction(this, 'PublishAsset', {
      ...common,
      functionId: 'publishAsset',
      environment: env,
    });
    allowItems(publishAsset, jobsTable, ['dynamodb:UpdateItem']);

    const discardOutputs = new ServiceFunction(this, 'DiscardOutputs', {
      ...common,
      functionId: 'discardOutputs',
      environment: env,
    });
    allowObjects(
      discardOutputs,
      mediaBucket,
      MEDIA_PREFIX,
      ['s3:DeleteObject'],
      "deletes a failed job's partial outputs; keys are per job",
    );
    allowListing(discardOutputs, mediaBucket, MEDIA_PREFIX);

    const recordProgress = new ServiceFunction(this, 'RecordProgress', {
      ...common,
      functionId: 'recordProgress',
      environment: env,
    });
    allowItems(recordProgress, jobsTable, ['dynamodb:UpdateItem']);

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
      validateSource,
      planEncode,
      verifyOutputs,
      publishAsset,
      discardOutputs,
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

    new Rule(this, 'TranscodeProgress', {
      description: "MediaConvert progress of Showrunner's jobs → the job's progress.",
      eventPattern: {
        source: ['aws.mediaconvert'],
        detailType: ['MediaConvert Job State Change'],
        detail: { status: ['STATUS_UPDATE'], userMetadata: { showrunnerJobId: Match.exists() } },
      },
      targets: [new LambdaFunction(recordProgress, { deadLetterQueue: undeliveredEvents, retryAttempts: 2 })],
    });

    Validations.of(undeliveredEvents).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the EventBridge targets.',
    });
  }
}
