import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  EventSourceMapping,
  FilterCriteria,
  type IEventSourceDlq,
  type IFunction,
  StartingPosition,
} from 'aws-cdk-lib/aws-lambda';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  FUNCTIONS,
  type FunctionDeclaration,
  type FunctionId,
  type StreamSource,
} from '../../lambdas/contracts/functions.ts';
import { TABLES, type TableDeclaration, type TableId } from '../../lambdas/contracts/tables.ts';
import type { ServiceFunction } from './service-function.ts';

export interface StreamTriggersProps {
  /** The functions whose declared `streams` become event source mappings. */
  readonly functions: ReadonlyMap<FunctionId, ServiceFunction>;
  /** The tables whose streams they read (data stack), by id. */
  readonly tables: Partial<Readonly<Record<TableId, ITable>>>;
}

/**
 * The DynamoDB Streams that start functions: each declared `streams` entry
 * (`lambdas/contracts/functions.ts`) becomes one Lambda event source mapping, with the mapping's
 * id as its construct id. Every mapping reads from the oldest record (`TRIM_HORIZON`), reports
 * partial batch failures, bisects a failing batch, and after its retries sends the failed batch's
 * metadata to one dead-letter queue per stack. The function may read exactly that table's stream.
 * The embedded platform reads the same mappings back from the template (`local/streams/`).
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
 */
export class StreamTriggers extends Construct {
  /** Every mapping, by its declared `mappingId`. */
  public readonly mappings: ReadonlyMap<string, EventSourceMapping>;
  /** Where batches that failed every retry are recorded (only when some function declares a stream). */
  public readonly failedBatches: IQueue | undefined;

  constructor(scope: Construct, id: string, props: StreamTriggersProps) {
    super(scope, id);
    const sources = [...props.functions].flatMap(([functionId, fn]) => {
      const declaration: FunctionDeclaration = FUNCTIONS[functionId];
      return (declaration.streams ?? []).map((source) => ({ functionId, fn, source }));
    });
    const mappings = new Map<string, EventSourceMapping>();
    this.mappings = mappings;
    if (sources.length === 0) {
      this.failedBatches = undefined;
      return;
    }

    const failedBatches = new Queue(this, 'FailedBatches', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(failedBatches).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination of the DynamoDB Stream event source mappings: it holds the metadata of batches that failed every retry.',
    });
    this.failedBatches = failedBatches;

    for (const { functionId, fn, source } of sources) {
      const table = props.tables[source.table];
      if (!table) {
        throw new Error(
          `${functionId} reads the stream of table ${source.table}, which this stack is not given.`,
        );
      }
      const declared: TableDeclaration = TABLES[source.table];
      if (!declared.stream || !table.tableStreamArn) {
        throw new Error(
          `${functionId} reads the stream of table ${source.table}, which declares no stream (stream: true in tables.ts).`,
        );
      }
      if (mappings.has(source.mappingId))
        throw new Error(`Two stream sources are named ${source.mappingId}.`);
      // What the mapping polls with the function's role: DescribeStream, GetRecords and
      // GetShardIterator on this table's stream only (and its key, were it customer-managed), and
      // ListStreams, which IAM grants on `*` only (acknowledged below).
      table.grantStreamRead(fn);
      acknowledgeListStreams(fn);
      mappings.set(
        source.mappingId,
        new EventSourceMapping(this, source.mappingId, {
          target: fn,
          eventSourceArn: table.tableStreamArn,
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: source.batchSize,
          maxBatchingWindow: Duration.seconds(source.maxBatchingWindowSec),
          retryAttempts: source.retryAttempts,
          bisectBatchOnError: true,
          reportBatchItemFailures: true,
          onFailure: sendOnly(failedBatches),
          ...filtersOf(source),
        }),
      );
    }
  }
}

/**
 * `dynamodb:ListStreams` supports no resource-level permission, and Lambda checks it when it
 * creates the mapping. The function's policy already holds X-Ray's `*` (acknowledged on its role
 * by the house construct); this acknowledgement, on the policy itself, names both.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
 */
function acknowledgeListStreams(fn: ServiceFunction): void {
  const policy = fn.serviceRole.node.tryFindChild('DefaultPolicy');
  if (!policy) return;
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason:
      'Resource * only for actions without resource-level permissions: xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) and dynamodb:ListStreams (its DynamoDB Stream event source mapping); its stream reads are on the table stream ARN.',
  });
}

/** The declared patterns, each as one Lambda filter (any one must match). */
function filtersOf(source: StreamSource): { filters?: { [key: string]: unknown }[] } {
  if (!source.filters || source.filters.length === 0) return {};
  return { filters: source.filters.map((pattern) => FilterCriteria.filter({ ...pattern })) };
}

/**
 * The queue as an on-failure destination, granting the function `sqs:SendMessage` only:
 * `SqsDlq` would add `GetQueueAttributes` and `GetQueueUrl`, which Lambda does not call to
 * deliver a failed batch's record.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html#services-dynamodb-errors
 */
function sendOnly(queue: IQueue): IEventSourceDlq {
  return {
    bind(_mapping, target: IFunction) {
      target.addToRolePolicy(
        new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
      );
      return { destination: queue.queueArn };
    },
  };
}
