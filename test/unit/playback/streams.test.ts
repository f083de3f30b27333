import { describe, expect, it } from 'vitest';
import type { PlaybackSession } from '../../../lambdas/playback/domain/ports.ts';
import {
  claimStream,
  claimStreamSlot,
  MAX_CLAIM_ATTEMPTS,
  openStreams,
} from '../../../lambdas/playback/domain/streams.ts';
import { ACCOUNT, FakeSessions } from './fakes.ts';

const NOW = 1_795_000_000;

function session(sessionId: string): PlaybackSession {
  return {
    sessionId,
    accountId: ACCOUNT,
    profileId: 'p1',
    titleId: 'movie-1',
    assetId: 'asset-1',
    manifestKey: 'media/movie-1/asset-1/hls/index.m3u8',
    maxHeight: 720,
    status: 'ACTIVE',
    startedAt: new Date(NOW * 1000).toISOString(),
    expiresAtEpoch: NOW + 300,
    tokenExpiresAtEpoch: NOW + 7200,
  };
}

describe('the stream map', () => {
  it('counts only the streams that expire after now (one expiring this very second is closed)', () => {
    expect(openStreams({ a: NOW + 1, b: NOW, c: NOW - 60 }, NOW)).toEqual({ a: NOW + 1 });
  });

  it('refuses a second stream on a limit of one', () => {
    expect(claimStream({ a: NOW + 100 }, 1, 'b', NOW + 300, NOW)).toEqual({ ok: false, open: 1 });
  });

  it('gives the slot of a lapsed stream to a new one, and prunes the lapsed entry', () => {
    expect(claimStream({ a: NOW - 1 }, 1, 'b', NOW + 300, NOW)).toEqual({ ok: true, next: { b: NOW + 300 } });
  });

  it('allows up to the limit', () => {
    const second = claimStream({ a: NOW + 100 }, 2, 'b', NOW + 300, NOW);
    const third = claimStream({ a: NOW + 100, b: NOW + 300 }, 2, 'c', NOW + 300, NOW);

    expect(second).toEqual({ ok: true, next: { a: NOW + 100, b: NOW + 300 } });
    expect(third).toEqual({ ok: false, open: 2 });
  });
});

describe('claiming a stream slot', () => {
  it('stores the session with the slot', async () => {
    const store = new FakeSessions();

    await claimStreamSlot(store, ACCOUNT, 1, session('s1'), NOW);

    expect(store.maps.get(ACCOUNT)).toEqual({ streams: { s1: NOW + 300 }, version: 1 });
    expect(store.sessions.get('s1')?.status).toBe('ACTIVE');
  });

  it('refuses with 409 STREAM_LIMIT_REACHED when the plan is full, storing nothing', async () => {
    const store = new FakeSessions();
    await claimStreamSlot(store, ACCOUNT, 1, session('s1'), NOW);

    const refused = claimStreamSlot(store, ACCOUNT, 1, session('s2'), NOW);

    await expect(refused).rejects.toMatchObject({ code: 'STREAM_LIMIT_REACHED', status: 409 });
    expect(store.sessions.has('s2')).toBe(false);
  });

  it('reads again and retries when another writer changed the map in between', async () => {
    const store = new FakeSessions();
    store.conflicts = 3;

    await claimStreamSlot(store, ACCOUNT, 1, session('s1'), NOW);

    expect(store.commits).toBe(4);
    expect(store.sessions.has('s1')).toBe(true);
  });

  it('gives up with 503 STREAM_CLAIM_CONTENDED after its attempts under endless contention', async () => {
    const store = new FakeSessions();
    store.conflicts = Number.POSITIVE_INFINITY;

    await expect(claimStreamSlot(store, ACCOUNT, 1, session('s1'), NOW)).rejects.toMatchObject({
      code: 'STREAM_CLAIM_CONTENDED',
      status: 503,
    });
    expect(store.commits).toBe(MAX_CLAIM_ATTEMPTS);
  });
});
