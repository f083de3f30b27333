import { createHmac } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseEdgeToken } from '#contracts/edge.ts';
import {
  endPlayback,
  heartbeat,
  masterPlaylist,
  type StartPlaybackRequest,
  startPlayback,
  steering,
  TOKEN_GRACE_SEC,
} from '../../../lambdas/playback/domain/playback.ts';
import { SESSION_TTL_SEC } from '../../../lambdas/playback/domain/streams.ts';
import {
  ACCOUNT,
  FakeCatalog,
  FakeClock,
  FakeEdgeHealth,
  FakeEntitlements,
  FakeMedia,
  FakePopularity,
  FakeProfiles,
  FakeResume,
  FakeRevocations,
  FakeSessions,
  fixedKeys,
  KEY,
  MASTER,
  OTHER_ACCOUNT,
  PATHWAYS,
  sequentialIds,
} from './fakes.ts';

const API = 'https://api.test';
const US = { accountId: ACCOUNT, country: 'US' };

let profiles: FakeProfiles;
let titles: FakeCatalog;
let entitlements: FakeEntitlements;
let media: FakeMedia;
let sessions: FakeSessions;
let clock: FakeClock;
let revocations: FakeRevocations;
let health: FakeEdgeHealth;
let ids: ReturnType<typeof sequentialIds>;
let resume: FakeResume;
let popularity: FakePopularity;

beforeEach(() => {
  profiles = new FakeProfiles();
  titles = new FakeCatalog();
  entitlements = new FakeEntitlements();
  media = new FakeMedia();
  sessions = new FakeSessions();
  clock = new FakeClock();
  revocations = new FakeRevocations();
  health = new FakeEdgeHealth();
  ids = sequentialIds();
  resume = new FakeResume();
  popularity = new FakePopularity();
  profiles.add(ACCOUNT, 'p1', 'adult');
  profiles.add(ACCOUNT, 'kid', 'kids');
  titles.movie('movie-1');
  media.objects.set('media/movie-1/asset-1/hls/index.m3u8', MASTER);
  entitlements.plan(ACCOUNT, 'basic');
});

const ports = () => ({
  profiles,
  titles,
  entitlements,
  media,
  sessions,
  keys: fixedKeys(KEY),
  clock,
  ids,
  resume,
  popularity,
});
const start = (request: Partial<StartPlaybackRequest> = {}, viewer = US) =>
  startPlayback(ports(), viewer, { profileId: 'p1', titleId: 'movie-1', ...request }, API);
const tokenOf = (manifestUrl: string) => new URL(manifestUrl).searchParams.get('token') ?? undefined;
const delivery = { pathways: PATHWAYS, apiBaseUrl: API };

describe('starting playback', () => {
  it('opens a session and answers its manifest URL, resume point and expiry', async () => {
    const started = await start();

    expect(started).toEqual({
      sessionId: 'sess-1',
      manifestUrl: expect.stringMatching(
        /^https:\/\/api\.test\/v1\/playback\/sess-1\/master\.m3u8\?token=k1\.\d+\.[\w-]{43}$/,
      ),
      resumeAtSec: 0,
      expiresAt: new Date(clock.now().getTime() + SESSION_TTL_SEC * 1000).toISOString(),
    });
  });

  it('stores the session capped by the lower of plan and device, with the device codecs', async () => {
    entitlements.plan(ACCOUNT, 'premium');

    await start({ device: { maxHeight: 1080, codecs: ['avc1', 'mp4a'] } });

    expect(sessions.sessions.get('sess-1')).toMatchObject({
      accountId: ACCOUNT,
      profileId: 'p1',
      titleId: 'movie-1',
      assetId: 'asset-1',
      manifestKey: 'media/movie-1/asset-1/hls/index.m3u8',
      maxHeight: 1080,
      codecs: ['avc1', 'mp4a'],
      status: 'ACTIVE',
    });
  });

  it("keeps the plan's cap when the device allows more", async () => {
    await start({ device: { maxHeight: 2160 } });

    expect(sessions.sessions.get('sess-1')?.maxHeight).toBe(720);
  });

  it('signs tokens for the length of the title plus a grace for pauses', async () => {
    const started = await start();

    const nowEpoch = Math.floor(clock.now().getTime() / 1000);
    expect(sessions.sessions.get('sess-1')?.tokenExpiresAtEpoch).toBe(nowEpoch + 600 + TOKEN_GRACE_SEC);
    expect(tokenOf(started.manifestUrl)).toContain(`.${nowEpoch + 600 + TOKEN_GRACE_SEC}.`);
  });

  it('resumes where the profile left off in history, in whole seconds', async () => {
    resume.set(ACCOUNT, 'p1', 'movie-1', 321.7);
    resume.set(ACCOUNT, 'kid', 'movie-1', 99);

    expect((await start()).resumeAtSec).toBe(321);
  });

  it('starts at 0 when history fails, or its position is past the end of the asset', async () => {
    resume.set(ACCOUNT, 'p1', 'movie-1', 600);
    expect((await start()).resumeAtSec).toBe(0);

    entitlements.plan(ACCOUNT, 'premium');
    resume.failing = true;
    resume.set(ACCOUNT, 'p1', 'movie-1', 120);
    expect((await start()).resumeAtSec).toBe(0);
  });

  it('counts the start for prepositioning, with the asset it played', async () => {
    await start();

    expect(popularity.starts).toEqual([
      {
        asset: {
          titleId: 'movie-1',
          assetId: 'asset-1',
          manifestKey: 'media/movie-1/asset-1/hls/index.m3u8',
        },
        day: clock.now().toISOString().slice(0, 10),
      },
    ]);
  });

  it('plays even when the start cannot be counted, and counts no refused start', async () => {
    popularity.failing = true;
    await expect(start()).resolves.toMatchObject({ sessionId: 'sess-1' });

    popularity.failing = false;
    await expect(start()).rejects.toMatchObject({ code: 'STREAM_LIMIT_REACHED' });
    expect(popularity.starts).toEqual([]);
  });

  describe('refusals, in the order the checks run', () => {
    it("answers 404 PROFILE_NOT_FOUND for another account's profile, before asking the catalog", async () => {
      profiles.add(OTHER_ACCOUNT, 'theirs');

      await expect(start({ profileId: 'theirs' })).rejects.toMatchObject({
        code: 'PROFILE_NOT_FOUND',
        status: 404,
      });
      expect(titles.calls).toEqual([]);
    });

    it("answers 404 TITLE_NOT_FOUND for a title not licensed in the viewer's country", async () => {
      titles.movie('samba', { countries: ['BR'] });
      media.objects.set('media/samba/asset-1/hls/index.m3u8', MASTER);

      await expect(start({ titleId: 'samba' })).rejects.toMatchObject({
        code: 'TITLE_NOT_FOUND',
        status: 404,
      });
      await expect(start({ titleId: 'samba' }, { accountId: ACCOUNT, country: 'BR' })).resolves.toMatchObject(
        {
          sessionId: expect.any(String),
        },
      );
    });

    it('answers 404 TITLE_NOT_FOUND to a kids profile for a teen title, even from a catalog that forgets to filter', async () => {
      titles.ignoresMaturity = true;

      await expect(start({ profileId: 'kid' })).rejects.toMatchObject({ code: 'TITLE_NOT_FOUND' });
    });

    it('answers 409 TITLE_NOT_PLAYABLE for a title without an asset, before asking for the entitlement', async () => {
      titles.movie('coming-soon', { asset: undefined });

      await expect(start({ titleId: 'coming-soon' })).rejects.toMatchObject({
        code: 'TITLE_NOT_PLAYABLE',
        status: 409,
      });
      expect(entitlements.calls).toEqual([]);
    });

    it.each([
      ['NO_SUBSCRIPTION', 403],
      ['SUBSCRIPTION_CANCELED', 403],
      ['PAYMENT_PAST_DUE', 402],
    ] as const)('answers %s with %i when the account may not play', async (reasonCode, status) => {
      entitlements.refuse(ACCOUNT, reasonCode);

      await expect(start()).rejects.toMatchObject({ code: reasonCode, status });
      expect(sessions.commits).toBe(0);
    });

    it('answers 403 NO_SUBSCRIPTION to an account the subscriptions service has never seen', async () => {
      await expect(start({}, { accountId: 'acct-new', country: 'US' })).rejects.toMatchObject({
        code: 'PROFILE_NOT_FOUND',
      });
      profiles.add('acct-new', 'p1');

      await expect(start({}, { accountId: 'acct-new', country: 'US' })).rejects.toMatchObject({
        code: 'NO_SUBSCRIPTION',
        status: 403,
      });
    });

    it('answers 409 NO_PLAYABLE_RENDITION when no rendition fits the device, taking no stream slot', async () => {
      await expect(start({ device: { maxHeight: 240 } })).rejects.toMatchObject({
        code: 'NO_PLAYABLE_RENDITION',
        status: 409,
      });
      await expect(start({ device: { codecs: ['vp09'] } })).rejects.toMatchObject({
        code: 'NO_PLAYABLE_RENDITION',
      });
      expect(sessions.commits).toBe(0);
    });

    it('refuses a second stream on the basic plan with 409 STREAM_LIMIT_REACHED', async () => {
      await start();

      await expect(start()).rejects.toMatchObject({ code: 'STREAM_LIMIT_REACHED', status: 409 });
    });

    it('allows two streams on the standard plan, not three', async () => {
      entitlements.plan(ACCOUNT, 'standard');
      await start();
      await start();

      await expect(start()).rejects.toMatchObject({ code: 'STREAM_LIMIT_REACHED' });
    });
  });

  it('allows a new stream once the first one ended', async () => {
    const first = await start();
    await endPlayback({ sessions, revocations, clock }, ACCOUNT, first.sessionId);

    await expect(start()).resolves.toMatchObject({ sessionId: 'sess-2' });
    expect(sessions.maps.get(ACCOUNT)?.streams).toEqual({ 'sess-2': expect.any(Number) });
  });

  it('frees the slot of a session that stopped sending heartbeats', async () => {
    await start();
    clock.advance(SESSION_TTL_SEC);

    await expect(start()).resolves.toMatchObject({ sessionId: expect.any(String) });
  });

  it('keeps a session that sends heartbeats', async () => {
    const first = await start();
    clock.advance(SESSION_TTL_SEC - 10);
    await heartbeat({ sessions, clock }, ACCOUNT, first.sessionId);
    clock.advance(60);

    await expect(start()).rejects.toMatchObject({ code: 'STREAM_LIMIT_REACHED' });
  });
});

describe('the master playlist of a session', () => {
  const deliveryPorts = () => ({ sessions, media, keys: fixedKeys(KEY), clock });

  it('is served for the token of the start answer, with edge tokens for the session', async () => {
    const started = await start();

    const text = await masterPlaylist(
      deliveryPorts(),
      started.sessionId,
      tokenOf(started.manifestUrl),
      delivery,
    );

    const uri = text.split('\n').find((l) => l.startsWith('https://a.edge.test/t/')) ?? '';
    const edgeToken = uri.split('/')[4] ?? '';
    const claims = parseEdgeToken(edgeToken);
    expect(claims).toMatchObject({
      kid: 'k1',
      sessionId: started.sessionId,
      titleId: 'movie-1',
      assetId: 'asset-1',
      maxHeight: 720,
      expiresAt: sessions.sessions.get(started.sessionId)?.tokenExpiresAtEpoch,
    });
    const signed = edgeToken.split('.').slice(0, 6).join('.');
    expect(claims?.sig).toBe(
      createHmac('sha256', Buffer.from(KEY.secret, 'base64')).update(signed).digest('base64url'),
    );
    expect(text).toContain(
      `#EXT-X-CONTENT-STEERING:SERVER-URI="${API}/v1/steering/${started.sessionId}?token=${tokenOf(started.manifestUrl)}",PATHWAY-ID="edge-a"`,
    );
    expect(text).not.toMatch(/1080p|2160p/);
  });

  it('honours the device codecs given at start', async () => {
    entitlements.plan(ACCOUNT, 'premium');
    const started = await start({ device: { codecs: ['avc1', 'mp4a'] } });

    const text = await masterPlaylist(
      deliveryPorts(),
      started.sessionId,
      tokenOf(started.manifestUrl),
      delivery,
    );

    expect(text).toContain('index_1080p.m3u8');
    expect(text).not.toContain('hvc1');
  });

  it("answers 403 INVALID_TOKEN to another session's token", async () => {
    const first = await start();
    entitlements.plan(ACCOUNT, 'standard');
    const second = await start();

    await expect(
      masterPlaylist(deliveryPorts(), first.sessionId, tokenOf(second.manifestUrl), delivery),
    ).rejects.toMatchObject({ code: 'INVALID_TOKEN', status: 403 });
  });

  it('answers 403 SESSION_ENDED once the session ended, and once it lapsed', async () => {
    entitlements.plan(ACCOUNT, 'standard');
    const ended = await start();
    const lapsed = await start();
    await endPlayback({ sessions, revocations, clock }, ACCOUNT, ended.sessionId);
    clock.advance(SESSION_TTL_SEC);

    for (const session of [ended, lapsed]) {
      await expect(
        masterPlaylist(deliveryPorts(), session.sessionId, tokenOf(session.manifestUrl), delivery),
      ).rejects.toMatchObject({ code: 'SESSION_ENDED', status: 403 });
    }
  });

  it('answers 404 SESSION_NOT_FOUND to a well-signed token of a session that does not exist', async () => {
    const started = await start();
    sessions.sessions.clear();

    await expect(
      masterPlaylist(deliveryPorts(), started.sessionId, tokenOf(started.manifestUrl), delivery),
    ).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND', status: 404 });
  });
});

describe('steering', () => {
  it('orders the pathways by edge health and reloads from the same URL', async () => {
    const started = await start();
    health.healthy = new Set(['edge-b']);
    const token = tokenOf(started.manifestUrl);

    const manifest = await steering(
      { keys: fixedKeys(KEY), clock, health },
      started.sessionId,
      token,
      delivery,
    );

    expect(manifest).toEqual({
      VERSION: 1,
      TTL: 10,
      'RELOAD-URI': `${API}/v1/steering/${started.sessionId}?token=${token}`,
      'PATHWAY-PRIORITY': ['edge-b', 'edge-a'],
    });
  });

  it('answers 403 INVALID_TOKEN without a token, before checking any edge', async () => {
    await expect(
      steering({ keys: fixedKeys(KEY), clock, health }, 'sess-1', undefined, delivery),
    ).rejects.toMatchObject({
      code: 'INVALID_TOKEN',
    });
    expect(health.calls).toEqual([]);
  });
});

describe('heartbeats', () => {
  it('extend the session by five minutes from now', async () => {
    const started = await start();
    clock.advance(120);

    const answer = await heartbeat({ sessions, clock }, ACCOUNT, started.sessionId);

    expect(answer).toEqual({
      sessionId: started.sessionId,
      expiresAt: new Date(clock.now().getTime() + SESSION_TTL_SEC * 1000).toISOString(),
    });
  });

  it.each([
    ['an unknown session', async () => 'nope'],
    [
      'an ended session',
      async () => {
        const s = await start();
        await endPlayback({ sessions, revocations, clock }, ACCOUNT, s.sessionId);
        return s.sessionId;
      },
    ],
    [
      'a lapsed session',
      async () => {
        const s = await start();
        clock.advance(SESSION_TTL_SEC);
        return s.sessionId;
      },
    ],
  ])('answer 404 SESSION_NOT_FOUND for %s', async (_, make) => {
    const sessionId = await make();

    await expect(heartbeat({ sessions, clock }, ACCOUNT, sessionId)).rejects.toMatchObject({
      code: 'SESSION_NOT_FOUND',
      status: 404,
    });
  });

  it("answer 404 SESSION_NOT_FOUND for another account's session", async () => {
    const started = await start();

    await expect(heartbeat({ sessions, clock }, OTHER_ACCOUNT, started.sessionId)).rejects.toMatchObject({
      code: 'SESSION_NOT_FOUND',
    });
  });
});

describe('ending playback', () => {
  it('ends the session and revokes it at the edge', async () => {
    const started = await start();

    await endPlayback({ sessions, revocations, clock }, ACCOUNT, started.sessionId);

    expect(sessions.sessions.get(started.sessionId)).toMatchObject({
      status: 'ENDED',
      endedAt: clock.now().toISOString(),
    });
    expect(revocations.revoked).toEqual([started.sessionId]);
  });

  it("revokes until the session's tokens expire anyway, so the entry can be swept then", async () => {
    const started = await start();
    const tokenExpiresAtEpoch = sessions.sessions.get(started.sessionId)?.tokenExpiresAtEpoch;

    await endPlayback({ sessions, revocations, clock }, ACCOUNT, started.sessionId);

    expect(tokenExpiresAtEpoch).toBeGreaterThan(clock.now().getTime() / 1000);
    expect(revocations.until.get(started.sessionId)).toBe(tokenExpiresAtEpoch);
  });

  it("answers 404 SESSION_NOT_FOUND for another account's session and leaves it playing", async () => {
    const started = await start();

    await expect(
      endPlayback({ sessions, revocations, clock }, OTHER_ACCOUNT, started.sessionId),
    ).rejects.toMatchObject({
      code: 'SESSION_NOT_FOUND',
      status: 404,
    });
    expect(sessions.sessions.get(started.sessionId)?.status).toBe('ACTIVE');
    expect(revocations.revoked).toEqual([]);
  });

  it('revokes again when asked again (a retry after a failed revocation)', async () => {
    const started = await start();
    await endPlayback({ sessions, revocations, clock }, ACCOUNT, started.sessionId);

    await endPlayback({ sessions, revocations, clock }, ACCOUNT, started.sessionId);

    expect(revocations.revoked).toEqual([started.sessionId, started.sessionId]);
  });
});
