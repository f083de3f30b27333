/**
 * Discovery over HTTP on the embedded platform, end to end: playback starts and heartbeats go
 * through the playback and history services, their tables' streams reach the aggregator, the
 * catalog's stream rebuilds the snapshot and search index, and Top 10, search, recommendations
 * and home answer from them. One real clip is encoded; the other titles get the same asset
 * through the catalog's real "Asset Published" path (the bus), as the pipeline would publish it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../../cli/ingest-client.ts';
import { EVENTS } from '../../../lambdas/contracts/internal.ts';
import {
  type ApiPlatform,
  type Caller,
  DAY_MS,
  expectError,
  fromNow,
  type Json,
  waitUntilPlayable,
} from '../../support/api.ts';
import { makeClip } from '../../support/clips.ts';

let env: ApiPlatform;
let clipDir: string;
let admin: Caller;
let asset: Json;
let durationSec: number;
const titles: Record<string, string> = {};

interface Viewer {
  api: Caller;
  profileId: string;
  kidsProfileId: string;
  country: string;
}

const live = (...countries: string[]) => [{ countries, from: fromNow(-DAY_MS) }];

/** A title made playable with the shared asset, through the catalog's real event path. */
async function playableTitle(key: string, fields: Record<string, unknown>): Promise<string> {
  const created = await admin.post('/v1/admin/titles', { availability: live('US', 'BR'), ...fields });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const { titleId } = created.body;
  env.platform.bus.put({
    source: EVENTS.ASSET_PUBLISHED.source,
    'detail-type': EVENTS.ASSET_PUBLISHED.detailType,
    detail: { jobId: `job-${key}`, titleId, asset: { ...asset, titleId, assetId: `asset-${key}` } },
  });
  await waitUntilPlayable(env.api, titleId);
  titles[key] = titleId;
  return titleId;
}

async function newViewer(country: string): Promise<Viewer> {
  const user = await env.api.newUser({ country });
  const subscribed = await user.api.put('/v1/subscription', {
    plan: 'premium',
    card: { number: '4242 4242 4242 4242' },
  });
  expect(subscribed.status, JSON.stringify(subscribed.body)).toBe(200);
  const [adult, kids] = await Promise.all([
    user.api.post('/v1/profiles', { name: 'Grown-up', maturity: 'adult' }),
    user.api.post('/v1/profiles', { name: 'Kid', maturity: 'kids' }),
  ]);
  return { api: user.api, profileId: adult.body.profileId, kidsProfileId: kids.body.profileId, country };
}

const as = (viewer: Viewer) => ({ 'x-viewer-country': viewer.country });

/** Starts playback, reports the whole title watched (`share` of it), ends the session. */
async function watch(viewer: Viewer, titleId: string, share = 1): Promise<void> {
  const started = await viewer.api.post('/v1/playback', { profileId: viewer.profileId, titleId }, as(viewer));
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const beat = await viewer.api.put(
    `/v1/profiles/${viewer.profileId}/history/${titleId}`,
    { positionSec: durationSec * share, durationSec, clientTs: Date.now() },
    as(viewer),
  );
  expect(beat.status, JSON.stringify(beat.body)).toBe(200);
  const ended = await viewer.api.delete(`/v1/playback/${started.body.sessionId}`);
  expect(ended.status).toBe(204);
}

const ids = (items: { titleId: string }[]) => items.map((i) => i.titleId);

beforeAll(async () => {
  const { startApiPlatform } = await import('../../support/api.ts');
  env = await startApiPlatform('discovery');
  admin = (await env.api.admin()).api;
  clipDir = mkdtempSync(join(tmpdir(), 'showrunner-discovery-clips-'));
  const file = await makeClip(clipDir, { width: 640, height: 360, durationSec: 2, audio: true });
  const job = await ingest({
    apiUrl: env.platform.info.gatewayUrl,
    file,
    title: 'Lighthouse Keeper',
    maturity: 'teen',
    countries: ['US', 'BR'],
    pollMs: 200,
    timeoutMs: 240_000,
  });
  expect(job.status, job.reason).toBe('READY');
  asset = job.asset;
  durationSec = asset.durationSec;
  titles.lighthouse = job.titleId;
  await waitUntilPlayable(env.api, job.titleId);
  await admin.patch(`/v1/admin/titles/${job.titleId}`, {
    genres: ['drama'],
    synopsis: 'A keeper and his light.',
  });
  await playableTitle('heist', {
    name: 'The Midnight Heist',
    genres: ['thriller'],
    cast: ['Ana Ruiz'],
    maturity: 'adult',
  });
  await playableTitle('cipher', {
    name: 'Cipher Run',
    genres: ['thriller'],
    cast: ['Ana Ruiz'],
    maturity: 'adult',
  });
  await playableTitle('vault', {
    name: 'Vault Nine',
    genres: ['thriller'],
    cast: ['Ana Ruiz', 'Ola Berg'],
    maturity: 'adult',
  });
  await playableTitle('samba', { name: 'Samba de Amor', genres: ['romance', 'comedy'], maturity: 'teen' });
  await playableTitle('cafe', { name: 'Café Lumière', genres: ['romance'], maturity: 'teen' });
  await playableTitle('robots', { name: 'Robot Garden', genres: ['animation', 'family'], maturity: 'kids' });
  await env.platform.streamsDrained();
}, 420_000);

afterAll(async () => {
  await env?.stop();
  if (clipDir) rmSync(clipDir, { recursive: true, force: true });
});

describe('Top 10', () => {
  it('answers per country, from what was watched there', async () => {
    const [us1, us2, br] = await Promise.all([newViewer('US'), newViewer('US'), newViewer('BR')]);
    await watch(us1, titles.heist as string);
    await watch(us2, titles.heist as string);
    await watch(us2, titles.cipher as string);
    await watch(br, titles.samba as string);
    await env.platform.streamsDrained();

    const [inUs, inBr] = await Promise.all([
      us1.api.get('/v1/top10', undefined, as(us1)),
      br.api.get('/v1/top10', undefined, as(br)),
    ]);

    expect(inUs.status).toBe(200);
    expect(inUs.body.country).toBe('US');
    expect(ids(inUs.body.items).slice(0, 2)).toEqual([titles.heist, titles.cipher]);
    expect(inUs.body.items[0]).toMatchObject({ rank: 1, plays: 2, viewers: 2 });
    expect(ids(inBr.body.items)).toEqual([titles.samba]);
    expect(inUs.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('leaves out what a kids profile may not see, and says the answer is personal', async () => {
    const viewer = await newViewer('US');
    const response = await viewer.api.get(
      `/v1/top10?profileId=${viewer.kidsProfileId}`,
      undefined,
      as(viewer),
    );

    expect(response.status).toBe(200);
    expect(response.body.items.filter((i: Json) => i.maturity !== 'kids')).toEqual([]);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it("answers 404 for another account's profile", async () => {
    const [a, b] = await Promise.all([newViewer('US'), newViewer('US')]);
    expectError(await a.api.get(`/v1/top10?profileId=${b.profileId}`), 404, 'PROFILE_NOT_FOUND');
  });
});

describe('search', () => {
  it('finds a title by its name with a typo, a swap of two letters, a prefix and without accents', async () => {
    const viewer = await newViewer('US');
    const search = async (q: string) => {
      const response = await viewer.api.get(`/v1/search?q=${encodeURIComponent(q)}`, undefined, as(viewer));
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return ids(response.body.items);
    };

    expect((await search('lighthuose'))[0]).toBe(titles.lighthouse);
    expect((await search('midnihgt heist'))[0]).toBe(titles.heist);
    expect(await search('cip')).toContain(titles.cipher);
    expect(await search('cafe lumiere')).toContain(titles.cafe);
    expect(await search('ana ruiz')).toEqual(
      expect.arrayContaining([titles.heist, titles.cipher, titles.vault]),
    );
  });

  it('never shows a kids profile an adult title', async () => {
    const viewer = await newViewer('US');
    const response = await viewer.api.get(
      `/v1/search?q=heist&profileId=${viewer.kidsProfileId}`,
      undefined,
      as(viewer),
    );
    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([]);
  });

  it('answers odd queries with 400 or no results, never a 500', async () => {
    const viewer = await newViewer('US');
    for (const q of ['%', '%%%', '🎬🍿', 'שלום עולם', "' OR 1=1 --", '.*(']) {
      const response = await viewer.api.get(`/v1/search?q=${encodeURIComponent(q)}`, undefined, as(viewer));
      expect([200, 400], `${q}: ${response.status}`).toContain(response.status);
      if (response.status === 200) expect(response.body.items, q).toEqual([]);
    }
    expectError(await viewer.api.get('/v1/search?q='), 400, 'INVALID_QUERY');
    expectError(await viewer.api.get(`/v1/search?q=${'a'.repeat(201)}`), 400, 'INVALID_QUERY');
  });
});

describe('recommendations and home', () => {
  it('follow what the profile watched: after two thrillers, the third one is recommended because of them', async () => {
    const viewer = await newViewer('US');
    const before = await viewer.api.get(
      `/v1/profiles/${viewer.profileId}/recommendations`,
      undefined,
      as(viewer),
    );
    expect(before.status).toBe(200);
    expect(before.body.items.every((i: Json) => i.reason.code === 'POPULAR')).toBe(true);

    await watch(viewer, titles.heist as string);
    await watch(viewer, titles.cipher as string);
    await env.platform.streamsDrained();

    const after = await viewer.api.get(
      `/v1/profiles/${viewer.profileId}/recommendations`,
      undefined,
      as(viewer),
    );
    expect(after.status).toBe(200);
    expect(ids(after.body.items)).not.toContain(titles.heist);
    expect(ids(after.body.items)[0]).toBe(titles.vault);
    expect(after.body.items[0].reason.code).toMatch(/BECAUSE_YOU_WATCHED|SIMILAR_TO/);
    expect([titles.heist, titles.cipher]).toContain(after.body.items[0].reason.titleId);

    const home = await viewer.api.get(`/v1/profiles/${viewer.profileId}/home`, undefined, as(viewer));
    expect(home.status).toBe(200);
    expect(home.body.degraded).toEqual([]);
    const rowIds = home.body.rows.map((r: Json) => r.id);
    expect(rowIds).toEqual(
      expect.arrayContaining(['top10', 'recommended', 'genre-thriller', 'new-arrivals']),
    );
    const recommended = home.body.rows.find((r: Json) => r.id === 'recommended');
    expect(recommended.items[0].titleId).toBe(titles.vault);
  });

  it('keeps answering with fallback rows when the recommendations function fails or hangs', async () => {
    const viewer = await newViewer('US');
    env.platform.setFault('recommendationsInternal', { kind: 'error' });
    try {
      const home = await viewer.api.get(`/v1/profiles/${viewer.profileId}/home`, undefined, as(viewer));
      expect(home.status).toBe(200);
      expect(home.body.degraded).toContainEqual(
        expect.objectContaining({
          dependency: 'recommendations',
          fallback: expect.stringMatching(/top10|catalog/),
        }),
      );
      expect(home.body.rows.find((r: Json) => r.id === 'recommended')?.items.length).toBeGreaterThan(0);
    } finally {
      env.platform.setFault('recommendationsInternal', undefined);
    }
    env.platform.setFault('historyInternal', { kind: 'latency', ms: 8000 });
    try {
      const started = Date.now();
      const home = await viewer.api.get(`/v1/profiles/${viewer.profileId}/home`, undefined, as(viewer));
      expect(home.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(8000);
      expect(home.body.degraded).toContainEqual(
        expect.objectContaining({ dependency: 'history', cause: 'TIMEOUT' }),
      );
      expect(home.body.rows.length).toBeGreaterThan(0);
    } finally {
      env.platform.setFault('historyInternal', undefined);
    }
  });

  it('never shows a kids profile an adult title, in any row or list', async () => {
    const viewer = await newViewer('US');
    const kid = viewer.kidsProfileId;
    const [home, recs] = await Promise.all([
      viewer.api.get(`/v1/profiles/${kid}/home`, undefined, as(viewer)),
      viewer.api.get(`/v1/profiles/${kid}/recommendations`, undefined, as(viewer)),
    ]);
    expect(home.status).toBe(200);
    expect(recs.status).toBe(200);
    const shown = [...home.body.rows.flatMap((r: Json) => r.items), ...recs.body.items];
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((i: Json) => i.maturity !== 'kids').map((i: Json) => i.name)).toEqual([]);
  });

  it("answers 404 for another account's profile", async () => {
    const [a, b] = await Promise.all([newViewer('US'), newViewer('US')]);
    expectError(await a.api.get(`/v1/profiles/${b.profileId}/home`), 404, 'PROFILE_NOT_FOUND');
    expectError(await a.api.get(`/v1/profiles/${b.profileId}/recommendations`), 404, 'PROFILE_NOT_FOUND');
  });
});

describe('the recommendations workflow', () => {
  it('runs on its schedule: refreshes the snapshot and recomputes every shard', async () => {
    const [run] = await env.platform.runRule('RecommendationsSchedule');
    expect(run?.kind).toBe('stateMachine');
    const execution = (run as Json).execution;
    expect(execution.status, JSON.stringify(execution.error)).toBe('SUCCEEDED');
    expect(execution.output.shardResults).toHaveLength(16);
  });
});
