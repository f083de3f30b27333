import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type ITable,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  HttpMethods,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { TABLES, type TableDeclaration, type TableId } from '../../lambdas/contracts/tables.ts';
import type { TargetConfig } from '../config.ts';

export interface DataStackProps extends StackProps {
  readonly config: TargetConfig;
}

/**
 * Everything stateful: buckets and tables, retained on AWS. Other stacks receive them as typed
 * props (`IBucket`, `ITable`), never by name.
 */
export class DataStack extends Stack {
  /** Private bucket that uploads land in; its EventBridge notifications start the pipeline. */
  public readonly ingestBucket: IBucket;
  /** Private origin bucket of published media, read by the edge only. */
  public readonly mediaBucket: IBucket;
  /** Private bucket of discovery's catalog snapshot and search index (`DISCOVERY_PREFIX`). */
  public readonly discoveryBucket: IBucket;
  /** Server access logs of the buckets above. */
  public readonly accessLogsBucket: IBucket;
  /** The media pipeline's jobs table (`tables.jobs`). */
  public readonly jobsTable: ITable;
  /** Every table, one per service, from `TABLES`. */
  public readonly tables: Readonly<Record<TableId, ITable>>;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const removalPolicy = props.config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Log delivery is granted by bucket policy (feature flag in cdk.json), so ACLs stay off.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy,
    });

    const ingest = new Bucket(this, 'IngestBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'ingest/',
      lifecycleRules: [
        // A browser that gives up mid-upload leaves parts that cost money and show nowhere.
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      cors: [
        {
          // Operators upload from the CLI or the web app with presigned URLs; the ETag of each
          // part must be readable to complete a multipart upload.
          allowedMethods: [HttpMethods.PUT],
          allowedOrigins: ['*'],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
      removalPolicy,
    });
    // EventBridge delivery switched on by property: `eventBridgeEnabled: true` would add the
    // BucketNotifications custom resource, which LocalStack's free tier cannot run.
    (ingest.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };

    const media = new Bucket(this, 'MediaBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'media/',
      removalPolicy,
    });

    const discovery = new Bucket(this, 'DiscoveryBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'discovery/',
      // Rebuilt on every catalog change: old versions are not kept.
      removalPolicy,
    });

    this.ingestBucket = ingest;
    this.discoveryBucket = discovery;
    this.mediaBucket = media;
    this.accessLogsBucket = accessLogs;
    this.tables = Object.fromEntries(
      (Object.keys(TABLES) as TableId[]).map((id) => [id, declaredTable(this, TABLES[id], removalPolicy)]),
    ) as unknown as Record<TableId, ITable>;
    this.jobsTable = this.tables.jobs;
  }
}

/** Builds a table from its declaration in `lambdas/contracts/tables.ts`. */
function declaredTable(scope: Construct, declaration: TableDeclaration, removalPolicy: RemovalPolicy): Table {
  const table = new Table(scope, declaration.constructId, {
    partitionKey: { name: declaration.partitionKey, type: AttributeType.STRING },
    ...(declaration.sortKey ? { sortKey: { name: declaration.sortKey, type: AttributeType.STRING } } : {}),
    billingMode: BillingMode.PAY_PER_REQUEST,
    encryption: TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    ...(declaration.timeToLiveAttribute ? { timeToLiveAttribute: declaration.timeToLiveAttribute } : {}),
    // Consumers (`streams` in functions.ts) read both images: what changed, not only what is.
    ...(declaration.stream ? { stream: StreamViewType.NEW_AND_OLD_IMAGES } : {}),
    removalPolicy,
  });
  for (const index of declaration.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
      ...(index.sortKey ? { sortKey: { name: index.sortKey, type: AttributeType.STRING } } : {}),
    });
  }
  return table;
}
