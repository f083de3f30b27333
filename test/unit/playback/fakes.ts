/** In-memory stand-ins for the playback use cases' ports, with the real ones' semantics. */

import type { TitleAsset } from '#contracts/api/catalog.ts';
import { type Maturity, maturityAllows } from '#contracts/api/common.ts';
import { PLANS } from '#contracts/api/subscriptions.ts';
import type { Entitlement, TitleFacts } from '#contracts/internal.ts';
import type {
  EdgeHealth,
  EntitlementSource,
  MediaStore,
  Pathway,
  PlaybackSession,
  PlayedAsset,
  Popularity,
  PopularTitle,
  ProfileDirectory,
  ProfileFacts,
  ResumePositions,
  Revocations,
  SessionStore,
  SigningKey,
  SigningKeys,
  StreamMap,
  TitleDirectory,
} from '../../../lambdas/playback/domain/ports.ts';

export const ACCOUNT = 'acct-1';
export const OTHER_ACCOUNT = 'acct-2';
export const KEY: SigningKey = { kid: 'k1', secret: Buffer.alloc(32, 7).toString('base64') };
export const PATHWAYS: Pathway[] = [
  { id: 'edge-a', baseUrl: 'https://a.edge.test' },
  { id: 'edge-b', baseUrl: 'http://127.0.0.1:8081' },
];
export const MANIFEST_KEY = 'media/movie-1/asset-1/hls/index.m3u8';

/**
 * A multivariant playlist shaped like the pipeline's (CMAF, audio and subtitles as groups),
 * with a 4K HEVC rung and I-frame playlists to exercise the filters.
 */
export const MASTER = [
  '#EXTM3U',
  '#EXT-X-VERSION:6',
  '#EXT-X-INDEPENDENT-SEGMENTS',
  '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,URI="index_audio.m3u8"',
  '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",DEFAULT=YES,AUTOSELECT=YES,FORCED=NO,LANGUAGE="en",URI="index_en.m3u8"',
  '#EXT-X-STREAM-INF:BANDWIDTH=700000,AVERAGE-BANDWIDTH=600000,CODECS="avc1.4d401e,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=30,AUDIO="audio",SUBTITLES="subs"',
  'index_360p.m3u8',
  '#EXT-X-STREAM-INF:BANDWIDTH=1500000,AVERAGE-BANDWIDTH=1200000,CODECS="avc1.4d401f,mp4a.40.2",RESOLUTION=960x540,FRAME-RATE=30,AUDIO="audio",SUBTITLES="subs"',
  'index_540p.m3u8',
  '#EXT-X-STREAM-INF:BANDWIDTH=3000000,AVERAGE-BANDWIDTH=2500000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=30,AUDIO="audio",SUBTITLES="subs"',
  'index_720p.m3u8',
  '#EXT-X-STREAM-INF:BANDWIDTH=6000000,AVERAGE-BANDWIDTH=5000000,CODECS="avc1.640028,mp4a.40.2",RESOLUTION=1920x1080,FRAME-RATE=30,VIDEO-RANGE=SDR,AUDIO="audio",SUBTITLES="subs"',
  'index_1080p.m3u8',
  '#EXT-X-STREAM-INF:BANDWIDTH=16000000,AVERAGE-BANDWIDTH=14000000,CODECS="hvc1.2.4.L150.B0,mp4a.40.2",RESOLUTION=3840x2160,FRAME-RATE=30,AUDIO="audio",SUBTITLES="subs"',
  'index_2160p.m3u8',
  '#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=90000,CODECS="avc1.4d401e",RESOLUTION=640x360,URI="index_360p_iframes.m3u8"',
  '#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=400000,CODECS="avc1.640028",RESOLUTION=1920x1080,URI="index_1080p_iframes.m3u8"',
  '',
].join('\n');

export class FakeProfiles implements ProfileDirectory {
  readonly calls: string[] = [];
  readonly #profiles = new Map<string, ProfileFacts>();

  add(accountId: string, profileId: string, maturity: Maturity = 'adult'): ProfileFacts {
    const profile = { profileId, maturity, name: `Profile ${profileId}` };
    this.#profiles.set(`${accountId}#${profileId}`, profile);
    return profile;
  }

  async getProfile(accountId: string, profileId: string): Promise<ProfileFacts | null> {
    this.calls.push(`${accountId}#${profileId}`);
    return this.#profiles.get(`${accountId}#${profileId}`) ?? null;
  }
}

export function asset(titleId: string, overrides: Partial<TitleAsset> = {}): TitleAsset {
  return {
    assetId: 'asset-1',
    titleId,
    jobId: 'job-1',
    publishedAt: '2026-11-01T00:00:00Z',
    manifestKey: `media/${titleId}/asset-1/hls/index.m3u8`,
    durationSec: 600,
    renditions: [],
    audio: true,
    captions: [],
    posterKey: `media/${titleId}/asset-1/poster/poster.0000000.jpg`,
    thumbnails: { intervalSec: 10, keys: [] },
    ...overrides,
  };
}

/** A catalog that honours countries and, unless told to misbehave, maturity. */
export class FakeCatalog implements TitleDirectory {
  readonly calls: string[][] = [];
  readonly #titles = new Map<string, TitleFacts & { countries: string[] }>();
  /** A catalog that forgets to filter by maturity: the use case must check again. */
  ignoresMaturity = false;

  movie(titleId: string, options: Partial<TitleFacts & { countries: string[] }> = {}): TitleFacts {
    const title = {
      titleId,
      kind: 'movie' as const,
      name: `Movie ${titleId}`,
      maturity: 'teen' as Maturity,
      countries: ['US'],
      asset: asset(titleId),
      ...options,
    };
    this.#titles.set(titleId, title);
    return title;
  }

  async describeTitles(
    titleIds: readonly string[],
    country: string,
    maturity: Maturity,
  ): Promise<TitleFacts[]> {
    this.calls.push([...titleIds]);
    return titleIds.flatMap((id) => {
      const title = this.#titles.get(id);
      if (!title?.countries.includes(country)) return [];
      if (!this.ignoresMaturity && !maturityAllows(maturity, title.maturity)) return [];
      const { countries: _countries, ...facts } = title;
      return [facts];
    });
  }
}

export class FakeEntitlements implements EntitlementSource {
  readonly calls: string[] = [];
  readonly #byAccount = new Map<string, Entitlement>();

  plan(accountId: string, plan: keyof typeof PLANS): void {
    this.#byAccount.set(accountId, { playable: true, plan, ...limits(plan) });
  }

  refuse(
    accountId: string,
    reasonCode: NonNullable<Entitlement['reasonCode']>,
    plan: keyof typeof PLANS = 'basic',
  ): void {
    this.#byAccount.set(accountId, { playable: false, reasonCode, plan, ...limits(plan) });
  }

  async getEntitlement(accountId: string): Promise<Entitlement> {
    this.calls.push(accountId);
    return (
      this.#byAccount.get(accountId) ?? {
        playable: false,
        reasonCode: 'NO_SUBSCRIPTION',
        maxStreams: 0,
        maxHeight: 0,
      }
    );
  }
}

function limits(plan: keyof typeof PLANS) {
  return { maxStreams: PLANS[plan].maxStreams, maxHeight: PLANS[plan].maxHeight };
}

export class FakeMedia implements MediaStore {
  readonly objects = new Map<string, string>();
  async getText(key: string): Promise<string | undefined> {
    return this.objects.get(key);
  }
}

export function fixedKeys(...keys: SigningKey[]): SigningKeys {
  const [current] = keys;
  if (!current) throw new Error('give at least one key');
  return {
    current: async () => current,
    byId: async (kid) => keys.find((k) => k.kid === kid),
  };
}

/**
 * The playback table in memory: one versioned stream map per account, sessions by id, the
 * same compare-and-swap and conditions as the DynamoDB adapter. `conflicts` makes the next
 * commits fail as if another writer got there first.
 */
export class FakeSessions implements SessionStore {
  readonly sessions = new Map<string, PlaybackSession>();
  readonly maps = new Map<string, StreamMap>();
  conflicts = 0;
  commits = 0;

  async readStreams(accountId: string): Promise<StreamMap> {
    const map = this.maps.get(accountId);
    return map ? { streams: { ...map.streams }, version: map.version } : { streams: {}, version: 0 };
  }

  async commitStart(
    accountId: string,
    expectedVersion: number,
    next: Readonly<Record<string, number>>,
    session: PlaybackSession,
  ): Promise<boolean> {
    this.commits++;
    if (this.conflicts > 0) {
      this.conflicts--;
      return false;
    }
    if ((this.maps.get(accountId)?.version ?? 0) !== expectedVersion) return false;
    this.maps.set(accountId, { streams: { ...next }, version: expectedVersion + 1 });
    this.sessions.set(session.sessionId, session);
    return true;
  }

  async get(sessionId: string): Promise<PlaybackSession | undefined> {
    return this.sessions.get(sessionId);
  }

  async extend(
    accountId: string,
    sessionId: string,
    expiresAtEpoch: number,
    nowEpoch: number,
  ): Promise<boolean> {
    const session = this.sessions.get(sessionId);
    const map = this.maps.get(accountId);
    if (!session || session.accountId !== accountId || session.status !== 'ACTIVE') return false;
    if (session.expiresAtEpoch <= nowEpoch || !map || !(sessionId in map.streams)) return false;
    this.sessions.set(sessionId, { ...session, expiresAtEpoch });
    this.maps.set(accountId, {
      streams: { ...map.streams, [sessionId]: expiresAtEpoch },
      version: map.version + 1,
    });
    return true;
  }

  async end(accountId: string, sessionId: string, endedAt: string): Promise<boolean> {
    const session = this.sessions.get(sessionId);
    if (!session || session.accountId !== accountId) return false;
    this.sessions.set(sessionId, { ...session, status: 'ENDED', endedAt: session.endedAt ?? endedAt });
    const map = this.maps.get(accountId);
    if (map && sessionId in map.streams) {
      const { [sessionId]: _gone, ...rest } = map.streams;
      this.maps.set(accountId, { streams: rest, version: map.version + 1 });
    }
    return true;
  }
}

export class FakeRevocations implements Revocations {
  readonly revoked: string[] = [];
  /** Session id → the epoch its revocation lasts until (the latest one given). */
  readonly until = new Map<string, number>();
  async revoke(sessionId: string, untilEpoch: number): Promise<void> {
    this.revoked.push(sessionId);
    this.until.set(sessionId, untilEpoch);
  }
  async sweep(nowEpoch: number): Promise<number> {
    const expired = [...this.until].filter(([, until]) => until <= nowEpoch).map(([id]) => id);
    for (const id of expired) this.until.delete(id);
    return expired.length;
  }
}

export class FakeEdgeHealth implements EdgeHealth {
  readonly calls: string[][] = [];
  healthy = new Set<string>(PATHWAYS.map((p) => p.id));
  async healthOf(pathways: readonly Pathway[]): Promise<ReadonlyMap<string, boolean>> {
    this.calls.push(pathways.map((p) => p.id));
    return new Map(pathways.map((p) => [p.id, this.healthy.has(p.id)]));
  }
}

/** A clock the test moves. */
export class FakeClock {
  #now: Date;
  constructor(iso = '2026-11-21T10:00:00Z') {
    this.#now = new Date(iso);
  }
  now(): Date {
    return new Date(this.#now);
  }
  advance(seconds: number): void {
    this.#now = new Date(this.#now.getTime() + seconds * 1000);
  }
}

export function sequentialIds(prefix = 'sess'): { sessionId: () => string } {
  let n = 0;
  return { sessionId: () => `${prefix}-${++n}` };
}

/** History's resume positions by `account|profile|title`; `failing` makes every lookup throw. */
export class FakeResume implements ResumePositions {
  readonly positions = new Map<string, number>();
  failing = false;
  set(accountId: string, profileId: string, titleId: string, positionSec: number): void {
    this.positions.set(`${accountId}|${profileId}|${titleId}`, positionSec);
  }
  async positionOf(accountId: string, profileId: string, titleId: string): Promise<number> {
    if (this.failing) throw new Error('history is down');
    return this.positions.get(`${accountId}|${profileId}|${titleId}`) ?? 0;
  }
}

/** Playback starts as recorded, with the same per-day sums the table keeps. */
export class FakePopularity implements Popularity {
  readonly starts: { asset: PlayedAsset; day: string }[] = [];
  failing = false;
  async recordStart(asset: PlayedAsset, at: Date): Promise<void> {
    if (this.failing) throw new Error('table is down');
    this.starts.push({ asset, day: at.toISOString().slice(0, 10) });
  }
  async startsOn(days: readonly string[]): Promise<PopularTitle[]> {
    const byTitle = new Map<string, PopularTitle>();
    for (const { asset, day } of this.starts) {
      if (!days.includes(day)) continue;
      const seen = byTitle.get(asset.titleId);
      byTitle.set(asset.titleId, { ...asset, starts: (seen?.starts ?? 0) + 1 });
    }
    return [...byTitle.values()];
  }
}
