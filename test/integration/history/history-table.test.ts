import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoHistoryStore } from '../../../lambdas/history/adapters/history-table.ts';
import type { HistoryRecord, HistoryStore } from '../../../lambdas/history/domain/ports.ts';
import { startTestDynamo, type TestDynamo } from '../../support/dynamo.ts';

let dynamo: TestDynamo;
let store: HistoryStore;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  store = dynamoHistoryStore(await dynamo.createTable('history'));
});

afterAll(async () => {
  await dynamo?.stop();
});

const newProfileKey = () => `${randomUUID()}#${randomUUID()}`;

function heartbeat(titleId: string, clientTs: number, overrides: Partial<HistoryRecord> = {}): HistoryRecord {
  return {
    titleId,
    positionSec: clientTs / 1000,
    durationSec: 3600,
    clientTs,
    updatedAt: new Date(Date.UTC(2026, 10, 21, 10, 0, 0, clientTs % 1000)).toISOString(),
    finished: false,
    titleName: `Title ${titleId}`,
    ...overrides,
  };
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

describe('history table', () => {
  it('keeps the position of the latest client time when 20 heartbeats race out of order', async () => {
    const key = newProfileKey();
    const beats = Array.from({ length: 20 }, (_, i) => heartbeat('movie', 1_700_000_000_000 + i * 10_000));
    const latest = beats.at(-1) as HistoryRecord;

    const arrival = shuffled(beats);

    const answers = await Promise.all(arrival.map((b) => store.record(key, b)));

    expect(await store.get(key, 'movie')).toMatchObject({
      positionSec: latest.positionSec,
      clientTs: latest.clientTs,
    });
    // Each answer is a stored state, never older than the heartbeat it answers.
    expect(answers.every((answer, i) => answer.clientTs >= (arrival[i]?.clientTs ?? Infinity))).toBe(true);
  });

  it('answers the stored entry, unchanged, to an older heartbeat', async () => {
    const key = newProfileKey();
    const stored = await store.record(key, heartbeat('movie', 2000, { positionSec: 300, finished: false }));

    const answer = await store.record(key, heartbeat('movie', 1000, { positionSec: 100 }));

    expect(answer).toEqual(stored);
    expect(await store.get(key, 'movie')).toEqual(stored);
  });

  it('accepts the same heartbeat twice', async () => {
    const key = newProfileKey();
    const beat = heartbeat('movie', 5000);

    await store.record(key, beat);
    const again = await store.record(key, { ...beat, updatedAt: '2026-11-21T11:00:00.000Z' });

    expect(again).toEqual({ ...beat, updatedAt: '2026-11-21T11:00:00.000Z' });
  });

  it('keeps the series, season and episode of an episode', async () => {
    const key = newProfileKey();
    const beat = heartbeat('show-s1e2', 1000, { seriesId: 'show', seasonNumber: 1, episodeNumber: 2 });

    const answer = await store.record(key, beat);

    expect(answer).toEqual(beat);
  });

  it('lists the most recently updated first, by pages', async () => {
    const key = newProfileKey();
    for (const [titleId, second] of [
      ['a', 1],
      ['b', 5],
      ['c', 3],
      ['d', 4],
      ['e', 2],
    ] as const) {
      await store.record(key, heartbeat(titleId, 1000, { updatedAt: `2026-11-21T10:00:0${second}.000Z` }));
    }

    const first = await store.recent(key, { limit: 2 });
    const second = await store.recent(key, { limit: 2, after: first.lastKey });
    const third = await store.recent(key, { limit: 2, after: second.lastKey });

    expect([first, second, third].map((p) => p.records.map((r) => r.titleId))).toEqual([
      ['b', 'd'],
      ['c', 'e'],
      ['a'],
    ]);
    expect(first.lastKey).toEqual({ titleId: 'd', updatedAt: '2026-11-21T10:00:04.000Z' });
  });

  it("never lists another profile's entries", async () => {
    const mine = newProfileKey();
    const theirs = newProfileKey();
    await store.record(theirs, heartbeat('secret', 1000));

    const page = await store.recent(mine, { limit: 10 });

    expect(page.records).toEqual([]);
    expect(await store.get(mine, 'secret')).toBeUndefined();
  });

  it('forgets a title, and forgetting it again is fine', async () => {
    const key = newProfileKey();
    await store.record(key, heartbeat('movie', 1000));

    await store.remove(key, 'movie');
    await store.remove(key, 'movie');

    expect(await store.get(key, 'movie')).toBeUndefined();
  });
});
