import { createHmac } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseEdgeToken } from '#contracts/edge.ts';
import type { EdgeAnswer, EdgeFetcher } from '../../../lambdas/playback/domain/preposition.ts';
import {
  lastDays,
  openingUris,
  prepositionTitles,
  rank,
} from '../../../lambdas/playback/domain/preposition.ts';
import { FakeClock, FakeMedia, FakePopularity, fixedKeys, KEY, MASTER, PATHWAYS } from './fakes.ts';

/** A media playlist of `count` segments of `sec` seconds with an init segment. */
function mediaPlaylist(name: string, count: number, sec = 6): string {
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:6',
    '#EXT-X-TARGETDURATION:6',
    `#EXT-X-MAP:URI="${name}init.mp4"`,
  ];
  for (let i = 1; i <= count; i += 1) lines.push(`#EXTINF:${sec.toFixed(3)},`, `${name}_${i}.mp4`);
  lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}

/** The media playlists MASTER names: 5 variants, audio, subtitles and its I-frame playlists. */
const PLAYLISTS = [...MASTER.matchAll(/(index_[a-z0-9_]+)\.m3u8/g)].map((m) => m[1] as string);
const N = new Set(PLAYLISTS).size;

/** An edge that misses an object the first time it sees it and hits after; `down` answers 502. */
class FakeEdges implements EdgeFetcher {
  readonly urls: string[] = [];
  readonly cached = new Set<string>();
  down = new Set<string>();
  async get(url: string): Promise<EdgeAnswer> {
    this.urls.push(url);
    const { origin, pathname } = new URL(url);
    if (this.down.has(origin)) return { status: 502, bytes: 0, cache: 'unknown' };
    const object = `${origin}${pathname.replace(/^\/t\/[^/]+/, '')}`;
    const hit = this.cached.has(object);
    this.cached.add(object);
    return { status: 200, bytes: 100, cache: hit ? 'hit' : 'miss' };
  }
}

let media: FakeMedia;
let popularity: FakePopularity;
let clock: FakeClock;
let edges: FakeEdges;

function addTitle(titleId: string, segments = 20): void {
  const manifestKey = `media/${titleId}/a-${titleId}/hls/index.m3u8`;
  media.objects.set(manifestKey, MASTER);
  for (const name of PLAYLISTS) {
    media.objects.set(`media/${titleId}/a-${titleId}/hls/${name}.m3u8`, mediaPlaylist(name, segments));
  }
}

async function started(titleId: string, times: number, day = clock.now()): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    await popularity.recordStart(
      { titleId, assetId: `a-${titleId}`, manifestKey: `media/${titleId}/a-${titleId}/hls/index.m3u8` },
      day,
    );
  }
}

const ports = () => ({ popularity, media, keys: fixedKeys(KEY), pathways: PATHWAYS, edges, clock });
const options = { titles: 10, openingSec: 12, days: 7, deadlineMs: Number.POSITIVE_INFINITY };

beforeEach(() => {
  media = new FakeMedia();
  popularity = new FakePopularity();
  clock = new FakeClock('2026-11-21T03:00:00Z');
  edges = new FakeEdges();
});

describe('choosing what to fill', () => {
  it('reads the last N UTC days, today included, oldest first', () => {
    expect(lastDays(new Date('2026-03-01T23:59:00Z'), 3)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });

  it('ranks by starts, then title id, and keeps the first N', () => {
    const t = (titleId: string, starts: number) => ({ titleId, assetId: 'a', manifestKey: 'm', starts });
    expect(rank([t('b', 2), t('c', 5), t('a', 2), t('d', 0)], 2).map((x) => x.titleId)).toEqual(['c', 'a']);
  });

  it('takes the init segment and the segments until the opening is covered (the one crossing it too)', () => {
    expect(openingUris(mediaPlaylist('v', 5), 12)).toEqual(['vinit.mp4', 'v_1.mp4', 'v_2.mp4']);
    expect(openingUris(mediaPlaylist('v', 5), 13)).toEqual(['vinit.mp4', 'v_1.mp4', 'v_2.mp4', 'v_3.mp4']);
    expect(openingUris(mediaPlaylist('v', 2), 600)).toEqual(['vinit.mp4', 'v_1.mp4', 'v_2.mp4']);
  });
});

describe('filling the edges', () => {
  it('fetches the opening of every rendition of the most popular titles through every pathway', async () => {
    addTitle('hit-show');
    addTitle('cult-film');
    addTitle('old-news');
    await started('hit-show', 5);
    await started('cult-film', 2);
    clock.advance(-8 * 86_400);
    await started('old-news', 50); // outside the 7-day window
    clock.advance(8 * 86_400);

    const report = await prepositionTitles(ports(), options);

    expect(report.days).toHaveLength(7);
    expect(report.titles).toEqual([
      { titleId: 'hit-show', assetId: 'a-hit-show', starts: 5, objects: N * 4 },
      { titleId: 'cult-film', assetId: 'a-cult-film', starts: 2, objects: N * 4 },
    ]);
    // N media playlists × (playlist, init, 2 segments of the 12 s opening), 2 titles, 2 edges.
    expect(N).toBeGreaterThanOrEqual(8);
    expect(edges.urls).toHaveLength(N * 4 * 2 * 2);
    for (const pathway of PATHWAYS) {
      const paths = edges.urls
        .filter((u) => u.startsWith(`${pathway.baseUrl}/t/`))
        .map((u) => new URL(u).pathname);
      expect(paths).toHaveLength(N * 4 * 2);
      expect(paths.map((p) => p.replace(/^\/t\/[^/]+/, ''))).toContain(
        '/media/hit-show/a-hit-show/hls/index_2160p_2.mp4',
      );
      expect(paths.some((p) => p.includes('_3.mp4'))).toBe(false);
    }
    expect(report.edges).toEqual(
      PATHWAYS.map((p) => ({
        pathwayId: p.id,
        filled: N * 4 * 2,
        filledBytes: N * 4 * 2 * 100,
        alreadyCached: 0,
        unknown: 0,
        failed: 0,
        failures: [],
      })),
    );
    expect(report.truncated).toBe(false);
  });

  it('signs a valid edge token per title, for any rendition, naming the fill', async () => {
    addTitle('hit-show');
    await started('hit-show', 1);

    await prepositionTitles(ports(), options);

    const token = new URL(edges.urls[0] as string).pathname.split('/')[2] as string;
    const claims = parseEdgeToken(token);
    expect(claims).toMatchObject({
      kid: KEY.kid,
      sessionId: 'preposition-20261121030000',
      titleId: 'hit-show',
      assetId: 'a-hit-show',
      maxHeight: 99_999,
    });
    const signed = token.split('.').slice(0, 6).join('.');
    const expected = createHmac('sha256', Buffer.from(KEY.secret, 'base64'))
      .update(signed)
      .digest('base64url');
    expect(token.split('.')[6]).toBe(expected);
  });

  it('reports what the edges already held, and a second run fills nothing new', async () => {
    addTitle('hit-show');
    await started('hit-show', 3);
    await prepositionTitles(ports(), options);

    const again = await prepositionTitles(ports(), options);

    expect(again.edges.map((e) => [e.filled, e.alreadyCached])).toEqual([
      [0, N * 4],
      [0, N * 4],
    ]);
  });

  it('skips a title whose playlists are gone and keeps going; reports a failing edge', async () => {
    addTitle('hit-show');
    await started('hit-show', 1);
    await started('deleted', 9);
    edges.down.add(new URL(PATHWAYS[1]?.baseUrl as string).origin);

    const report = await prepositionTitles(ports(), options);

    expect(report.skipped).toEqual([
      { titleId: 'deleted', reason: 'no multivariant playlist at media/deleted/a-deleted/hls/index.m3u8' },
    ]);
    expect(report.titles.map((t) => t.titleId)).toEqual(['hit-show']);
    expect(report.edges[0]).toMatchObject({ filled: N * 4, failed: 0 });
    expect(report.edges[1]).toMatchObject({ filled: 0, failed: N * 4 });
    expect(report.edges[1]?.failures[0]).toMatch(/^502 \/t\/…\/media\/hit-show\/a-hit-show\/hls\//);
  });

  it('stops starting requests at the deadline and says it was cut short', async () => {
    addTitle('hit-show');
    await started('hit-show', 1);
    const slowClock = { now: () => new Date(clock.now()) };
    let calls = 0;
    const budgeted = {
      ...ports(),
      clock: slowClock,
      edges: {
        get: async (url: string) => {
          calls += 1;
          if (calls === 10) clock.advance(60);
          return edges.get(url);
        },
      },
    };

    const report = await prepositionTitles(budgeted, {
      ...options,
      concurrency: 1,
      deadlineMs: clock.now().getTime() + 30_000,
    });

    expect(report.truncated).toBe(true);
    expect(calls).toBe(10);
    expect(report.notAttempted).toBe(2 * N * 4 - 10);
  });
});
