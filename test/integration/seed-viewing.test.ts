/**
 * The synthetic viewing `npm start` seeds after the demo catalog: the plan (pure checks on the
 * real viewers and catalog), then the seed on the embedded platform through the public API:
 * accounts signed up and subscribed in their countries, profiles created, every planned title
 * played, reported and ended, once per data directory, resumable after a stop.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maturityAllows } from '../../lambdas/contracts/api/common.ts';
import type { HistoryEntry } from '../../lambdas/contracts/api/history.ts';
import { DEFAULT_ADMIN } from '../../local/defaults.ts';
import { type Platform, startPlatform } from '../../local/platform.ts';
import { ApiClient } from '../../local/seed/api.ts';
import { DEMO_CATALOG, type DemoTitle, isLiveIn } from '../../local/seed/demo-catalog.ts';
import {
  affinity,
  DEMO_VIEWER_PASSWORD,
  DEMO_VIEWERS,
  type DemoViewer,
  type PlannedWatch,
  planViewing,
} from '../../local/seed/demo-viewers.ts';
import {
  readSeedMarker,
  SEED_JOURNAL,
  SEED_MARKER,
  type SeedOptions,
  type SeedRecord,
  seedDemoCatalog,
} from '../../local/seed/seed.ts';
import { positions } from '../../local/seed/viewing.ts';
import { onFreePorts } from '../support/platform.ts';

function demo(key: string): DemoTitle {
  const title = DEMO_CATALOG.find((t) => t.key === key);
  if (!title) throw new Error(`no demo title ${key}`);
  return title;
}

function viewer(key: string): DemoViewer {
  const found = DEMO_VIEWERS.find((v) => v.key === key);
  if (!found) throw new Error(`no demo viewer ${key}`);
  return found;
}

describe('planning demo viewing', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const when = { seededAt: now, now };
  const plans = new Map(DEMO_VIEWERS.map((v) => [v.key, planViewing(v, DEMO_CATALOG, when)]));
  const all = DEMO_VIEWERS.flatMap((v) => (plans.get(v.key) ?? []).map((w) => ({ viewer: v, watch: w })));

  /** Titles by how many profiles of `country` watched them (episodes count for their series). */
  const favourites = (country: string) => {
    const counts = new Map<string, number>();
    for (const { viewer: v, watch } of all) {
      if (v.country !== country) continue;
      const title = demo(watch.titleKey);
      const key = title.kind === 'episode' ? title.seriesKey : title.key;
      counts.set(key, (counts.get(key) ?? 0) + (title.kind === 'episode' && title.episodeNumber > 1 ? 0 : 1));
    }
    return [...counts].sort((a, b) => b[1] - a[1]).map(([key]) => key);
  };

  it('plans the same viewing every time, and a profile’s plan does not depend on the other viewers', () => {
    expect(planViewing(viewer('ava'), DEMO_CATALOG, when)).toEqual(plans.get('ava'));
    const alone = { ...viewer('ava'), profiles: viewer('ava').profiles.slice(1) };
    expect(planViewing(alone, DEMO_CATALOG, when)).toEqual(
      plans.get('ava')?.filter((w) => w.profileKey === 'lily'),
    );
    expect(planViewing(viewer('ava'), DEMO_CATALOG, when, { seed: 7 })).not.toEqual(plans.get('ava'));
  });

  it('watches only titles live in the viewer’s country and rated for the profile', () => {
    for (const { viewer: v, watch } of all) {
      const title = demo(watch.titleKey);
      const profile = v.profiles.find((p) => p.key === watch.profileKey);
      expect(isLiveIn(title, v.country, now), `${v.key} ${title.key}`).toBe(true);
      expect(maturityAllows(profile?.maturity ?? 'kids', title.maturity), `${v.key} ${title.key}`).toBe(true);
    }
    const kids = all.filter(({ viewer: v, watch }) =>
      v.profiles.some((p) => p.key === watch.profileKey && p.maturity === 'kids'),
    );
    expect(kids.length).toBeGreaterThanOrEqual(10);
    expect(kids.every(({ watch }) => demo(watch.titleKey).maturity === 'kids')).toBe(true);
  });

  it('gives viewers in the US and Brazil different tastes, and so different favourites', () => {
    const liked = all.filter(({ watch }) => watch.liked).length;
    expect(liked / all.length).toBeGreaterThan(0.75);
    const genresOf = (country: string) =>
      all
        .filter(({ viewer: v }) => v.country === country)
        .flatMap(({ watch }) => demo(watch.titleKey).genres);
    const share = (genres: string[], wanted: string[]) =>
      genres.filter((g) => wanted.includes(g)).length / genres.length;
    expect(share(genresOf('US'), ['thriller', 'sci-fi'])).toBeGreaterThan(
      share(genresOf('BR'), ['thriller', 'sci-fi']) * 2,
    );
    expect(share(genresOf('BR'), ['comedy', 'romance'])).toBeGreaterThan(
      share(genresOf('US'), ['comedy', 'romance']) * 2,
    );
    expect(favourites('US').slice(0, 3)).not.toEqual(favourites('BR').slice(0, 3));
    expect(new Set(DEMO_VIEWERS.map((v) => v.country)).size).toBeGreaterThanOrEqual(2);
  });

  it('prefers titles of the genres a profile likes, strongest like first', () => {
    const profile = { likes: ['thriller', 'sci-fi'] };
    expect(affinity(profile, { genres: ['thriller', 'sci-fi'] })).toBeGreaterThan(
      affinity(profile, { genres: ['thriller'] }),
    );
    expect(affinity(profile, { genres: ['thriller'] })).toBeGreaterThan(
      affinity(profile, { genres: ['sci-fi'] }),
    );
    expect(affinity(profile, { genres: ['comedy'] })).toBe(1);
  });

  it('mixes finished, mostly watched and abandoned titles, in a few hundred API calls at most', () => {
    const outcomes = new Set(all.map(({ watch }) => watch.outcome));
    expect(outcomes).toEqual(new Set(['finished', 'most', 'abandoned']));
    for (const { watch } of all) {
      if (watch.outcome === 'finished') expect(watch.fraction).toBe(1);
      if (watch.outcome === 'most') expect(watch.fraction).toBeGreaterThanOrEqual(0.5);
      if (watch.outcome === 'abandoned') expect(watch.fraction).toBeLessThan(0.3);
    }
    // Per watch: start, one or two heartbeats, end; per title, one duration lookup.
    const calls =
      all.reduce((sum, { watch }) => sum + 2 + positions(watch.fraction, 100).length, 0) +
      new Set(all.map(({ watch }) => watch.titleKey)).size +
      DEMO_VIEWERS.reduce((sum, v) => sum + 4 + v.profiles.length, 0);
    expect(calls).toBeLessThanOrEqual(400);
  });

  it('starts a series at its first episode', () => {
    const episodes = all.map(({ watch }) => demo(watch.titleKey)).filter((t) => t.kind === 'episode');
    expect(episodes.length).toBeGreaterThan(0);
    for (const { viewer: v, watch } of all) {
      const title = demo(watch.titleKey);
      if (title.kind !== 'episode' || (title.seasonNumber === 1 && title.episodeNumber === 1)) continue;
      const first = `${title.seriesKey}-s1e1`;
      const plan = plans.get(v.key) ?? [];
      const before = plan.slice(0, plan.indexOf(watch));
      expect(before.some((w) => w.profileKey === watch.profileKey && w.titleKey === first)).toBe(true);
    }
  });

  it('reports positions as a player would: halfway and where it stopped, or only there when early', () => {
    expect(positions(1, 6)).toEqual([3, 6]);
    expect(positions(0.6, 6)).toEqual([1.8, 3.6]);
    expect(positions(0.1, 6)).toEqual([0.6]);
  });
});

describe('seeding demo viewing', () => {
  let platform: Platform;
  let dir: string;
  const admin = { ...DEFAULT_ADMIN };
  const clipFormat = { width: 320, height: 180, durationSec: 2 };
  const titleKeys = ['the-lighthouse-keeper', 'paper-comets', 'carnaval-de-papel', 'midnight-freight'];
  /** A US account with a kids profile, and a Brazilian one. */
  const viewers = [viewer('ava'), viewer('bia')];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'showrunner-seed-viewing-'));
    platform = await startPlatform(onFreePorts(join(dir, 'data'), { admin }));
  });

  afterAll(async () => {
    await platform?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const seed = (dataDir: string, extra: Partial<SeedOptions> = {}) =>
    seedDemoCatalog({
      apiUrl: platform.info.gatewayUrl,
      admin,
      dataDir,
      titles: titleKeys.map(demo),
      clipFormat,
      pollMs: 200,
      viewing: { viewers, watchesPerProfile: 2 },
      ...extra,
    });

  const signIn = (email: string) =>
    ApiClient.login(platform.info.gatewayUrl, { email, password: DEMO_VIEWER_PASSWORD });

  async function historyOf(api: ApiClient, profileId: string, country: string): Promise<HistoryEntry[]> {
    const page = await api.call<{ items: HistoryEntry[] }>(
      'GET',
      `/v1/profiles/${profileId}/history?limit=50`,
      undefined,
      { 'x-viewer-country': country },
    );
    return page.items;
  }

  /** The plan the seed followed, for the viewers and titles it was given. */
  function planOf(dataDir: string, v: DemoViewer): PlannedWatch[] {
    const record = readSeedMarker(dataDir) ?? readRecord(join(dataDir, SEED_JOURNAL));
    const when = { seededAt: new Date(record.seededAt), now: new Date(record.viewing?.plannedAt ?? '') };
    return planViewing(v, titleKeys.map(demo), when, { watchesPerProfile: 2 });
  }

  const readRecord = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as SeedRecord;

  const first = () => join(dir, 'first');

  it('signs the viewers up in their countries, subscribes them and has every profile watch its plan', async () => {
    const summary = await seed(first());

    expect(summary.outcome).toBe('seeded');
    const planned = viewers.flatMap((v) => planOf(first(), v));
    expect(summary.viewing).toMatchObject({
      accounts: 2,
      profiles: 4,
      watches: planned.length,
      countries: ['US', 'BR'],
      signIn: { email: viewer('ava').email, password: DEMO_VIEWER_PASSWORD },
    });
    // Ava and Bia two titles each, their kids profiles the one kids title.
    expect(planned).toHaveLength(6);
    const titleIds = new Map(summary.titles.map((t) => [t.key, t.titleId]));

    for (const v of viewers) {
      const api = await signIn(v.email);
      expect(await api.call('GET', '/v1/me')).toMatchObject({ email: v.email, country: v.country });
      expect(await api.call('GET', '/v1/subscription')).toMatchObject({ plan: v.plan, status: 'ACTIVE' });
      const profiles = (
        await api.call<{ items: { profileId: string; name: string; maturity: string }[] }>(
          'GET',
          '/v1/profiles',
        )
      ).items;
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect(profiles.map((p) => ({ name: p.name, maturity: p.maturity })).sort(byName)).toEqual(
        v.profiles.map((p) => ({ name: p.name, maturity: p.maturity })).sort(byName),
      );

      for (const profile of v.profiles) {
        const profileId = profiles.find((p) => p.name === profile.name)?.profileId ?? '';
        const plan = planOf(first(), v).filter((w) => w.profileKey === profile.key);
        const history = await historyOf(api, profileId, v.country);
        expect(history.map((e) => e.titleId).sort()).toEqual(
          plan.map((w) => titleIds.get(w.titleKey)).sort(),
        );
        for (const watch of plan) {
          const entry = history.find((e) => e.titleId === titleIds.get(watch.titleKey));
          expect(entry?.durationSec).toBeCloseTo(2, 0);
          expect(entry?.positionSec).toBe(positions(watch.fraction, entry?.durationSec ?? 0).at(-1));
          expect(entry?.finished).toBe(watch.outcome === 'finished');
        }
        if (profile.maturity === 'kids') expect(plan.map((w) => w.titleKey)).toEqual(['paper-comets']);
      }
    }
    // Carnaval de Papel is licensed for Brazil only: no US profile played it.
    const us = planOf(first(), viewer('ava'));
    expect(us.some((w) => w.titleKey === 'carnaval-de-papel')).toBe(false);
  });

  it('ends every playback session it started', async () => {
    for (const v of viewers) {
      const api = await signIn(v.email);
      const [profile] = (await api.call<{ items: { profileId: string }[] }>('GET', '/v1/profiles')).items;
      const titleId = readSeedMarker(first())?.titles.find((t) => t.key === 'paper-comets')?.titleId;
      const from = { 'x-viewer-country': v.country };
      // The standard plan has two streams: both are free again.
      const sessions = [];
      for (let i = 0; i < 2; i++) {
        sessions.push(
          await api.call<{ sessionId: string }>(
            'POST',
            '/v1/playback',
            { profileId: profile?.profileId, titleId },
            from,
          ),
        );
      }
      for (const session of sessions)
        await api.call('DELETE', `/v1/playback/${session.sessionId}`, undefined, from);
    }
  });

  it('does nothing the second time on the same data directory', async () => {
    const api = await signIn(viewer('bia').email);
    const [profile] = (await api.call<{ items: { profileId: string }[] }>('GET', '/v1/profiles')).items;
    const before = await historyOf(api, profile?.profileId ?? '', 'BR');

    const summary = await seed(first());

    expect(summary.outcome).toBe('already-seeded');
    expect(summary.viewing).toMatchObject({ accounts: 2, profiles: 4, watches: 6, apiCalls: 0 });
    expect(await historyOf(api, profile?.profileId ?? '', 'BR')).toEqual(before);
  });

  it('adds viewing to a catalog that was seeded without it, once', async () => {
    const dataDir = join(dir, 'added');
    const kid = { ...viewer('ava'), key: 'kid', email: 'added-kid@viewers.showrunner.local' };
    const onlyKids = { ...kid, profiles: kid.profiles.filter((p) => p.maturity === 'kids') };
    const titles = [demo('paper-comets')];
    await seed(dataDir, { titles, viewing: undefined });
    expect(readSeedMarker(dataDir)?.viewing).toBeUndefined();

    const summary = await seed(dataDir, { titles, viewing: { viewers: [onlyKids] } });

    expect(summary).toMatchObject({ outcome: 'seeded', viewing: { accounts: 1, profiles: 1, watches: 1 } });
    expect(readSeedMarker(dataDir)?.viewing?.completedAt).toEqual(expect.any(String));
    const again = await seed(dataDir, { titles, viewing: { viewers: [onlyKids] } });
    expect(again).toMatchObject({ outcome: 'already-seeded', viewing: { watches: 1, apiCalls: 0 } });
  });

  it('resumes a stopped viewing seed without a second account, profile or watch', async () => {
    const dataDir = join(dir, 'resumed');
    // Accounts of their own: this platform already has Ava and Bia.
    const resumedViewers = viewers.map((v) => ({ ...v, key: `${v.key}-2`, email: `resumed-${v.email}` }));
    const stop = new AbortController();
    const options = {
      viewing: { viewers: resumedViewers, watchesPerProfile: 2, concurrency: 1 },
      titles: ['the-lighthouse-keeper', 'paper-comets'].map(demo),
    };

    const stopped = seed(dataDir, {
      ...options,
      signal: stop.signal,
      log: (line) => {
        if (line.includes('1/2 viewers done')) stop.abort();
      },
    });

    await expect(stopped).rejects.toMatchObject({ name: 'AbortError' });
    const journalPath = join(dataDir, SEED_JOURNAL);
    const journal = readRecord(journalPath);
    const [done, notStarted] = journal.viewing?.accounts ?? [];
    expect(done?.watched).toBe(done?.planned);
    expect(notStarted).toMatchObject({ watched: 0, profiles: {} });
    expect(notStarted?.accountId).toBeUndefined();
    // As if the process had died right after the last watch, before noting it, its profiles or
    // even its account: all of that must be found again, not made twice.
    const api = await signIn(done?.email ?? '');
    const accountId = done?.accountId;
    const last = planOf(dataDir, resumedViewers[0] as DemoViewer).at(-1) as PlannedWatch;
    const profileId = done?.profiles[last.profileKey] ?? '';
    const historyBefore = await historyOf(api, profileId, 'US');
    if (done) {
      done.watched -= 1;
      done.profiles = {};
      delete done.accountId;
    }
    writeFileSync(journalPath, JSON.stringify(journal));

    const summary = await seed(dataDir, options);

    expect(summary.outcome).toBe('seeded');
    expect(summary.viewing).toMatchObject({ accounts: 2, profiles: 4 });
    const marker = readRecord(join(dataDir, SEED_MARKER));
    expect(marker.viewing?.accounts[0]).toMatchObject({
      accountId,
      profiles: { [last.profileKey]: profileId },
    });
    expect((await api.call<{ items: unknown[] }>('GET', '/v1/profiles')).items).toHaveLength(2);
    const lastId = marker.titles.find((t) => t.key === last.titleKey)?.titleId;
    const historyAfter = await historyOf(api, profileId, 'US');
    // Only the watch that was not noted is played again.
    for (const entry of historyBefore) {
      const after = historyAfter.find((e) => e.titleId === entry.titleId);
      if (entry.titleId === lastId) expect(after?.updatedAt).not.toBe(entry.updatedAt);
      else expect(after).toEqual(entry);
    }
    expect(historyAfter).toHaveLength(historyBefore.length);
  });
});
