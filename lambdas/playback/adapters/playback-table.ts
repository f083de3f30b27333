/**
 * The playback table (pk `pk`, TTL `expiresAtEpoch`), through the DynamoDB document client:
 *
 * - `account#<accountId>`: the stream map `streams` (session id → epoch seconds it expires at)
 *   and its `version`, the compare-and-swap token of the stream limit (`domain/streams.ts`);
 *   its own `expiresAtEpoch` is the latest entry's, so an idle account's item expires too.
 * - `session#<sessionId>`: one playback session; DynamoDB's TTL deletes it after it lapses.
 *
 * Every change to a session that touches the stream map writes both items in one transaction
 * and bumps the version, so a start that read the map before can never write back a stale one.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 */
import { TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '#contracts/zod.ts';
import { documentClient } from '#shared/aws.ts';
import { withRetry } from '#shared/retry.ts';
import { cancellationReasons, TRANSACTION_CONFLICT_RETRY } from '#shared/transactions.ts';
import type { PlaybackSession, SessionStore } from '../domain/ports.ts';

/** Partition key of the playback table (`TABLES.playback.partitionKey`). */
const PK = 'pk';

/**
 * A transaction DynamoDB cancelled because another transaction on the same items was in flight
 * (`TransactionConflict`) wrote nothing, so it is sent again: 6 tries in all, then the last
 * cancellation surfaces as it was. Not for `commitStart`, whose caller reads the map again.
 */

const sessionSchema = z.object({
  sessionId: z.string(),
  accountId: z.string(),
  profileId: z.string(),
  titleId: z.string(),
  seriesId: z.optional(z.string()),
  country: z.optional(z.string()),
  artworkId: z.optional(z.string()),
  assetId: z.string(),
  manifestKey: z.string(),
  maxHeight: z.number(),
  codecs: z.optional(z.array(z.string())),
  status: z.enum(['ACTIVE', 'ENDED']),
  startedAt: z.string(),
  expiresAtEpoch: z.number(),
  tokenExpiresAtEpoch: z.number(),
  endedAt: z.optional(z.string()),
});

const streamsSchema = z.record(z.string(), z.number());

export const accountKey = (accountId: string) => ({ [PK]: `account#${accountId}` });
export const sessionKey = (sessionId: string) => ({ [PK]: `session#${sessionId}` });

export function dynamoSessionStore(tableName: string): SessionStore {
  const db = documentClient();

  return {
    async readStreams(accountId) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: accountKey(accountId), ConsistentRead: true }),
      );
      if (!Item) return { streams: {}, version: 0 };
      return { streams: streamsSchema.parse(Item.streams ?? {}), version: z.number().parse(Item.version) };
    },

    async commitStart(accountId, expectedVersion, next, session) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...accountKey(accountId),
                    streams: next,
                    version: expectedVersion + 1,
                    expiresAtEpoch: Math.max(0, ...Object.values(next)),
                  },
                  ...(expectedVersion === 0
                    ? {
                        ConditionExpression: 'attribute_not_exists(#pk)',
                        ExpressionAttributeNames: { '#pk': PK },
                      }
                    : {
                        ConditionExpression: '#version = :version',
                        ExpressionAttributeNames: { '#version': 'version' },
                        ExpressionAttributeValues: { ':version': expectedVersion },
                      }),
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: { ...sessionKey(session.sessionId), ...session },
                  ConditionExpression: 'attribute_not_exists(#pk)',
                  ExpressionAttributeNames: { '#pk': PK },
                },
              },
            ],
          }),
        );
        return true;
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (reasons?.[1] === 'ConditionalCheckFailed') {
          throw new Error(`Session id ${session.sessionId} is already taken.`, { cause: error });
        }
        // The map changed since it was read (or a concurrent transaction holds it): read again.
        if (reasons || error instanceof TransactionConflictException) return false;
        throw error;
      }
    },

    async get(sessionId) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: sessionKey(sessionId) }));
      return Item ? toSession(Item) : undefined;
    },

    async extend(accountId, sessionId, expiresAtEpoch, nowEpoch) {
      return withRetry(async () => {
        try {
          await db.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Update: {
                    TableName: tableName,
                    Key: sessionKey(sessionId),
                    UpdateExpression: 'SET #expires = :expires',
                    ConditionExpression: '#account = :account AND #status = :active AND #expires > :now',
                    ExpressionAttributeNames: {
                      '#expires': 'expiresAtEpoch',
                      '#account': 'accountId',
                      '#status': 'status',
                    },
                    ExpressionAttributeValues: {
                      ':expires': expiresAtEpoch,
                      ':account': accountId,
                      ':active': 'ACTIVE',
                      ':now': nowEpoch,
                    },
                  },
                },
                {
                  // Every entry expires at most SESSION_TTL_SEC after its last write, so the
                  // entry just extended is the latest: it sets the item's own expiry.
                  Update: {
                    TableName: tableName,
                    Key: accountKey(accountId),
                    UpdateExpression:
                      'SET #streams.#sid = :expires, #version = #version + :one, #expires = :expires',
                    ConditionExpression: 'attribute_exists(#streams.#sid)',
                    ExpressionAttributeNames: {
                      '#streams': 'streams',
                      '#sid': sessionId,
                      '#version': 'version',
                      '#expires': 'expiresAtEpoch',
                    },
                    ExpressionAttributeValues: { ':expires': expiresAtEpoch, ':one': 1 },
                  },
                },
              ],
            }),
          );
          return true;
        } catch (error) {
          if (cancellationReasons(error)?.includes('ConditionalCheckFailed')) return false;
          throw error;
        }
      }, TRANSACTION_CONFLICT_RETRY);
    },

    async end(accountId, sessionId, endedAt) {
      const markEnded = {
        TableName: tableName,
        Key: sessionKey(sessionId),
        UpdateExpression: 'SET #status = :ended, #endedAt = if_not_exists(#endedAt, :endedAt)',
        ConditionExpression: '#account = :account',
        ExpressionAttributeNames: { '#status': 'status', '#endedAt': 'endedAt', '#account': 'accountId' },
        ExpressionAttributeValues: { ':ended': 'ENDED', ':endedAt': endedAt, ':account': accountId },
      };
      const freed = await withRetry(async () => {
        try {
          await db.send(
            new TransactWriteCommand({
              TransactItems: [
                { Update: markEnded },
                {
                  Update: {
                    TableName: tableName,
                    Key: accountKey(accountId),
                    UpdateExpression: 'REMOVE #streams.#sid SET #version = #version + :one',
                    ConditionExpression: 'attribute_exists(#streams.#sid)',
                    ExpressionAttributeNames: {
                      '#streams': 'streams',
                      '#sid': sessionId,
                      '#version': 'version',
                    },
                    ExpressionAttributeValues: { ':one': 1 },
                  },
                },
              ],
            }),
          );
          return 'freed' as const;
        } catch (error) {
          const reasons = cancellationReasons(error);
          if (reasons?.[0] === 'ConditionalCheckFailed') return 'not-found' as const;
          // No entry in the map: ended before, or lapsed and pruned. Only the session to mark.
          if (reasons?.[1] === 'ConditionalCheckFailed') return 'no-entry' as const;
          throw error;
        }
      }, TRANSACTION_CONFLICT_RETRY);
      if (freed === 'freed') return true;
      if (freed === 'not-found') return false;
      try {
        await db.send(new UpdateCommand(markEnded));
        return true;
      } catch (error) {
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },
  };
}

function toSession(item: Record<string, unknown>): PlaybackSession {
  return sessionSchema.parse(item);
}
