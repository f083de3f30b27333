import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { maturityAllows } from '#contracts/api/common.ts';
import type { Recommendations, Top10 } from '#contracts/api/discovery.ts';
import type { SnapshotTitle } from '#contracts/internal.ts';
import { type BreakerOptions, breakerGuard } from '../../../lambdas/discovery/adapters/breakers.ts';
import { type Audience, type CatalogView, toItem } from '../../../lambdas/discovery/domain/catalog-view.ts';
import { buildHome, type HomePorts } from '../../../lambdas/discovery/domain/home.ts';
import type { TitleViewing } from '../../../lambdas/discovery/domain/ports.ts';
import { top10 } from '../../../lambdas/discovery/domain/top10.ts';
import { catalogOf, NOW, series, title } from './viewing-fixtures.ts';

/** Small enough for a test to wait for; the production values are seconds. */
const BREAKER: BreakerOptions = { timeoutMs: 100, failuresToOpen: 2, halfOpenAfterMs: 1000 };
const PROFILE = 'prof-1';
const ADULT: Audience = { country: 'US', maturity: 'adult', now: NOW };
const KIDS: Audience = { country: 'US', maturity: 'kids', now: NOW };

const TITLES: SnapshotTitle[] = [
  title('lighthouse', {
    name: 'The Lighthouse Keeper',
    genres: ['drama'],
    createdAt: '2026-02-01T00:00:00Z',
  }),
  title('comet', { genres: ['scifi'], createdAt: '2026-03-01T00:00:00Z' }),
  title('harbor', { genres: ['drama'], maturity: 'teen', createdAt: '2026-04-01T00:00:00Z' }),
  title('nebula', { genres: ['scifi'], createdAt: '2026-11-01T00:00:00Z' }),
  title('grim', { genres: ['thriller'], maturity: 'adult', createdAt: '2026-11-10T00:00:00Z' }),
  series('show', ['show-e1', 'show-e2'], {
    name: 'The Show',
    genres: ['comedy'],
    createdAt: '2026-05-01T00:00:00Z',
  }),
  series('dark', ['dark-e1'], { genres: ['thriller'], maturity: 'adult', createdAt: '2026-06-01T00:00:00Z' }),
];
/** Plays over the last days: the catalog's popularity order is grim, lighthouse, comet, … */
const POPULARITY = { grim: 90, lighthouse: 50, comet: 40, show: 30, harbor: 20, dark: 10, nebula: 5 };
const VIEWING = new Map<string, TitleViewing>([
  ['grim', { plays: 12, viewers: 9, watchSec: 9_000 }],
  ['show-e2', { plays: 8, viewers: 7, watchSec: 7_000 }],
  ['comet', { plays: 5, viewers: 5, watchSec: 3_000 }],
]);

function recommendations(catalog: CatalogView): Recommendations {
  const item = (titleId: string, reason: Recommendations['items'][number]['reason'], score: number) => {
    const found = catalog.byId.get(titleId);
    if (!found) throw new Error(`no ${titleId} in the test catalog`);
    return { ...toItem(found), score, reason };
  };
  const because = (titleId: string, name: string) => ({
    code: 'BECAUSE_YOU_WATCHED' as const,
    titleId,
    text: `Because you watched ${name}`,
  });
  return {
    profileId: PROFILE,
    computedAt: NOW.toISOString(),
    items: [
      item('comet', because('lighthouse', 'The Lighthouse Keeper'), 0.9),
      item('grim', { code: 'POPULAR', text: 'Popular' }, 0.8),
      item('harbor', because('lighthouse', 'The Lighthouse Keeper'), 0.7),
      item('nebula', because('show', 'The Show'), 0.6),
      item('dark', { code: 'SIMILAR_TO', titleId: 'grim', text: 'Similar to Grim' }, 0.5),
    ],
  };
}

const continueWatching = {
  items: [
    {
      titleId: 'show-e2',
      positionSec: 300,
      durationSec: 1_500,
      updatedAt: NOW.toISOString(),
      clientTs: NOW.getTime(),
      finished: false,
      reason: 'resume' as const,
    },
    {
      titleId: 'grim',
      positionSec: 60,
      durationSec: 6_000,
      updatedAt: NOW.toISOString(),
      clientTs: NOW.getTime(),
      finished: false,
      reason: 'resume' as const,
    },
  ],
};

/** A dependency's call that counts how often it was made. */
function counted<T>(call: () => Promise<T>): (() => Promise<T>) & { calls: number } {
  const wrapped = Object.assign(
    () => {
      wrapped.calls += 1;
      return call();
    },
    { calls: 0 },
  );
  return wrapped;
}

const failing = () => Promise.reject(new Error('dependency down'));
/** A dependency that never answers. */
const hanging = () => new Promise<never>(() => {});

/**
 * In-memory dependencies as the handler wires them: the Top 10 computed from viewing counts for
 * the audience, recommendations as the internal function answers them.
 */
function healthyPorts(audience: Audience, overrides: Partial<HomePorts> = {}): HomePorts {
  const catalog = catalogOf(TITLES, POPULARITY);
  return {
    guard: breakerGuard(BREAKER),
    catalog: async () => catalog,
    continueWatching: async () => continueWatching,
    recommendations: async () => recommendations(catalog),
    top10: async (view): Promise<Top10> => top10(VIEWING, view, audience, ['2026-11-21']),
    ...overrides,
  };
}

const rowIds = (home: { rows: { id: string }[] }) => home.rows.map((r) => r.id);
const itemIds = (home: { rows: { id: string; items: { titleId: string }[] }[] }, rowId: string) =>
  home.rows.find((r) => r.id === rowId)?.items.map((i) => i.titleId);

describe('the home page', () => {
  it('shows every row when all dependencies answer', async () => {
    const home = await buildHome(healthyPorts(ADULT), PROFILE, ADULT);

    expect(home.degraded).toEqual([]);
    expect(home.profileId).toBe(PROFILE);
    expect(home.country).toBe('US');
    expect(rowIds(home)).toEqual([
      'continue-watching',
      'top10',
      'because-lighthouse',
      'because-show',
      'recommended',
      'genre-scifi',
      'genre-thriller',
      'genre-drama',
      'new-arrivals',
    ]);
  });

  it('fills each row from its dependency', async () => {
    const home = await buildHome(healthyPorts(ADULT), PROFILE, ADULT);

    const resume = home.rows[0]?.items[0];
    expect(resume).toMatchObject({
      titleId: 'show',
      kind: 'series',
      playTitleId: 'show-e2',
      positionSec: 300,
    });
    expect(itemIds(home, 'top10')).toEqual(['grim', 'show', 'comet']);
    expect(home.rows.find((r) => r.id === 'because-lighthouse')).toMatchObject({
      title: 'Because you watched The Lighthouse Keeper',
    });
    expect(itemIds(home, 'because-lighthouse')).toEqual(['comet', 'harbor']);
    expect(itemIds(home, 'recommended')).toEqual(['comet', 'grim', 'harbor', 'nebula', 'dark']);
    expect(itemIds(home, 'genre-drama')).toEqual(['lighthouse', 'harbor']);
    expect(itemIds(home, 'new-arrivals')?.slice(0, 3)).toEqual(['grim', 'nebula', 'dark']);
  });

  it('answers the recommended row from the Top 10 when recommendations fail', async () => {
    const home = await buildHome(healthyPorts(ADULT, { recommendations: failing }), PROFILE, ADULT);

    expect(home.degraded).toEqual([{ dependency: 'recommendations', cause: 'ERROR', fallback: 'top10' }]);
    expect(rowIds(home)).not.toContain('because-lighthouse');
    const recommended = home.rows.find((r) => r.id === 'recommended');
    expect(recommended?.title).toBe('Popular in US');
    expect(recommended?.items.map((i) => i.titleId)).toEqual(['grim', 'show', 'comet']);
  });

  it("answers the recommended row in the catalog's popularity order when Top 10 fails too", async () => {
    const home = await buildHome(
      healthyPorts(ADULT, { recommendations: failing, top10: failing }),
      PROFILE,
      ADULT,
    );

    expect(home.degraded).toEqual([
      { dependency: 'top10', cause: 'ERROR', fallback: 'omitted' },
      { dependency: 'recommendations', cause: 'ERROR', fallback: 'catalog' },
    ]);
    expect(rowIds(home)).not.toContain('top10');
    expect(itemIds(home, 'recommended')).toEqual([
      'grim',
      'lighthouse',
      'comet',
      'show',
      'harbor',
      'dark',
      'nebula',
    ]);
  });

  it('leaves out the Top 10 row alone when only Top 10 fails', async () => {
    const home = await buildHome(healthyPorts(ADULT, { top10: failing }), PROFILE, ADULT);

    expect(home.degraded).toEqual([{ dependency: 'top10', cause: 'ERROR', fallback: 'omitted' }]);
    expect(rowIds(home)).toEqual(
      expect.arrayContaining(['continue-watching', 'because-lighthouse', 'recommended']),
    );
    expect(rowIds(home)).not.toContain('top10');
  });

  it('answers within about the timeout when recommendations hang, and says TIMEOUT', async () => {
    const started = performance.now();
    const home = await buildHome(healthyPorts(ADULT, { recommendations: hanging }), PROFILE, ADULT);
    const elapsedMs = performance.now() - started;

    expect(home.degraded).toEqual([{ dependency: 'recommendations', cause: 'TIMEOUT', fallback: 'top10' }]);
    expect(itemIds(home, 'recommended')).toEqual(['grim', 'show', 'comet']);
    // The call never settles: only the timeout (100 ms) can have ended the wait. Generous bound.
    expect(elapsedMs).toBeGreaterThanOrEqual(BREAKER.timeoutMs - 5);
    expect(elapsedMs).toBeLessThan(BREAKER.timeoutMs + 900);
  });

  it('stops calling a dependency once its breaker is open, and says OPEN', async () => {
    const recs = counted(failing);
    const ports = healthyPorts(ADULT, { recommendations: recs });

    for (let i = 0; i < BREAKER.failuresToOpen; i += 1) {
      const home = await buildHome(ports, PROFILE, ADULT);
      expect(home.degraded).toEqual([{ dependency: 'recommendations', cause: 'ERROR', fallback: 'top10' }]);
    }
    const opened = await buildHome(ports, PROFILE, ADULT);

    expect(recs.calls).toBe(BREAKER.failuresToOpen);
    expect(opened.degraded).toEqual([{ dependency: 'recommendations', cause: 'OPEN', fallback: 'top10' }]);
    expect(itemIds(opened, 'recommended')).toEqual(['grim', 'show', 'comet']);
  });

  it('counts timeouts towards opening the breaker', async () => {
    const recs = counted(hanging);
    // A longer timeout than elsewhere: the open breaker's answer must come well within it.
    const options = { ...BREAKER, timeoutMs: 300 };
    const ports = healthyPorts(ADULT, { guard: breakerGuard(options), recommendations: recs });

    await buildHome(ports, PROFILE, ADULT);
    await buildHome(ports, PROFILE, ADULT);
    const started = performance.now();
    const opened = await buildHome(ports, PROFILE, ADULT);

    expect(recs.calls).toBe(2);
    expect(opened.degraded).toEqual([{ dependency: 'recommendations', cause: 'OPEN', fallback: 'top10' }]);
    // Open: no waiting on the sick dependency at all.
    expect(performance.now() - started).toBeLessThan(options.timeoutMs);
  });

  it('keeps one breaker per dependency: failing recommendations do not cut off history', async () => {
    const history = counted(async () => continueWatching);
    const ports = healthyPorts(ADULT, { recommendations: failing, continueWatching: history });

    for (let i = 0; i < 3; i += 1) await buildHome(ports, PROFILE, ADULT);

    expect(history.calls).toBe(3);
  });

  it('calls a dependency again after the breaker has been open for a while, and recovers', async () => {
    let healthy = false;
    const catalog = catalogOf(TITLES, POPULARITY);
    const recs = counted(() => (healthy ? Promise.resolve(recommendations(catalog)) : failing()));
    const guard = breakerGuard({ ...BREAKER, halfOpenAfterMs: 400 });
    const ports = healthyPorts(ADULT, { guard, recommendations: recs });

    await buildHome(ports, PROFILE, ADULT);
    await buildHome(ports, PROFILE, ADULT);
    expect((await buildHome(ports, PROFILE, ADULT)).degraded[0]?.cause).toBe('OPEN');
    healthy = true;
    await new Promise((resolve) => setTimeout(resolve, 450));
    const recovered = await buildHome(ports, PROFILE, ADULT);

    expect(recs.calls).toBe(3);
    expect(recovered.degraded).toEqual([]);
    expect(rowIds(recovered)).toContain('because-lighthouse');
  });

  it('leaves out continue watching when history fails', async () => {
    const home = await buildHome(healthyPorts(ADULT, { continueWatching: failing }), PROFILE, ADULT);

    expect(home.degraded).toEqual([{ dependency: 'history', cause: 'ERROR', fallback: 'omitted' }]);
    expect(rowIds(home)).not.toContain('continue-watching');
    expect(rowIds(home)).toEqual(expect.arrayContaining(['top10', 'recommended', 'new-arrivals']));
  });

  it('answers no rows, and says why, when the catalog fails', async () => {
    const home = await buildHome(
      healthyPorts(ADULT, { catalog: failing, recommendations: failing }),
      PROFILE,
      ADULT,
    );

    expect(home.rows).toEqual([]);
    expect(home.degraded).toEqual([
      { dependency: 'catalog', cause: 'ERROR', fallback: 'omitted' },
      { dependency: 'recommendations', cause: 'ERROR', fallback: 'omitted' },
    ]);
  });

  it('shows the artwork chosen for the profile, and the editorial one when choosing fails', async () => {
    const chosen = { artworkId: 'a-2__scifi', url: 'https://img.example/a-2.jpg', reason: 'BEST_FOR_YOU' };
    const withArtwork = await buildHome(
      healthyPorts(ADULT, { artwork: async () => (id) => (id === 'comet' ? chosen : undefined) }),
      PROFILE,
      ADULT,
    );
    const comets = withArtwork.rows.flatMap((r) => r.items.filter((i) => i.titleId === 'comet'));
    expect(comets.length).toBeGreaterThan(1);
    expect(comets.every((i) => i.artwork === chosen)).toBe(true);

    const withoutArtwork = await buildHome(healthyPorts(ADULT, { artwork: failing }), PROFILE, ADULT);
    expect(withoutArtwork.rows[1]?.items[0]?.artwork).toEqual({
      url: 'https://img.example/grim.jpg',
      reason: 'EDITORIAL',
    });
  });

  it('answers within about the timeout, with editorial artwork, when choosing artwork hangs', async () => {
    const started = performance.now();
    const home = await buildHome(healthyPorts(ADULT, { artwork: hanging }), PROFILE, ADULT);
    const elapsedMs = performance.now() - started;

    expect(rowIds(home)).toContain('recommended');
    expect(home.rows.flatMap((r) => r.items).every((i) => i.artwork.reason === 'EDITORIAL')).toBe(true);
    expect(elapsedMs).toBeLessThan(BREAKER.timeoutMs + 900);
  });

  describe('for a kids profile', () => {
    const scenarios: [string, Partial<HomePorts>][] = [
      ['all dependencies answer', {}],
      ['recommendations fail (Top 10 stands in)', { recommendations: failing }],
      ['recommendations and Top 10 fail (catalog order)', { recommendations: failing, top10: failing }],
      [
        // The country's Top 10 without a profile (as GET /v1/top10 answers it, and caches): adult titles in it.
        'the Top 10 is the country’s, for every audience',
        { top10: async (view) => top10(VIEWING, view, { country: 'US', now: NOW }, ['2026-11-21']) },
      ],
      [
        'the Top 10 is the country’s and recommendations fail',
        {
          recommendations: failing,
          top10: async (view) => top10(VIEWING, view, { country: 'US', now: NOW }, ['2026-11-21']),
        },
      ],
    ];

    it.each(scenarios)('never shows an adult or teen title in any row when %s', async (_, overrides) => {
      const home = await buildHome(healthyPorts(KIDS, overrides), PROFILE, KIDS);

      const shown = home.rows.flatMap((r) => r.items.map((i) => `${r.id}:${i.titleId}:${i.maturity}`));
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.filter((s) => !maturityAllows('kids', s.split(':')[2] as 'kids'))).toEqual([]);
    });
  });
});
