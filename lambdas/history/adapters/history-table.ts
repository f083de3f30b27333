/**
 * The history table (pk `profileKey` = `<accountId>#<profileId>`, sk `titleId`; GSI `byRecency`
 * on `updatedAt`), through the DynamoDB document client.
 *
 * A heartbeat is one conditional UpdateItem: it applies only when the entry holds no heartbeat
 * yet or an older (or the same) one by client time, so late heartbeats never move the position
 * back and a retried one is harmless. When the condition fails, DynamoDB returns the stored item
 * with the error (`ReturnValuesOnConditionCheckFailure`), so no second read is needed.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html#DDB-UpdateItem-request-ReturnValuesOnConditionCheckFailure
 */
import { type AttributeValue, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '#contracts/tables.ts';
import * as z from '#contracts/zod.ts';
import { documentClient } from '#shared/aws.ts';
import type { HistoryRecord, HistoryStore } from '../domain/ports.ts';

const { partitionKey, sortKey } = TABLES.history;
const [byRecency] = TABLES.history.indexes;

const recordSchema = z.object({
  titleId: z.string(),
  positionSec: z.number(),
  durationSec: z.number(),
  clientTs: z.number(),
  updatedAt: z.string(),
  finished: z.boolean(),
  titleName: z.optional(z.string()),
  seriesId: z.optional(z.string()),
  seasonNumber: z.optional(z.number()),
  episodeNumber: z.optional(z.number()),
  country: z.optional(z.string()),
});

/** The attributes a heartbeat writes (everything but the key). */
const WRITTEN = [
  'positionSec',
  'durationSec',
  'clientTs',
  'updatedAt',
  'finished',
  'titleName',
  'seriesId',
  'seasonNumber',
  'episodeNumber',
  'country',
] as const satisfies readonly (keyof HistoryRecord)[];

export function dynamoHistoryStore(tableName: string): HistoryStore {
  const db = documentClient();
  const key = (profileKey: string, titleId: string) => ({ [partitionKey]: profileKey, [sortKey]: titleId });

  return {
    async record(profileKey, heartbeat) {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const sets: string[] = [];
      for (const field of WRITTEN) {
        const value = heartbeat[field];
        if (value === undefined) continue;
        names[`#${field}`] = field;
        values[`:${field}`] = value;
        sets.push(`#${field} = :${field}`);
      }
      try {
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(profileKey, heartbeat.titleId),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: 'attribute_not_exists(#clientTs) OR #clientTs <= :clientTs',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return toRecord(Attributes);
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // A newer heartbeat is stored: that is the answer. The document client does not
        // unmarshall an error's item, hence the plain attribute values.
        if (error.Item) return toRecord(fromAttributeValues(error.Item));
        const { Item } = await db.send(
          new GetCommand({
            TableName: tableName,
            Key: key(profileKey, heartbeat.titleId),
            ConsistentRead: true,
          }),
        );
        return toRecord(Item);
      }
    },

    async recent(profileKey, { limit, after }) {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: byRecency.name,
          KeyConditionExpression: '#pk = :profileKey',
          ExpressionAttributeNames: { '#pk': partitionKey },
          ExpressionAttributeValues: { ':profileKey': profileKey },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: after
            ? { ...key(profileKey, after.titleId), [byRecency.sortKey]: after.updatedAt }
            : undefined,
        }),
      );
      const last = page.LastEvaluatedKey;
      return {
        records: (page.Items ?? []).map(toRecord),
        lastKey:
          last && typeof last[sortKey] === 'string' && typeof last[byRecency.sortKey] === 'string'
            ? { titleId: last[sortKey], updatedAt: last[byRecency.sortKey] }
            : undefined,
      };
    },

    async get(profileKey, titleId) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key(profileKey, titleId) }));
      return Item ? toRecord(Item) : undefined;
    },

    async remove(profileKey, titleId) {
      await db.send(new DeleteCommand({ TableName: tableName, Key: key(profileKey, titleId) }));
    },
  };
}

function toRecord(item: Record<string, unknown> | undefined): HistoryRecord {
  return recordSchema.parse(item);
}

/** The scalar attribute values a history item holds (S, N, BOOL), as plain values. */
function fromAttributeValues(item: Record<string, AttributeValue>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) {
    if (value.S !== undefined) plain[name] = value.S;
    else if (value.N !== undefined) plain[name] = Number(value.N);
    else if (value.BOOL !== undefined) plain[name] = value.BOOL;
  }
  return plain;
}
