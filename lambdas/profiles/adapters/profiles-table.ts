/**
 * The profiles table (pk `accountId`, sk `profileId`), through the DynamoDB document client.
 *
 * The per-account limit lives in a counter item under the account (`profileId = '#meta'`, which
 * no profile id can be: ids never contain `#`). A create is one transaction that raises the
 * counter on the condition that it is below the limit and puts the profile; a delete removes the
 * profile and lowers the counter in one transaction. So concurrent creates can never exceed the
 * limit, and the counter never drifts from the profiles it counts.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { profileSchema } from '#contracts/api/profiles.ts';
import { TABLES } from '#contracts/tables.ts';
import * as z from '#contracts/zod.ts';
import { documentClient } from '#shared/aws.ts';
import { type RetryPolicy, withRetry } from '#shared/retry.ts';
import type { CreateOutcome, ProfileRecord, ProfileStore } from '../domain/profiles.ts';

/** Sort key of the per-account counter item. */
export const META_PROFILE_ID = '#meta';

/**
 * Transactions that touch the same counter conflict: DynamoDB cancels one of them with only
 * `TransactionConflict` (and `None`) as reasons, having written nothing, so it is sent again,
 * 10 tries in all. Any other cancellation reason is an answer, not a collision.
 */
const TRANSACTION_CONFLICT_RETRY: RetryPolicy = {
  maxAttempts: 10,
  baseDelayMs: 10,
  maxDelayMs: 640,
  retryable: (error) => error instanceof TransactionCanceledException && conflictOnly(reasonCodes(error)),
};

const { partitionKey, sortKey } = TABLES.profiles;
const recordSchema = z.extend(profileSchema, { accountId: profileSchema.shape.profileId });

export function dynamoProfileStore(tableName: string): ProfileStore {
  const db = documentClient();
  const key = (accountId: string, profileId: string) => ({ [partitionKey]: accountId, [sortKey]: profileId });

  return {
    async list(accountId) {
      const records: ProfileRecord[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: '#pk = :accountId',
            ExpressionAttributeNames: { '#pk': partitionKey },
            ExpressionAttributeValues: { ':accountId': accountId },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          if (item[sortKey] !== META_PROFILE_ID) records.push(recordSchema.parse(item));
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return records.sort(
        (a, b) => a.createdAt.localeCompare(b.createdAt) || a.profileId.localeCompare(b.profileId),
      );
    },

    async get(accountId, profileId) {
      if (profileId === META_PROFILE_ID) return undefined;
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: key(accountId, profileId) }),
      );
      return Item ? recordSchema.parse(Item) : undefined;
    },

    async create(profile, max): Promise<CreateOutcome> {
      const command = new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: key(profile.accountId, META_PROFILE_ID),
              UpdateExpression: 'SET profileCount = if_not_exists(profileCount, :zero) + :one',
              ConditionExpression: 'attribute_not_exists(profileCount) OR profileCount < :max',
              ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':max': max },
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: { ...profile },
              ConditionExpression: 'attribute_not_exists(#sk)',
              ExpressionAttributeNames: { '#sk': sortKey },
            },
          },
        ],
      });
      const reasons = await transact(() => db.send(command));
      if (reasons === undefined) return 'created';
      if (reasons[0] === 'ConditionalCheckFailed') return 'limit-reached';
      throw new Error(`Creating profile ${profile.profileId} was refused: ${reasons.join(', ')}`);
    },

    async update(accountId, profileId, changes, at) {
      if (profileId === META_PROFILE_ID) return undefined;
      const names: Record<string, string> = { '#sk': sortKey, '#updatedAt': 'updatedAt' };
      const values: Record<string, unknown> = { ':updatedAt': at };
      const sets = ['#updatedAt = :updatedAt'];
      for (const field of ['name', 'maturity', 'language'] as const) {
        const value = changes[field];
        if (value === undefined) continue;
        names[`#${field}`] = field;
        values[`:${field}`] = value;
        sets.push(`#${field} = :${field}`);
      }
      try {
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(accountId, profileId),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: 'attribute_exists(#sk)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        );
        return recordSchema.parse(Attributes);
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return undefined;
        throw error;
      }
    },

    async remove(accountId, profileId) {
      if (profileId === META_PROFILE_ID) return false;
      const command = new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: tableName,
              Key: key(accountId, profileId),
              ConditionExpression: 'attribute_exists(#sk)',
              ExpressionAttributeNames: { '#sk': sortKey },
            },
          },
          {
            Update: {
              TableName: tableName,
              Key: key(accountId, META_PROFILE_ID),
              UpdateExpression: 'SET profileCount = profileCount - :one',
              ConditionExpression: 'profileCount > :zero',
              ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
            },
          },
        ],
      });
      const reasons = await transact(() => db.send(command));
      if (reasons === undefined) return true;
      if (reasons[0] === 'ConditionalCheckFailed') return false;
      throw new Error(`Deleting profile ${profileId} was refused: ${reasons.join(', ')}`);
    },
  };
}

/**
 * Runs a transaction, retrying the ones cancelled only because a concurrent transaction held an
 * item (`TRANSACTION_CONFLICT_RETRY`). `undefined` when it committed, else the cancellation
 * reason codes, one per item (`None` for the items that were fine).
 */
async function transact(send: () => Promise<unknown>): Promise<string[] | undefined> {
  try {
    await withRetry(send, TRANSACTION_CONFLICT_RETRY);
    return undefined;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    return reasonCodes(error);
  }
}

function reasonCodes(error: TransactionCanceledException): string[] {
  return (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

function conflictOnly(reasons: readonly string[]): boolean {
  return reasons.every((r) => r === 'None' || r === 'TransactionConflict');
}
