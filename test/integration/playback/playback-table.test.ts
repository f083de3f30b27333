import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoSessionStore } from '../../../lambdas/playback/adapters/playback-table.ts';
import type { PlaybackSession, SessionStore } from '../../../lambdas/playback/domain/ports.ts';
import { claimStreamSlot, SESSION_TTL_SEC } from '../../../lambdas/playback/domain/streams.ts';
import { startTestDynamo, type TestDynamo } from '../../support/dynamo.ts';

/**
 * "Now" for the use case: a day ahead of the real clock, because DynamoDB Local applies the
 * table's TTL against the real clock and would delete items that expire in its past.
 */
const NOW = Math.floor(Date.now() / 1000) + 86_400;

let dynamo: TestDynamo;
let store: SessionStore;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  store = dynamoSessionStore(await dynamo.createTable('playback'));
});

afterAll(async () => {
  await dynamo?.stop();
});

function session(accountId: string, overrides: Partial<PlaybackSession> = {}): PlaybackSession {
  return {
    sessionId: randomUUID(),
    accountId,
    profileId: 'p1',
    titleId: 'movie-1',
    assetId: 'asset-1',
    manifestKey: 'media/movie-1/asset-1/hls/index.m3u8',
    maxHeight: 720,
    codecs: ['avc1', 'mp4a'],
    status: 'ACTIVE',
    startedAt: new Date(NOW * 1000).toISOString(),
    expiresAtEpoch: NOW + SESSION_TTL_SEC,
    tokenExpiresAtEpoch: NOW + 7200,
    ...overrides,
  };
}

/** Starts a session the way the use case does; answers it, or the refusal's code. */
async function start(accountId: string, limit: number, now = NOW): Promise<PlaybackSession | string> {
  const s = session(accountId, { expiresAtEpoch: now + SESSION_TTL_SEC });
  try {
    await claimStreamSlot(store, accountId, limit, s, now);
    return s;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe('the playback table', () => {
  describe('the concurrent-stream limit', () => {
    it('lets exactly one of 10 simultaneous starts through a limit of 1', async () => {
      const account = randomUUID();

      const results = await Promise.all(Array.from({ length: 10 }, () => start(account, 1)));

      const started = results.filter((r): r is PlaybackSession => typeof r !== 'string');
      expect(started).toHaveLength(1);
      expect(results.filter((r) => r === 'STREAM_LIMIT_REACHED')).toHaveLength(9);
      expect(Object.keys((await store.readStreams(account)).streams)).toEqual([started[0]?.sessionId]);
    });

    it('lets exactly two of 10 simultaneous starts through a limit of 2', async () => {
      const account = randomUUID();

      const results = await Promise.all(Array.from({ length: 10 }, () => start(account, 2)));

      const started = results.filter((r): r is PlaybackSession => typeof r !== 'string');
      expect(started).toHaveLength(2);
      expect(results.filter((r) => r === 'STREAM_LIMIT_REACHED')).toHaveLength(8);
      expect(Object.keys((await store.readStreams(account)).streams).sort()).toEqual(
        started.map((s) => s.sessionId).sort(),
      );
    });

    it('lets a start through after the open session ended', async () => {
      const account = randomUUID();
      const first = await start(account, 1);
      if (typeof first === 'string') throw new Error(first);
      expect(await start(account, 1)).toBe('STREAM_LIMIT_REACHED');

      expect(await store.end(account, first.sessionId, new Date(NOW * 1000).toISOString())).toBe(true);
      const second = await start(account, 1);

      expect(typeof second).not.toBe('string');
    });

    it('gives the slot of a lapsed session to a new start, and prunes it from the map', async () => {
      const account = randomUUID();
      const first = await start(account, 1);
      if (typeof first === 'string') throw new Error(first);

      const later = await start(account, 1, NOW + SESSION_TTL_SEC);

      if (typeof later === 'string') throw new Error(later);
      expect((await store.readStreams(account)).streams).toEqual({ [later.sessionId]: later.expiresAtEpoch });
    });

    it('stores the session with the slot, readable by id', async () => {
      const account = randomUUID();
      const started = await start(account, 1);
      if (typeof started === 'string') throw new Error(started);

      expect(await store.get(started.sessionId)).toEqual(started);
      expect(await store.get(randomUUID())).toBeUndefined();
    });
  });

  describe('heartbeats', () => {
    it('extend the session and its entry in the stream map together', async () => {
      const account = randomUUID();
      const started = await start(account, 1);
      if (typeof started === 'string') throw new Error(started);

      const extended = await store.extend(account, started.sessionId, NOW + 400, NOW + 100);

      expect(extended).toBe(true);
      expect((await store.get(started.sessionId))?.expiresAtEpoch).toBe(NOW + 400);
      expect((await store.readStreams(account)).streams).toEqual({ [started.sessionId]: NOW + 400 });
    });

    it("change nothing for another account's session", async () => {
      const account = randomUUID();
      const started = await start(account, 1);
      if (typeof started === 'string') throw new Error(started);

      expect(await store.extend(randomUUID(), started.sessionId, NOW + 400, NOW + 100)).toBe(false);
      expect((await store.get(started.sessionId))?.expiresAtEpoch).toBe(started.expiresAtEpoch);
    });

    it('change nothing for an ended, a lapsed or an unknown session', async () => {
      const account = randomUUID();
      const ended = await start(account, 2);
      const lapsed = await start(account, 2);
      if (typeof ended === 'string' || typeof lapsed === 'string') throw new Error('start failed');
      await store.end(account, ended.sessionId, new Date().toISOString());

      expect(await store.extend(account, ended.sessionId, NOW + 400, NOW + 100)).toBe(false);
      expect(await store.extend(account, lapsed.sessionId, NOW + 900, NOW + SESSION_TTL_SEC)).toBe(false);
      expect(await store.extend(account, randomUUID(), NOW + 400, NOW + 100)).toBe(false);
    });
  });

  describe('ending', () => {
    it('marks the session ENDED and frees its slot', async () => {
      const account = randomUUID();
      const started = await start(account, 1);
      if (typeof started === 'string') throw new Error(started);

      await store.end(account, started.sessionId, '2026-11-21T10:05:00.000Z');

      expect(await store.get(started.sessionId)).toMatchObject({
        status: 'ENDED',
        endedAt: '2026-11-21T10:05:00.000Z',
      });
      expect((await store.readStreams(account)).streams).toEqual({});
    });

    it("refuses another account's session and leaves it open", async () => {
      const account = randomUUID();
      const started = await start(account, 1);
      if (typeof started === 'string') throw new Error(started);

      expect(await store.end(randomUUID(), started.sessionId, new Date().toISOString())).toBe(false);
      expect((await store.get(started.sessionId))?.status).toBe('ACTIVE');
      expect(Object.keys((await store.readStreams(account)).streams)).toEqual([started.sessionId]);
    });

    it('is idempotent and keeps the first end time', async () => {
      const account = randomUUID();
      const started = await start(account, 1);
      if (typeof started === 'string') throw new Error(started);
      await store.end(account, started.sessionId, '2026-11-21T10:05:00.000Z');

      expect(await store.end(account, started.sessionId, '2026-11-21T11:00:00.000Z')).toBe(true);
      expect((await store.get(started.sessionId))?.endedAt).toBe('2026-11-21T10:05:00.000Z');
    });

    it('ends a session whose entry was already pruned from the map', async () => {
      const account = randomUUID();
      const lapsed = await start(account, 1);
      if (typeof lapsed === 'string') throw new Error(lapsed);
      await start(account, 1, NOW + SESSION_TTL_SEC); // prunes the lapsed entry

      expect(await store.end(account, lapsed.sessionId, new Date().toISOString())).toBe(true);
      expect((await store.get(lapsed.sessionId))?.status).toBe('ENDED');
    });

    it('answers false for an unknown session', async () => {
      expect(await store.end(randomUUID(), randomUUID(), new Date().toISOString())).toBe(false);
    });

    it('never lets a start that read the map before an end write back the ended session', async () => {
      const account = randomUUID();
      const first = await start(account, 2);
      if (typeof first === 'string') throw new Error(first);
      const stale = await store.readStreams(account);

      await store.end(account, first.sessionId, new Date().toISOString());
      const late = session(account);
      const committed = await store.commitStart(
        account,
        stale.version,
        { ...stale.streams, [late.sessionId]: late.expiresAtEpoch },
        late,
      );

      expect(committed).toBe(false);
      expect((await store.readStreams(account)).streams).toEqual({});
    });
  });
});
