/**
 * The subscriptions table (`TABLES.subscriptions`), through the DynamoDB document client. One
 * item per account; the `byStatus` index (status, renewsAt) lets the renewal job find what is
 * due without a scan.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { planIdSchema, SUBSCRIPTION_STATUSES } from '#contracts/api/subscriptions.ts';
import { TABLES } from '#contracts/tables.ts';
import * as z from '#contracts/zod.ts';
import { documentClient } from '#shared/aws.ts';
import type { SubscriptionRecord, SubscriptionRepository } from '../domain/subscription.ts';

const BY_STATUS = TABLES.subscriptions.indexes[0].name;

/** The stored item; attributes this version does not know are ignored. */
const subscriptionItemSchema = z.object({
  accountId: z.string(),
  plan: planIdSchema,
  status: z.enum(SUBSCRIPTION_STATUSES),
  renewsAt: z.string(),
  paymentMethodId: z.string(),
  cardLast4: z.string(),
  cardBrand: z.string(),
  cardFingerprint: z.string(),
  graceUntil: z.optional(z.string()),
  renewalAttempts: z.int(),
  lastAttemptAt: z.optional(z.string()),
  lastDeclineCode: z.optional(z.string()),
  claimId: z.optional(z.string()),
  claimUntil: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.int().check(z.positive()),
}) satisfies z.ZodMiniType<SubscriptionRecord>;

export interface SubscriptionsTableOptions {
  /** Items per page of the due query. @default 100 */
  readonly pageSize?: number;
}

export function dynamoSubscriptions(
  tableName: string,
  options: SubscriptionsTableOptions = {},
): SubscriptionRepository {
  const db = documentClient();
  const pageSize = options.pageSize ?? 100;
  return {
    async get(accountId) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: { accountId }, ConsistentRead: true }),
      );
      return Item ? subscriptionItemSchema.parse(Item) : undefined;
    },

    async save(record) {
      const expected = record.version - 1;
      const condition =
        expected === 0
          ? { ConditionExpression: 'attribute_not_exists(accountId)' }
          : {
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':expected': expected },
            };
      try {
        await db.send(new PutCommand({ TableName: tableName, Item: record, ...condition }));
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    async *due(status, dueBy) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: BY_STATUS,
            KeyConditionExpression: '#status = :status AND renewsAt <= :dueBy',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': status, ':dueBy': dueBy },
            ScanIndexForward: true,
            Limit: pageSize,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) yield subscriptionItemSchema.parse(item);
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    },
  };
}
