/**
 * The discovery table (pk `pk`, sk `sk`; TTL `expiresAtEpoch`), through the document client.
 *
 * | pk | sk | what |
 * | --- | --- | --- |
 * | `views#<country>#<day>` | titleId | plays, viewers, watchSec of a title that UTC day in that country (kept 35 days) |
 * | `views#ALL#<day>` | titleId | the same over all countries |
 * | `event#<eventId>` | `-` | a stream record already counted (kept 2 days; streams keep records 24 h) |
 * | `viewer#<country>#<day>#<titleId>#<profileKey>` | `-` | the profile is counted among the title's viewers that day (kept 9 days) |
 * | `likes#<profileKey>` | titleId | a title the profile liked: likedAt, finished |
 * | `likeCount` | titleId | how many profiles liked the title |
 * | `cooc#<a>` | b | how many profiles liked both a and b |
 * | `shard#<n>` | profileKey | profiles with likes, spread over the workflow's shards |
 * | `recs#<profileKey>` | `-` | the profile's stored recommendations |
 * | `artwork#<titleId>` | `-` | per (segment, artwork): `i#<segment>#<artworkId>` impressions, `p#…` plays |
 *
 * Every count is applied in one transaction with the marker that proves it was applied
 * (`event#…`, or the like itself), so a redelivered stream batch counts once. The Top 10 day
 * items are one partition per (country, day): a single very hot title is one hot key (~1,000
 * writes/s); sharding that key is the scale issue's.
 */
import { createHash } from 'node:crypto';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { RECOMMENDATIONS_WORKFLOW } from '#contracts/discovery.ts';
import * as z from '#contracts/zod.ts';
import { documentClient } from '#shared/aws.ts';
import { withRetry } from '#shared/retry.ts';
import { cancellationReasons, TRANSACTION_CONFLICT_RETRY } from '#shared/transactions.ts';
import { parseArtworkToken } from '../domain/artwork.ts';
import { ARTWORK_SEGMENT_ALL } from '../domain/artwork-bandit.ts';
import type {
  ArtworkCounts,
  ArtworkStore,
  Like,
  RecommendationStore,
  StoredRecommendations,
  TasteStore,
  TitleViewing,
  ViewingStore,
} from '../domain/ports.ts';
import type { PlayEvent } from '../domain/viewing-events.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const DAY_SEC = 86_400;
const VIEWS_KEPT_SEC = 35 * DAY_SEC;
const EVENT_MARKER_KEPT_SEC = 2 * DAY_SEC;
const VIEWER_MARKER_KEPT_SEC = 9 * DAY_SEC;
const NO_SORT = '-';

/** The shard a profile's recommendations are computed in. */
export function shardOf(
  profileKey: string,
  shardCount: number = RECOMMENDATIONS_WORKFLOW.shardCount,
): number {
  return createHash('sha256').update(profileKey).digest().readUInt32BE(0) % shardCount;
}

const dayEpoch = (day: string) => Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000);

export function dynamoDiscoveryTable(
  tableName: string,
  db = documentClient(),
): ViewingStore & TasteStore & RecommendationStore & ArtworkStore {
  const put = (pk: string, sk: string, extra: Record<string, unknown> = {}): TransactItem => ({
    Put: {
      TableName: tableName,
      Item: { pk, sk, ...extra },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  const add = (
    pk: string,
    sk: string,
    counts: Record<string, number>,
    expiresAtEpoch?: number,
  ): TransactItem => {
    const names: Record<string, string> = {};
    const values: Record<string, number> = {};
    const adds = Object.entries(counts).map(([field, n], i) => {
      names[`#f${i}`] = field;
      values[`:v${i}`] = n;
      return `#f${i} :v${i}`;
    });
    return {
      Update: {
        TableName: tableName,
        Key: { pk, sk },
        UpdateExpression: `ADD ${adds.join(', ')}${expiresAtEpoch === undefined ? '' : ' SET #exp = :exp'}`,
        ExpressionAttributeNames: {
          ...names,
          ...(expiresAtEpoch === undefined ? {} : { '#exp': 'expiresAtEpoch' }),
        },
        ExpressionAttributeValues: {
          ...values,
          ...(expiresAtEpoch === undefined ? {} : { ':exp': expiresAtEpoch }),
        },
      },
    };
  };

  /** Runs the transaction; `false` when the item at `markerIndex` already existed (applied before). */
  async function once(
    items: TransactItem[],
    markerIndex = 0,
  ): Promise<{ applied: boolean; reasons?: string[] }> {
    try {
      await withRetry(
        () => db.send(new TransactWriteCommand({ TransactItems: items })),
        TRANSACTION_CONFLICT_RETRY,
      );
      return { applied: true };
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons?.[markerIndex] === 'ConditionalCheckFailed') return { applied: false, reasons };
      if (reasons) return { applied: false, reasons };
      throw error;
    }
  }

  async function queryAll(pk: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  return {
    async applyPlay(event) {
      const expires = dayEpoch(event.day) + VIEWS_KEPT_SEC;
      const counted = (viewers: number) => [
        add(`views#${event.country}#${event.day}`, event.titleId, { plays: 1, viewers }, expires),
        add(`views#ALL#${event.day}`, event.titleId, { plays: 1, viewers }, expires),
        ...(event.artworkId ? [artworkPlay(event)] : []),
      ];
      const marker = put(`event#${event.eventId}`, NO_SORT, {
        expiresAtEpoch: dayEpoch(event.day) + EVENT_MARKER_KEPT_SEC,
      });
      const viewer = put(
        `viewer#${event.country}#${event.day}#${event.titleId}#${event.profileKey}`,
        NO_SORT,
        {
          expiresAtEpoch: dayEpoch(event.day) + VIEWER_MARKER_KEPT_SEC,
        },
      );
      const first = await once([marker, viewer, ...counted(1)]);
      if (first.applied) return true;
      if (first.reasons?.[0] === 'ConditionalCheckFailed') return false;
      if (first.reasons?.[1] !== 'ConditionalCheckFailed')
        throw new Error(`Play not counted: ${first.reasons}`);
      // A viewer already counted that day: count the play alone.
      const second = await once([marker, ...counted(0)]);
      if (!second.applied && second.reasons?.[0] !== 'ConditionalCheckFailed') {
        throw new Error(`Play not counted: ${second.reasons}`);
      }
      return second.applied;
    },

    async applyWatch(event) {
      if (event.watchSec <= 0) return false;
      const expires = dayEpoch(event.day) + VIEWS_KEPT_SEC;
      const result = await once([
        put(`event#${event.eventId}`, NO_SORT, {
          expiresAtEpoch: dayEpoch(event.day) + EVENT_MARKER_KEPT_SEC,
        }),
        add(`views#${event.country}#${event.day}`, event.titleId, { watchSec: event.watchSec }, expires),
        add(`views#ALL#${event.day}`, event.titleId, { watchSec: event.watchSec }, expires),
      ]);
      if (!result.applied && result.reasons?.[0] !== 'ConditionalCheckFailed') {
        throw new Error(`Watch time not counted: ${result.reasons}`);
      }
      return result.applied;
    },

    async recordLike(profileKey, like, increments) {
      // Finishing a title liked before: only the flag changes, nothing is counted again.
      const existing = await db.send(
        new GetCommand({ TableName: tableName, Key: { pk: `likes#${profileKey}`, sk: like.titleId } }),
      );
      if (existing.Item) {
        if (like.finished && existing.Item.finished !== true) {
          await db.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk: `likes#${profileKey}`, sk: like.titleId },
              UpdateExpression: 'SET finished = :t',
              ExpressionAttributeValues: { ':t': true },
            }),
          );
        }
        return false;
      }
      const result = await once([
        put(`likes#${profileKey}`, like.titleId, { likedAt: like.likedAt, finished: like.finished }),
        add('likeCount', like.titleId, { profiles: 1 }),
        {
          Put: {
            TableName: tableName,
            Item: { pk: `shard#${shardOf(profileKey)}`, sk: profileKey, lastLikedAt: like.likedAt },
          },
        },
        ...increments.map(({ a, b }) => add(`cooc#${a}`, b, { count: 1 })),
      ]);
      if (!result.applied && result.reasons?.[0] !== 'ConditionalCheckFailed') {
        throw new Error(`Like not recorded: ${result.reasons}`);
      }
      return result.applied;
    },

    async viewing(country, days) {
      const totals = new Map<string, TitleViewing>();
      const pages = await Promise.all(days.map((day) => queryAll(`views#${country}#${day}`)));
      for (const item of pages.flat()) {
        const titleId = String(item.sk);
        const before = totals.get(titleId) ?? { plays: 0, viewers: 0, watchSec: 0 };
        totals.set(titleId, {
          plays: before.plays + (Number(item.plays) || 0),
          viewers: before.viewers + (Number(item.viewers) || 0),
          watchSec: before.watchSec + (Number(item.watchSec) || 0),
        });
      }
      return totals;
    },

    async likesOf(profileKey) {
      return (await queryAll(`likes#${profileKey}`)).map(
        (item): Like => ({
          titleId: String(item.sk),
          likedAt: String(item.likedAt),
          finished: item.finished === true,
        }),
      );
    },

    async coOccurrence(titleId) {
      return new Map(
        (await queryAll(`cooc#${titleId}`)).map((item) => [String(item.sk), Number(item.count) || 0]),
      );
    },

    async likeCounts() {
      return new Map(
        (await queryAll('likeCount')).map((item) => [String(item.sk), Number(item.profiles) || 0]),
      );
    },

    async *profilesInShard(shard) {
      for (const item of await queryAll(`shard#${shard}`)) yield String(item.sk);
    },

    async get(profileKey) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: { pk: `recs#${profileKey}`, sk: NO_SORT } }),
      );
      if (!Item) return undefined;
      const parsed = storedSchema.safeParse(Item);
      return parsed.success ? (parsed.data as StoredRecommendations) : undefined;
    },

    async put(profileKey, recommendations) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: `recs#${profileKey}`, sk: NO_SORT, ...recommendations },
        }),
      );
    },

    async countsOf(titleIds) {
      const counts = new Map<string, ArtworkCounts>();
      const unique = [...new Set(titleIds)].slice(0, 100);
      if (unique.length === 0) return counts;
      let keys: Record<string, unknown>[] | undefined = unique.map((id) => ({
        pk: `artwork#${id}`,
        sk: NO_SORT,
      }));
      // BatchGetItem may leave keys unprocessed under load: ask again for those, a few times.
      for (let attempt = 0; keys && keys.length > 0 && attempt < 3; attempt += 1) {
        const out = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }));
        for (const item of out.Responses?.[tableName] ?? []) {
          counts.set(String(item.pk).slice('artwork#'.length), artworkCounts(item));
        }
        keys = out.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
      return counts;
    },

    async recordImpressions(shown) {
      const byTitle = new Map<string, string[]>();
      for (const { titleId, segment, artworkId } of shown) {
        const list = byTitle.get(titleId) ?? [];
        list.push(`i#${segment}#${artworkId}`);
        byTitle.set(titleId, list);
      }
      await Promise.all(
        [...byTitle].map(([titleId, fields]) => {
          const update = add(`artwork#${titleId}`, NO_SORT, Object.fromEntries(fields.map((f) => [f, 1])))
            .Update as NonNullable<TransactItem['Update']>;
          return db.send(new UpdateCommand(update));
        }),
      );
    },
  };

  function artworkPlay(event: PlayEvent): TransactItem {
    const { artworkId, segment } = parseArtworkToken(event.artworkId ?? '');
    const counts: Record<string, number> = { [`p#${ARTWORK_SEGMENT_ALL}#${artworkId}`]: 1 };
    if (segment !== ARTWORK_SEGMENT_ALL) counts[`p#${segment}#${artworkId}`] = 1;
    return add(`artwork#${event.titleId}`, NO_SORT, counts);
  }
}

const storedSchema = z.object({
  computedAt: z.string(),
  basedOn: z.optional(z.string()),
  items: z.array(
    z.object({
      titleId: z.string(),
      score: z.number(),
      reason: z.object({
        code: z.enum(['BECAUSE_YOU_WATCHED', 'SIMILAR_TO', 'POPULAR']),
        titleId: z.optional(z.string()),
        text: z.string(),
      }),
    }),
  ),
});

/** `i#<segment>#<artworkId>` / `p#<segment>#<artworkId>` attributes → counts per `<segment>#<artworkId>`. */
function artworkCounts(item: Record<string, unknown>): ArtworkCounts {
  const counts = new Map<string, { impressions: number; plays: number }>();
  for (const [name, value] of Object.entries(item)) {
    const match = /^([ip])#(.+)$/.exec(name);
    if (!match?.[1] || !match[2]) continue;
    const entry = counts.get(match[2]) ?? { impressions: 0, plays: 0 };
    if (match[1] === 'i') entry.impressions += Number(value) || 0;
    else entry.plays += Number(value) || 0;
    counts.set(match[2], entry);
  }
  return counts;
}
