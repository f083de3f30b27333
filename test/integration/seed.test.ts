/**
 * The demo catalog `npm start` seeds: its data (pure checks on the real catalog), the clips it
 * generates, and the seed itself on the embedded platform, through the public API: titles
 * created, clips encoded by the real pipeline, listed and playable for viewers in the right
 * countries, once per data directory, resumable after a stop.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTitleRequestSchema, type TitleView } from '../../lambdas/contracts/api/catalog.ts';
import { DEFAULT_ADMIN } from '../../local/defaults.ts';
import { type Platform, startPlatform } from '../../local/platform.ts';
import { makeTitleCardClip } from '../../local/seed/clip.ts';
import {
  browsableTitles,
  createTitleBody,
  DEMO_CATALOG,
  DEMO_COUNTRIES,
  DEMO_GENRES,
  type DemoTitle,
  isLiveIn,
} from '../../local/seed/demo-catalog.ts';
import { SEED_JOURNAL, SEED_MARKER, type SeedOptions, seedDemoCatalog } from '../../local/seed/seed.ts';
import { onFreePorts } from '../support/platform.ts';

const run = promisify(execFile);

function demo(key: string): DemoTitle {
  const title = DEMO_CATALOG.find((t) => t.key === key);
  if (!title) throw new Error(`no demo title ${key}`);
  return title;
}

describe('the demo catalog', () => {
  const now = new Date('2026-06-01T12:00:00Z');

  const browsable = browsableTitles(DEMO_CATALOG);
  const countriesOf = (t: DemoTitle) => new Set(t.availability.flatMap((w) => w.countries));

  it('has at least 40 browsable titles: films, and series whose episodes are numbered once each', () => {
    expect(browsable.length).toBeGreaterThanOrEqual(40);
    expect(DEMO_CATALOG.filter((t) => t.kind === 'movie').length).toBeGreaterThanOrEqual(30);
    const series = DEMO_CATALOG.filter((t) => t.kind === 'series');
    expect(series.length).toBeGreaterThanOrEqual(3);
    const episodes = DEMO_CATALOG.filter((t) => t.kind === 'episode');
    for (const show of series) {
      const own = episodes.filter((e) => e.seriesKey === show.key);
      expect(own.length, show.key).toBeGreaterThanOrEqual(2);
      expect(new Set(own.map((e) => `${e.seasonNumber}x${e.episodeNumber}`)).size, show.key).toBe(own.length);
      // Each series comes before its episodes: the seed creates titles in catalog order.
      expect(DEMO_CATALOG.indexOf(show), show.key).toBeLessThan(DEMO_CATALOG.indexOf(own[0] as DemoTitle));
    }
    expect(episodes.every((e) => series.some((s) => s.key === e.seriesKey))).toBe(true);
    const robotGarden = episodes.filter((e) => e.seriesKey === 'robot-garden');
    expect(new Set(robotGarden.map((e) => e.seasonNumber))).toEqual(new Set([1, 2]));
    expect(new Set(DEMO_CATALOG.map((t) => t.key)).size).toBe(DEMO_CATALOG.length);
    expect(new Set(browsable.map((t) => t.name)).size).toBe(browsable.length);
  });

  it('draws genres from one small vocabulary, each genre shared by at least two titles', () => {
    const used = browsable.flatMap((t) => t.genres);
    expect(used.filter((g) => !(DEMO_GENRES as readonly string[]).includes(g))).toEqual([]);
    for (const genre of DEMO_GENRES) {
      expect(browsable.filter((t) => t.genres.includes(genre)).length, genre).toBeGreaterThanOrEqual(2);
    }
  });

  it('casts actors in two to four titles each, so titles are related by their cast', () => {
    const appearances = new Map<string, number>();
    for (const title of browsable) {
      for (const actor of title.cast) appearances.set(actor, (appearances.get(actor) ?? 0) + 1);
    }
    expect([...appearances].filter(([, n]) => n > 4)).toEqual([]);
    expect([...appearances.values()].filter((n) => n >= 2).length).toBeGreaterThanOrEqual(25);
  });

  it('tells each title in one or two sentences, with names accented for accent-insensitive search', () => {
    for (const title of DEMO_CATALOG) {
      const sentences = title.synopsis.split(/[.!?](?:\s|$)/).filter((s) => s.trim() !== '');
      expect(sentences.length, title.key).toBeGreaterThanOrEqual(1);
      expect(sentences.length, title.key).toBeLessThanOrEqual(2);
    }
    expect(browsable.filter((t) => /[À-ÿ]/.test(t.name)).length).toBeGreaterThanOrEqual(4);
    expect(new Set(browsable.map((t) => t.releaseYear)).size).toBeGreaterThanOrEqual(8);
  });

  it('has enough kids titles live in every country for a kids home page', () => {
    for (const country of DEMO_COUNTRIES) {
      const kids = browsable.filter((t) => t.maturity === 'kids' && isLiveIn(t, country, now));
      expect(kids.length, country).toBeGreaterThanOrEqual(10);
    }
  });

  it('licenses most titles everywhere and some in one or two countries only', () => {
    const everywhere = browsable.filter((t) => countriesOf(t).size === DEMO_COUNTRIES.length);
    expect(everywhere.length).toBeGreaterThan(browsable.length / 2);
    const regional = browsable.filter((t) => countriesOf(t).size <= 2);
    expect(regional.length).toBeGreaterThanOrEqual(5);
    expect(regional.filter((t) => countriesOf(t).size === 2).length).toBeGreaterThanOrEqual(2);
    // One leaves: live now, gone in a hundred days.
    expect(isLiveIn(demo('midnight-freight'), 'US', now)).toBe(true);
    expect(isLiveIn(demo('midnight-freight'), 'US', now, new Date(now.getTime() + 100 * 86_400_000))).toBe(
      false,
    );
  });

  it('spans several genres, countries and ratings, kids included', () => {
    expect(new Set(DEMO_CATALOG.flatMap((t) => t.genres)).size).toBeGreaterThanOrEqual(3);
    const countries = new Set(DEMO_CATALOG.flatMap((t) => t.availability.flatMap((w) => w.countries)));
    expect(countries.size).toBeGreaterThanOrEqual(3);
    expect(new Set(DEMO_CATALOG.map((t) => t.maturity))).toEqual(new Set(['kids', 'teen', 'adult']));
  });

  it('has titles live in only one country and one that opens later', () => {
    const onlyIn = DEMO_CATALOG.filter((t) => new Set(t.availability.flatMap((w) => w.countries)).size === 1);
    expect(onlyIn.length).toBeGreaterThanOrEqual(1);
    const comingSoon = DEMO_CATALOG.filter(
      (t) => !['US', 'BR', 'GB', 'DE', 'IN', 'JP'].some((c) => isLiveIn(t, c, now)),
    );
    expect(comingSoon.map((t) => t.key)).toEqual(['summit-fever']);
    expect(isLiveIn(demo('summit-fever'), 'US', now, new Date(now.getTime() + 30 * 86_400_000))).toBe(true);
    expect(isLiveIn(demo('carnaval-de-papel'), 'BR', now)).toBe(true);
    expect(isLiveIn(demo('carnaval-de-papel'), 'US', now)).toBe(false);
  });

  it('gives every title a body the create-title API accepts, episodes naming their series', () => {
    const seriesIds = new Map(
      DEMO_CATALOG.filter((t) => t.kind === 'series').map((t) => [t.key, `series-id-${t.key}`]),
    );
    for (const title of DEMO_CATALOG) {
      const parsed = createTitleRequestSchema.safeParse(createTitleBody(title, now, seriesIds));
      expect(parsed.error, title.key).toBeUndefined();
      if (title.kind === 'episode') expect(parsed.data?.seriesId).toBe(`series-id-${title.seriesKey}`);
    }
  });

  it('refuses to build an episode before its series has an id', () => {
    expect(() => createTitleBody(demo('robot-garden-s1e1'), now, new Map())).toThrow(/before its series/);
  });
});

describe('demo clips', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'showrunner-clip-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are H.264/AAC MP4 title cards of the requested size and length, reused when asked again', async () => {
    const card = {
      title: "Ready, Set: 100% 'Go'!",
      subtitle: 'Comedy · 2021',
      color: '#e63946',
      toneHz: 523,
    };
    const format = { width: 640, height: 360, durationSec: 2 };
    const path = await makeTitleCardClip(dir, card, { format });
    const { stdout } = await run('ffprobe', [
      ...['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height,r_frame_rate'],
      ...['-show_entries', 'format=duration', '-of', 'json', path],
    ]);
    const probe = JSON.parse(stdout) as { streams: Record<string, unknown>[]; format: { duration: string } };
    expect(probe.streams).toEqual([
      { codec_name: 'h264', codec_type: 'video', width: 640, height: 360, r_frame_rate: '30/1' },
      { codec_name: 'aac', codec_type: 'audio', r_frame_rate: '0/0' },
    ]);
    expect(Number(probe.format.duration)).toBeCloseTo(2, 1);
    expect(await makeTitleCardClip(dir, card, { format })).toBe(path);
  });
});

describe('seeding the demo catalog', () => {
  let platform: Platform;
  let dir: string;
  /** A viewer's bearer token. */
  let viewer: string;
  const admin = { ...DEFAULT_ADMIN };
  // Small clips keep the encodes short; the real size is checked above.
  const clipFormat = { width: 320, height: 180, durationSec: 2 };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'showrunner-seed-'));
    platform = await startPlatform(onFreePorts(join(dir, 'data'), { admin }));
    const email = 'viewer@seed.test';
    const password = 'viewer-password';
    await call('POST', '/v1/auth/signup', { body: { email, password, country: 'US' }, expect: 201 });
    viewer = (await call<{ accessToken: string }>('POST', '/v1/auth/login', { body: { email, password } }))
      .accessToken;
  });

  afterAll(async () => {
    await platform?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function call<T = unknown>(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; expect?: number } = {},
  ): Promise<T> {
    const response = await fetch(`${platform.info.gatewayUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...options.headers },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    expect(response.status, text).toBe(options.expect ?? 200);
    return JSON.parse(text) as T;
  }

  const browse = (country: string) =>
    call<{ items: TitleView[] }>('GET', '/v1/titles?limit=100', {
      headers: { authorization: `Bearer ${viewer}`, 'x-viewer-country': country },
    });
  const names = (items: TitleView[]) => items.map((t) => t.name);

  const seed = (dataDir: string, titles: DemoTitle[], extra: Partial<SeedOptions> = {}) =>
    seedDemoCatalog({
      apiUrl: platform.info.gatewayUrl,
      admin,
      dataDir,
      titles,
      clipFormat,
      pollMs: 200,
      ...extra,
    });

  const firstRun = [
    'the-lighthouse-keeper',
    'carnaval-de-papel',
    'summit-fever',
    'robot-garden',
    'robot-garden-s1e1',
  ];

  it('creates the titles and lists them playable in the countries where they are live', async () => {
    const dataDir = join(dir, 'first');
    const lines: string[] = [];
    const titles = firstRun.map(demo);

    const summary = await seed(dataDir, titles, { log: (line) => lines.push(line) });

    expect(summary).toMatchObject({ outcome: 'seeded', clips: 4, ready: 4 });
    expect(summary.titles.map((t) => t.key)).toEqual(firstRun);
    expect(lines.at(-1)).toBe('seeding demo catalog: 4/4 ready');
    expect(existsSync(join(dataDir, SEED_MARKER))).toBe(true);
    expect(existsSync(join(dataDir, SEED_JOURNAL))).toBe(false);
    expect(existsSync(join(dataDir, 'seed-clips'))).toBe(false);

    const us = (await browse('US')).items;
    expect(names(us)).toEqual(['Robot Garden', 'The Lighthouse Keeper']);
    expect(us.find((t) => t.name === 'The Lighthouse Keeper')).toMatchObject({
      kind: 'movie',
      playable: true,
      durationSec: expect.closeTo(2, 0),
      genres: ['drama', 'mystery'],
      maturity: 'teen',
      releaseYear: 2019,
    });
    const br = (await browse('BR')).items;
    expect(names(br)).toEqual(['Carnaval de Papel', 'Robot Garden', 'The Lighthouse Keeper']);
    expect(br.find((t) => t.name === 'Carnaval de Papel')?.playable).toBe(true);

    const seriesId = summary.titles.find((t) => t.key === 'robot-garden')?.titleId;
    const series = await call<TitleView>('GET', `/v1/titles/${seriesId}`, {
      headers: { authorization: `Bearer ${viewer}`, 'x-viewer-country': 'JP' },
    });
    expect(series.seasons).toEqual([
      {
        seasonNumber: 1,
        episodes: [expect.objectContaining({ name: 'Seeds of Tomorrow', episodeNumber: 1, playable: true })],
      },
    ]);

    // Coming soon: encoded, but no viewer sees it yet.
    const summitFever = summary.titles.find((t) => t.key === 'summit-fever');
    expect(summitFever).toMatchObject({ status: 'READY', complete: true });
    await call('GET', `/v1/titles/${summitFever?.titleId}`, {
      headers: { authorization: `Bearer ${viewer}` },
      expect: 404,
    });
  });

  it('does nothing the second time on the same data directory', async () => {
    const dataDir = join(dir, 'first');
    const executions = platform.stateMachine.executions.length;
    const before = names((await browse('BR')).items);

    const summary = await seed(dataDir, firstRun.map(demo));

    expect(summary).toMatchObject({ outcome: 'already-seeded', clips: 4, ready: 4 });
    expect(platform.stateMachine.executions.length).toBe(executions);
    expect(names((await browse('BR')).items)).toEqual(before);
  });

  it('resumes a stopped seed where it was, without duplicating titles or re-encoding', async () => {
    const dataDir = join(dir, 'resumed');
    const titles = ['paper-comets', 'the-cloud-road'].map(demo);
    const stop = new AbortController();

    const stopped = seed(dataDir, titles, {
      concurrency: 1,
      signal: stop.signal,
      log: (line) => {
        if (line.endsWith('1/2 ready')) stop.abort();
      },
    });

    await expect(stopped).rejects.toMatchObject({ name: 'AbortError' });
    expect(existsSync(join(dataDir, SEED_MARKER))).toBe(false);
    const executions = platform.stateMachine.executions.length;
    const lines: string[] = [];
    const summary = await seed(dataDir, titles, { log: (line) => lines.push(line) });
    expect(summary).toMatchObject({ outcome: 'seeded', clips: 2, ready: 2 });
    expect(lines[0]).toBe('seeding demo catalog: resuming, 1/2 ready, 1 clip to check or encode');
    // Only the clip that never started is encoded.
    expect(platform.stateMachine.executions.length - executions).toBe(1);
    const jp = names((await browse('JP')).items);
    expect(jp.filter((n) => n === 'Paper Comets' || n === 'The Cloud Road')).toEqual([
      'Paper Comets',
      'The Cloud Road',
    ]);
  });
});
