import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoSessionStore } from '../../../lambdas/playback/adapters/playback-table.ts';
import { dynamoPopularity } from '../../../lambdas/playback/adapters/popularity-table.ts';
import type { Popularity } from '../../../lambdas/playback/domain/ports.ts';
import { startTestDynamo, type TestDynamo } from '../../support/dynamo.ts';

/** Days ahead of the real clock: DynamoDB Local applies the TTL against the real clock. */
const DAY1 = new Date(Date.now() + 2 * 86_400_000);
const DAY2 = new Date(DAY1.getTime() + 86_400_000);
const day = (d: Date) => d.toISOString().slice(0, 10);
const asset = (titleId: string, assetId = `${titleId}-a1`) => ({
  titleId,
  assetId,
  manifestKey: `media/${titleId}/${assetId}/hls/index.m3u8`,
});

let dynamo: TestDynamo;
let popularity: Popularity;
let table: string;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  table = await dynamo.createTable('playback');
  popularity = dynamoPopularity(table);
});

afterAll(async () => {
  await dynamo?.stop();
});

describe('playback starts per title and day (DynamoDB Local)', () => {
  it('counts 25 concurrent starts of one title exactly', async () => {
    await Promise.all(Array.from({ length: 25 }, () => popularity.recordStart(asset('rush'), DAY1)));

    expect(await popularity.startsOn([day(DAY1)])).toEqual([{ ...asset('rush'), starts: 25 }]);
  });

  it('sums the asked days and keeps the asset of the latest start (a re-encode)', async () => {
    await popularity.recordStart(asset('drama'), DAY1);
    await popularity.recordStart(asset('drama'), DAY1);
    await popularity.recordStart(asset('drama', 'drama-a2'), new Date(DAY2.getTime() + 1000));
    await popularity.recordStart(asset('drama', 'drama-a2'), new Date(DAY2.getTime() + 2000));

    const both = await popularity.startsOn([day(DAY1), day(DAY2)]);
    expect(both.find((t) => t.titleId === 'drama')).toEqual({ ...asset('drama', 'drama-a2'), starts: 4 });
    const second = await popularity.startsOn([day(DAY2)]);
    expect(second).toEqual([{ ...asset('drama', 'drama-a2'), starts: 2 }]);
  });

  it('lists only counted titles: sessions and stream maps in the same table stay out of the index', async () => {
    const sessions = dynamoSessionStore(table);
    const nowEpoch = Math.floor(DAY1.getTime() / 1000);
    await sessions.commitStart(
      'acct-1',
      0,
      { s1: nowEpoch + 300 },
      {
        sessionId: 's1',
        accountId: 'acct-1',
        profileId: 'p1',
        ...asset('rush'),
        maxHeight: 720,
        status: 'ACTIVE',
        startedAt: DAY1.toISOString(),
        expiresAtEpoch: nowEpoch + 300,
        tokenExpiresAtEpoch: nowEpoch + 7200,
      },
    );

    const titles = (await popularity.startsOn([day(DAY1)])).map((t) => t.titleId).sort();
    expect(titles).toEqual(['drama', 'rush']);
    expect(await popularity.startsOn(['2001-01-01'])).toEqual([]);
  });
});
