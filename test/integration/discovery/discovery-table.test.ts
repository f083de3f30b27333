import { randomUUID } from 'node:crypto';
import { BatchWriteItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECOMMENDATIONS_WORKFLOW } from '#contracts/discovery.ts';
import { dynamoDiscoveryTable, shardOf } from '../../../lambdas/discovery/adapters/discovery-table.ts';
import type { Like, StoredRecommendations } from '../../../lambdas/discovery/domain/ports.ts';
import {
  lastDays,
  type PlayEvent,
  type WatchEvent,
} from '../../../lambdas/discovery/domain/viewing-events.ts';
import { startTestDynamo, type TestDynamo } from '../../support/dynamo.ts';

let dynamo: TestDynamo;
let tableName: string;
let table: ReturnType<typeof dynamoDiscoveryTable>;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  tableName = await dynamo.createTable('discovery');
  table = dynamoDiscoveryTable(tableName);
});

afterAll(async () => {
  await dynamo?.stop();
});

// Recent days: DynamoDB Local deletes items past their TTL (`expiresAtEpoch`), event markers
// included, so an event of a day long gone would count again, as it may on AWS.
const [DAY = '', NEXT_DAY = ''] = lastDays(new Date(), 2);
/** Ids unique to one test: the tests share one table. */
const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const profile = () => `${unique('acct')}#${unique('prof')}`;

function play(titleId: string, overrides: Partial<PlayEvent> = {}): PlayEvent {
  return {
    kind: 'play',
    eventId: unique('ev'),
    day: DAY,
    country: 'US',
    titleId,
    profileKey: 'acct-1#prof-1',
    ...overrides,
  };
}

function watch(titleId: string, watchSec: number, overrides: Partial<WatchEvent> = {}): WatchEvent {
  return {
    kind: 'watch',
    eventId: unique('ev'),
    day: DAY,
    country: 'US',
    titleId,
    profileKey: 'acct-1#prof-1',
    watchSec,
    ...overrides,
  };
}

const like = (titleId: string, finished = false, likedAt = '2026-11-20T10:00:00.000Z'): Like => ({
  titleId,
  likedAt,
  finished,
});

describe('the discovery table: viewing', () => {
  it('counts plays, unique viewers and watch time per country and day', async () => {
    const titleId = unique('movie');

    await table.applyPlay(play(titleId, { profileKey: 'a#1' }));
    await table.applyPlay(play(titleId, { profileKey: 'a#2' }));
    await table.applyWatch(watch(titleId, 30, { profileKey: 'a#1' }));
    await table.applyWatch(watch(titleId, 45, { profileKey: 'a#2' }));

    expect((await table.viewing('US', [DAY])).get(titleId)).toEqual({ plays: 2, viewers: 2, watchSec: 75 });
    expect((await table.viewing('US', [NEXT_DAY])).get(titleId)).toBeUndefined();
    expect((await table.viewing('GB', [DAY])).get(titleId)).toBeUndefined();
  });

  it('counts a redelivered event once', async () => {
    const titleId = unique('movie');
    const started = play(titleId);
    const watched = watch(titleId, 30);

    expect(await table.applyPlay(started)).toBe(true);
    expect(await table.applyPlay(started)).toBe(false);
    expect(await table.applyWatch(watched)).toBe(true);
    expect(await table.applyWatch(watched)).toBe(false);

    expect((await table.viewing('US', [DAY])).get(titleId)).toEqual({ plays: 1, viewers: 1, watchSec: 30 });
    expect((await table.viewing('ALL', [DAY])).get(titleId)).toEqual({ plays: 1, viewers: 1, watchSec: 30 });
  });

  it('counts a profile playing a title twice in a day as one viewer and two plays', async () => {
    const titleId = unique('movie');
    const profileKey = profile();

    expect(await table.applyPlay(play(titleId, { profileKey }))).toBe(true);
    expect(await table.applyPlay(play(titleId, { profileKey }))).toBe(true);

    expect((await table.viewing('US', [DAY])).get(titleId)).toEqual({ plays: 2, viewers: 1, watchSec: 0 });
    expect((await table.viewing('ALL', [DAY])).get(titleId)).toEqual({ plays: 2, viewers: 1, watchSec: 0 });
  });

  it('counts a redelivered second play of the same viewer once', async () => {
    const titleId = unique('movie');
    const profileKey = profile();
    const second = play(titleId, { profileKey });
    await table.applyPlay(play(titleId, { profileKey }));

    expect(await table.applyPlay(second)).toBe(true);
    expect(await table.applyPlay(second)).toBe(false);

    expect((await table.viewing('US', [DAY])).get(titleId)).toEqual({ plays: 2, viewers: 1, watchSec: 0 });
  });

  it('counts the same profile again as a viewer on another day and in another country', async () => {
    const titleId = unique('movie');
    const profileKey = profile();

    await table.applyPlay(play(titleId, { profileKey }));
    await table.applyPlay(play(titleId, { profileKey, day: NEXT_DAY }));
    await table.applyPlay(play(titleId, { profileKey, country: 'GB' }));

    expect((await table.viewing('US', [DAY, NEXT_DAY])).get(titleId)).toEqual({
      plays: 2,
      viewers: 2,
      watchSec: 0,
    });
    expect((await table.viewing('GB', [DAY])).get(titleId)).toEqual({ plays: 1, viewers: 1, watchSec: 0 });
  });

  it('sums two countries and two days, per country and over all of them', async () => {
    const [a, b] = [unique('movie'), unique('series')];
    await table.applyPlay(play(a, { profileKey: 'x#1' }));
    await table.applyPlay(play(a, { profileKey: 'x#2', day: NEXT_DAY }));
    await table.applyPlay(play(a, { profileKey: 'x#3', country: 'GB' }));
    await table.applyPlay(play(b, { profileKey: 'x#4', country: 'GB', day: NEXT_DAY }));
    await table.applyWatch(watch(a, 10));
    await table.applyWatch(watch(a, 20, { day: NEXT_DAY }));
    await table.applyWatch(watch(a, 40, { country: 'GB' }));
    await table.applyWatch(watch(b, 50, { country: 'GB', day: NEXT_DAY }));

    const us = await table.viewing('US', [DAY, NEXT_DAY]);
    const gb = await table.viewing('GB', [DAY, NEXT_DAY]);
    const all = await table.viewing('ALL', [DAY, NEXT_DAY]);
    const allFirstDay = await table.viewing('ALL', [DAY]);

    expect(us.get(a)).toEqual({ plays: 2, viewers: 2, watchSec: 30 });
    expect(us.get(b)).toBeUndefined();
    expect(gb.get(a)).toEqual({ plays: 1, viewers: 1, watchSec: 40 });
    expect(gb.get(b)).toEqual({ plays: 1, viewers: 1, watchSec: 50 });
    expect(all.get(a)).toEqual({ plays: 3, viewers: 3, watchSec: 70 });
    expect(all.get(b)).toEqual({ plays: 1, viewers: 1, watchSec: 50 });
    expect(allFirstDay.get(a)).toEqual({ plays: 2, viewers: 2, watchSec: 50 });
    expect(allFirstDay.get(b)).toBeUndefined();
  });

  it('counts no watch time for a heartbeat without any', async () => {
    const titleId = unique('movie');

    expect(await table.applyWatch(watch(titleId, 0))).toBe(false);

    expect((await table.viewing('US', [DAY])).get(titleId)).toBeUndefined();
  });

  it('reads a day with more titles than one query page', async () => {
    // A query page holds 1 MB: 1,200 titles with ids near the sort key's 1 KB limit are two pages.
    const country = 'BULK';
    const prefix = `${unique('bulk')}-${'x'.repeat(950)}`;
    // Written directly (a transaction each would take seconds): this is about reading them.
    const items = Array.from({ length: 1_200 }, (_, i) => ({
      PutRequest: {
        Item: {
          pk: { S: `views#${country}#${DAY}` },
          sk: { S: `${prefix}-${i}` },
          plays: { N: '1' },
          viewers: { N: '1' },
        },
      },
    }));
    for (let i = 0; i < items.length; i += 25) {
      await dynamo.emulator.client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: items.slice(i, i + 25) } }),
      );
    }
    const firstPage = await dynamo.emulator.client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `views#${country}#${DAY}` } },
      }),
    );
    expect(firstPage.LastEvaluatedKey).toBeDefined();

    const viewing = await table.viewing(country, [DAY]);

    expect(viewing.size).toBe(1_200);
    expect(viewing.get(`${prefix}-1199`)).toEqual({ plays: 1, viewers: 1, watchSec: 0 });
  });
});

describe('the discovery table: likes', () => {
  it('records a like once, with its co-occurrence counts', async () => {
    const profileKey = profile();
    const [x, y, z] = [unique('t'), unique('t'), unique('t')];
    const increments = [
      { a: y, b: x },
      { a: x, b: y },
      { a: z, b: x },
      { a: x, b: z },
    ];

    expect(await table.recordLike(profileKey, like(x), increments)).toBe(true);
    expect(await table.recordLike(profileKey, like(x), increments)).toBe(false);

    expect(await table.likesOf(profileKey)).toEqual([like(x)]);
    expect((await table.likeCounts()).get(x)).toBe(1);
    expect(await table.coOccurrence(x)).toEqual(
      new Map([
        [y, 1],
        [z, 1],
      ]),
    );
    expect(await table.coOccurrence(y)).toEqual(new Map([[x, 1]]));
  });

  it('adds up the co-occurrence of profiles that liked the same titles', async () => {
    const [x, y] = [unique('t'), unique('t')];
    for (const profileKey of [profile(), profile()]) {
      await table.recordLike(profileKey, like(y), []);
      await table.recordLike(profileKey, like(x), [
        { a: y, b: x },
        { a: x, b: y },
      ]);
    }

    expect(await table.coOccurrence(x)).toEqual(new Map([[y, 2]]));
    expect(await table.coOccurrence(y)).toEqual(new Map([[x, 2]]));
    const counts = await table.likeCounts();
    expect([counts.get(x), counts.get(y)]).toEqual([2, 2]);
  });

  it('marks a liked title finished when it is finished, counting nothing again', async () => {
    const profileKey = profile();
    const [x, y] = [unique('t'), unique('t')];
    await table.recordLike(profileKey, like(y), []);
    await table.recordLike(profileKey, like(x), [
      { a: y, b: x },
      { a: x, b: y },
    ]);

    const counted = await table.recordLike(profileKey, like(x, true, '2026-11-21T10:00:00.000Z'), [
      { a: y, b: x },
      { a: x, b: y },
    ]);

    expect(counted).toBe(false);
    expect((await table.likesOf(profileKey)).find((l) => l.titleId === x)).toEqual(like(x, true));
    expect((await table.likeCounts()).get(x)).toBe(1);
    expect(await table.coOccurrence(x)).toEqual(new Map([[y, 1]]));
  });

  it('keeps a finished like finished when a later heartbeat says liked again', async () => {
    const profileKey = profile();
    const x = unique('t');
    await table.recordLike(profileKey, like(x, true), []);

    expect(await table.recordLike(profileKey, like(x, false), [])).toBe(false);

    expect(await table.likesOf(profileKey)).toEqual([like(x, true)]);
  });

  it('records a like with the most co-occurrence increments one like may bring (30 earlier likes)', async () => {
    const profileKey = profile();
    const x = unique('t');
    const earlier = Array.from({ length: 30 }, () => unique('t'));
    const increments = earlier.flatMap((e) => [
      { a: e, b: x },
      { a: x, b: e },
    ]);

    expect(await table.recordLike(profileKey, like(x), increments)).toBe(true);

    expect((await table.coOccurrence(x)).size).toBe(30);
  });

  it('lists the profiles with likes in their shard', async () => {
    const profileKey = profile();
    await table.recordLike(profileKey, like(unique('t')), []);
    await table.recordLike(profileKey, like(unique('t')), []);
    const shard = shardOf(profileKey);
    const other = (shard + 1) % RECOMMENDATIONS_WORKFLOW.shardCount;

    const inShard: string[] = [];
    for await (const key of table.profilesInShard(shard)) inShard.push(key);
    const inOther: string[] = [];
    for await (const key of table.profilesInShard(other)) inOther.push(key);

    expect(inShard.filter((k) => k === profileKey)).toEqual([profileKey]);
    expect(inOther).not.toContain(profileKey);
  });
});

describe('the discovery table: recommendations and artwork', () => {
  it('stores and reads back a profile’s recommendations', async () => {
    const profileKey = profile();
    const stored: StoredRecommendations = {
      computedAt: '2026-11-21T06:30:00.000Z',
      basedOn: '2026-11-21T06:00:00.000Z',
      items: [
        {
          titleId: 'comet',
          score: 0.75,
          reason: {
            code: 'BECAUSE_YOU_WATCHED',
            titleId: 'lighthouse',
            text: 'Because you watched Lighthouse',
          },
        },
        { titleId: 'grim', score: 0.5, reason: { code: 'POPULAR', text: 'Popular on Showrunner' } },
      ],
    };

    expect(await table.get(profileKey)).toBeUndefined();
    await table.put(profileKey, stored);
    expect(await table.get(profileKey)).toEqual(stored);

    const recomputed = { computedAt: '2026-11-21T12:30:00.000Z', items: [] };
    await table.put(profileKey, recomputed);
    expect(await table.get(profileKey)).toEqual(recomputed);
  });

  it('counts artwork impressions and plays per segment, plays overall too', async () => {
    const titleId = unique('movie');
    const other = unique('movie');
    await table.recordImpressions([
      { titleId, segment: 'drama', artworkId: 'a1' },
      { titleId, segment: 'drama', artworkId: 'a2' },
      { titleId: other, segment: 'all', artworkId: 'b1' },
    ]);
    await table.recordImpressions([{ titleId, segment: 'drama', artworkId: 'a1' }]);
    await table.applyPlay(play(titleId, { artworkId: 'a1__drama' }));
    await table.applyPlay(play(titleId, { artworkId: 'a2' }));

    const counts = await table.countsOf([titleId, other, unique('never-shown')]);

    expect([...counts.keys()].sort()).toEqual([titleId, other].sort());
    expect(Object.fromEntries(counts.get(titleId) ?? [])).toEqual({
      'drama#a1': { impressions: 2, plays: 1 },
      'drama#a2': { impressions: 1, plays: 0 },
      'all#a1': { impressions: 0, plays: 1 },
      'all#a2': { impressions: 0, plays: 1 },
    });
    expect(Object.fromEntries(counts.get(other) ?? [])).toEqual({ 'all#b1': { impressions: 1, plays: 0 } });
  });

  it('counts a play from a poster once when the play is redelivered', async () => {
    const titleId = unique('movie');
    const started = play(titleId, { artworkId: 'a1__scifi' });

    await table.applyPlay(started);
    await table.applyPlay(started);

    expect(Object.fromEntries((await table.countsOf([titleId])).get(titleId) ?? [])).toEqual({
      'all#a1': { impressions: 0, plays: 1 },
      'scifi#a1': { impressions: 0, plays: 1 },
    });
  });

  it('answers no artwork counts for no titles', async () => {
    expect((await table.countsOf([])).size).toBe(0);
  });
});
