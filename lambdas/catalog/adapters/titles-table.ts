/**
 * The catalog table (`TABLES.catalog`), through the DynamoDB document client. One item per title;
 * movies and series carry `listing` + `sortKey` (the sparse `byListing` index), episodes carry
 * `seriesId` + `episodeKey` (the sparse `bySeries` index). Each episode also owns a slot item,
 * `episode-slot#<seriesId>#<episodeKey>`, that makes (series, season, episode) unique: ids
 * (`idSchema`) cannot contain `#`, so no request can ever name a slot as a title.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TitleKind } from '#contracts/api/catalog.ts';
import { TABLES } from '#contracts/tables.ts';
import { documentClient } from '#shared/aws.ts';
import { type RetryPolicy, withRetry } from '#shared/retry.ts';
import type { TitleChanges, TitlesRepository } from '../domain/ports.ts';
import {
  episodeKey,
  isListed,
  LISTING,
  listingSortKey,
  type TitleRecord,
  titleRecordSchema,
} from '../domain/titles.ts';

const BY_LISTING = catalogIndex('byListing');
const BY_SERIES = catalogIndex('bySeries');

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_MAX_KEYS = 100;

/** BatchGetItem left keys unprocessed (after the last try: the error `getMany` rejects with). */
export class BatchGetUnprocessedError extends Error {
  /** How many keys were left. */
  readonly unprocessed: number;
  constructor(unprocessed: number) {
    super(`BatchGet left ${unprocessed} keys unprocessed.`);
    this.name = 'BatchGetUnprocessedError';
    this.unprocessed = unprocessed;
  }
}

/**
 * BatchGetItem answers with the keys it had no capacity for (`UnprocessedKeys`) rather than an
 * error, so the SDK's own retries never see them: they are asked for again, 5 tries in all, with
 * the backoff AWS asks for.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
 */
const UNPROCESSED_KEYS_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 50,
  retryable: (error) => error instanceof BatchGetUnprocessedError,
};

export function dynamoTitlesTable(
  tableName: string,
  db: DynamoDBDocumentClient = documentClient(),
): TitlesRepository {
  return {
    async get(titleId) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { titleId } }));
      return fromItem(Item);
    },

    async getMany(titleIds) {
      const ids = [...new Set(titleIds)];
      if (ids.length > BATCH_GET_MAX_KEYS)
        throw new RangeError(`At most ${BATCH_GET_MAX_KEYS} titles at once.`);
      const titles: TitleRecord[] = [];
      if (ids.length === 0) return titles;
      let keys: Record<string, unknown>[] = ids.map((titleId) => ({ titleId }));
      // Each try asks only for the keys the previous one left; the titles found are kept.
      await withRetry(async () => {
        const out = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }));
        for (const item of out.Responses?.[tableName] ?? []) {
          const title = fromItem(item);
          if (title) titles.push(title);
        }
        keys = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
        if (keys.length > 0) throw new BatchGetUnprocessedError(keys.length);
      }, UNPROCESSED_KEYS_RETRY);
      return titles;
    },

    async *listing({ after, pageSize }) {
      let start: Record<string, unknown> | undefined = after && {
        titleId: after.titleId,
        listing: LISTING,
        sortKey: after.sortKey,
      };
      do {
        const out = await db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: BY_LISTING.name,
            KeyConditionExpression: '#pk = :listing',
            ExpressionAttributeNames: { '#pk': BY_LISTING.partitionKey },
            ExpressionAttributeValues: { ':listing': LISTING },
            ExclusiveStartKey: start,
            Limit: pageSize,
          }),
        );
        for (const item of out.Items ?? []) {
          const title = fromItem(item);
          if (title) yield title;
        }
        start = out.LastEvaluatedKey;
      } while (start);
    },

    async *episodes(seriesId, options = {}) {
      const { after } = options;
      let start: Record<string, unknown> | undefined;
      do {
        const out = await db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: BY_SERIES.name,
            ...(after === undefined
              ? {
                  KeyConditionExpression: '#pk = :series',
                  ExpressionAttributeNames: { '#pk': BY_SERIES.partitionKey },
                  ExpressionAttributeValues: { ':series': seriesId },
                }
              : {
                  KeyConditionExpression: '#pk = :series AND #sk > :after',
                  ExpressionAttributeNames: { '#pk': BY_SERIES.partitionKey, '#sk': BY_SERIES.sortKey },
                  ExpressionAttributeValues: { ':series': seriesId, ':after': after },
                }),
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) {
          const title = fromItem(item);
          if (title) yield title;
        }
        start = out.LastEvaluatedKey;
      } while (start);
    },

    async create(title) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: toItem(title),
          ConditionExpression: 'attribute_not_exists(titleId)',
        }),
      );
    },

    async createEpisode(episode) {
      const { seriesId, seasonNumber, episodeNumber } = episode;
      if (seriesId === undefined || seasonNumber === undefined || episodeNumber === undefined) {
        throw new TypeError('An episode needs seriesId, seasonNumber and episodeNumber.');
      }
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: tableName,
                  Key: { titleId: seriesId },
                  ConditionExpression: '#kind = :series',
                  ExpressionAttributeNames: { '#kind': 'kind' },
                  ExpressionAttributeValues: { ':series': 'series' },
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    titleId: episodeSlotId(seriesId, episodeKey(seasonNumber, episodeNumber)),
                    episodeTitleId: episode.titleId,
                  },
                  ConditionExpression: 'attribute_not_exists(titleId)',
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: toItem(episode),
                  ConditionExpression: 'attribute_not_exists(titleId)',
                },
              },
            ],
          }),
        );
        return 'CREATED';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [series, slot] = error.CancellationReasons ?? [];
        if (series?.Code === 'ConditionalCheckFailed') return 'SERIES_NOT_FOUND';
        if (slot?.Code === 'ConditionalCheckFailed') return 'EPISODE_EXISTS';
        throw error;
      }
    },

    async update(titleId, kind, changes, updatedAt) {
      const { expression, names, values } = updateExpression(kind, titleId, changes, updatedAt);
      try {
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { titleId },
            UpdateExpression: expression,
            ConditionExpression: 'attribute_exists(titleId) AND #kind = :kind',
            ExpressionAttributeNames: { ...names, '#kind': 'kind' },
            ExpressionAttributeValues: { ...values, ':kind': kind },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return fromItem(Attributes);
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return undefined;
        throw error;
      }
    },

    async attachAsset(titleId, asset) {
      try {
        // The rule of `supersedes` (titles.ts), as a condition: later publishedAt wins, ties by job id.
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { titleId },
            UpdateExpression: 'SET asset = :asset',
            ConditionExpression:
              'attribute_exists(#kind) AND (attribute_not_exists(asset) OR asset.publishedAt < :at' +
              ' OR (asset.publishedAt = :at AND asset.jobId <= :job))',
            ExpressionAttributeNames: { '#kind': 'kind' },
            ExpressionAttributeValues: { ':asset': asset, ':at': asset.publishedAt, ':job': asset.jobId },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return 'ATTACHED';
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return error.Item?.kind ? 'NEWER_ASSET_KEPT' : 'TITLE_NOT_FOUND';
      }
    },
  };
}

/** The slot item that holds (series, season, episode) for one episode. */
export function episodeSlotId(seriesId: string, key: string): string {
  return `episode-slot#${seriesId}#${key}`;
}

/** A title item with its index attributes. */
function toItem(title: TitleRecord): Record<string, unknown> {
  if (isListed(title.kind)) {
    return { ...title, listing: LISTING, sortKey: listingSortKey(title.name, title.titleId) };
  }
  if (title.seasonNumber === undefined || title.episodeNumber === undefined) {
    throw new TypeError(`Episode ${title.titleId} has no season or episode number.`);
  }
  return { ...title, episodeKey: episodeKey(title.seasonNumber, title.episodeNumber) };
}

/** A title back from an item; slot items (no `kind`) are not titles. */
function fromItem(item: Record<string, unknown> | undefined): TitleRecord | undefined {
  if (!item || item.kind === undefined) return undefined;
  return titleRecordSchema.parse(item);
}

function updateExpression(kind: TitleKind, titleId: string, changes: TitleChanges, updatedAt: string) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':updatedAt': updatedAt };
  const sets = ['#updatedAt = :updatedAt'];
  names['#updatedAt'] = 'updatedAt';
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  }
  if (changes.name !== undefined && isListed(kind)) {
    // Renaming moves the title in the listing: the sort key follows the name in the same write.
    names['#sortKey'] = 'sortKey';
    values[':sortKey'] = listingSortKey(changes.name, titleId);
    sets.push('#sortKey = :sortKey');
  }
  return { expression: `SET ${sets.join(', ')}`, names, values };
}

function catalogIndex(name: (typeof TABLES.catalog.indexes)[number]['name']) {
  const index = TABLES.catalog.indexes.find((i) => i.name === name);
  if (!index) throw new Error(`The catalog table declares no index ${name}.`);
  return index;
}
