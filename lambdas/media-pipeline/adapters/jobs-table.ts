/** The media-jobs table, through the DynamoDB document client. Owned by the media pipeline. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type JobRecord, jobRecordSchema } from '#contracts/jobs.ts';
import type { Asset } from '#contracts/media.ts';
import { documentClient } from '#shared/aws.ts';

export interface JobsTable {
  get(jobId: string): Promise<JobRecord | undefined>;
  /** A title's jobs, newest first (at most `limit`). */
  listByTitle(titleId: string, limit: number): Promise<JobRecord[]>;
  /** Registers a QUEUED job; refuses to overwrite an existing one. */
  create(job: JobRecord): Promise<void>;
  /** VERIFYING → READY with its asset; `false` when the job was not VERIFYING. */
  markReady(jobId: string, asset: Asset, at: string): Promise<boolean>;
  /** Raises TRANSCODING progress; never lowers it, never touches a job in another status. */
  recordProgress(jobId: string, progress: number, at: string): Promise<boolean>;
}

export function dynamoJobsTable(tableName: string): JobsTable {
  const db = documentClient();
  return {
    async get(jobId) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { jobId } }));
      return Item ? jobRecordSchema.parse(Item) : undefined;
    },
    async listByTitle(titleId, limit) {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'byTitle',
          KeyConditionExpression: 'titleId = :t',
          ExpressionAttributeValues: { ':t': titleId },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return Items.map((item) => jobRecordSchema.parse(item));
    },
    async create(job) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: job,
          ConditionExpression: 'attribute_not_exists(jobId)',
        }),
      );
    },
    async markReady(jobId, asset, at) {
      return conditional(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { jobId },
            UpdateExpression: 'SET #status = :ready, progress = :done, asset = :asset, updatedAt = :at',
            ConditionExpression: '#status = :verifying',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':ready': 'READY',
              ':verifying': 'VERIFYING',
              ':done': 100,
              ':asset': asset,
              ':at': at,
            },
          }),
        ),
      );
    },
    async recordProgress(jobId, progress, at) {
      return conditional(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { jobId },
            UpdateExpression: 'SET progress = :p, updatedAt = :at',
            ConditionExpression: '#status = :transcoding AND progress < :p',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':p': progress, ':transcoding': 'TRANSCODING', ':at': at },
          }),
        ),
      );
    },
  };
}

async function conditional(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
