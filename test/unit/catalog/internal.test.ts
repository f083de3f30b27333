import { describe, expect, it } from 'vitest';
import { catalogInternal } from '../../../lambdas/catalog/domain/internal.ts';
import { asset, episode, InMemoryTitles, NOW, title } from './fakes.ts';

const NOT_YET = [{ countries: ['US'], from: '2026-07-01T00:00:00Z' }];
const DE_ONLY = [{ countries: ['DE'], from: '2020-01-01T00:00:00Z' }];

describe('describeTitles', () => {
  it('returns the facts of visible titles in the order asked, each once', async () => {
    const a = title({ asset: asset('a') });
    const b = title();
    const titles = new InMemoryTitles([a, b]);

    const out = await catalogInternal(
      { titles },
      { op: 'describeTitles', titleIds: [b.titleId, a.titleId, b.titleId], country: 'US' },
      NOW,
    );

    expect(out.titles.map((t) => t.titleId)).toEqual([b.titleId, a.titleId]);
    expect(out.titles[1]?.asset).toEqual(a.asset);
  });

  it('leaves out unknown titles, titles out of their window and titles above the maturity', async () => {
    const visible = title({ maturity: 'kids' });
    const elsewhere = title({ availability: DE_ONLY });
    const later = title({ availability: NOT_YET });
    const adult = title({ maturity: 'adult' });
    const titles = new InMemoryTitles([visible, elsewhere, later, adult]);

    const out = await catalogInternal(
      { titles },
      {
        op: 'describeTitles',
        titleIds: ['ghost', visible.titleId, elsewhere.titleId, later.titleId, adult.titleId],
        country: 'US',
        maturity: 'kids',
      },
      NOW,
    );

    expect(out.titles.map((t) => t.titleId)).toEqual([visible.titleId]);
  });

  it('answers an empty request with no titles', async () => {
    const out = await catalogInternal(
      { titles: new InMemoryTitles() },
      { op: 'describeTitles', titleIds: [], country: 'US' },
      NOW,
    );

    expect(out).toEqual({ titles: [] });
  });
});

describe('nextEpisode', () => {
  const series = title({ kind: 'series' });

  it('gives the next episode of the same season', async () => {
    const [e1, e2] = [episode(series, 1, 1), episode(series, 1, 2)];
    const titles = new InMemoryTitles([series, e2, e1]);

    const out = await catalogInternal(
      { titles },
      { op: 'nextEpisode', titleId: e1.titleId, country: 'US' },
      NOW,
    );

    expect(out.titles).toEqual([
      expect.objectContaining({ titleId: e2.titleId, seasonNumber: 1, episodeNumber: 2 }),
    ]);
  });

  it('crosses into the next season after the last episode of one', async () => {
    const last = episode(series, 1, 10);
    const firstOfNext = episode(series, 2, 1);
    const titles = new InMemoryTitles([
      series,
      episode(series, 1, 9),
      last,
      firstOfNext,
      episode(series, 2, 2),
    ]);

    const out = await catalogInternal(
      { titles },
      { op: 'nextEpisode', titleId: last.titleId, country: 'US' },
      NOW,
    );

    expect(out.titles.map((t) => t.titleId)).toEqual([firstOfNext.titleId]);
  });

  it('skips episodes not live in the country or above the maturity', async () => {
    const current = episode(series, 1, 1, { maturity: 'kids' });
    const titles = new InMemoryTitles([
      series,
      current,
      episode(series, 1, 2, { availability: NOT_YET, maturity: 'kids' }),
      episode(series, 1, 3, { availability: DE_ONLY, maturity: 'kids' }),
      episode(series, 2, 1, { maturity: 'adult' }),
      episode(series, 2, 2, { maturity: 'kids', name: 'The one' }),
    ]);

    const out = await catalogInternal(
      { titles },
      { op: 'nextEpisode', titleId: current.titleId, country: 'US', maturity: 'kids' },
      NOW,
    );

    expect(out.titles.map((t) => t.name)).toEqual(['The one']);
  });

  it('gives nothing after the last episode', async () => {
    const last = episode(series, 3, 8);
    const titles = new InMemoryTitles([series, episode(series, 1, 1), last]);

    const out = await catalogInternal(
      { titles },
      { op: 'nextEpisode', titleId: last.titleId, country: 'US' },
      NOW,
    );

    expect(out).toEqual({ titles: [] });
  });

  it('gives nothing for a movie or an unknown title', async () => {
    const movie = title();
    const titles = new InMemoryTitles([movie]);

    const forMovie = await catalogInternal(
      { titles },
      { op: 'nextEpisode', titleId: movie.titleId, country: 'US' },
      NOW,
    );
    const forGhost = await catalogInternal(
      { titles },
      { op: 'nextEpisode', titleId: 'ghost', country: 'US' },
      NOW,
    );

    expect([forMovie, forGhost]).toEqual([{ titles: [] }, { titles: [] }]);
  });

  it('never crosses into another series', async () => {
    const other = title({ kind: 'series' });
    const last = episode(series, 1, 1);
    const titles = new InMemoryTitles([series, other, last, episode(other, 1, 2)]);

    const out = await catalogInternal(
      { titles },
      { op: 'nextEpisode', titleId: last.titleId, country: 'US' },
      NOW,
    );

    expect(out).toEqual({ titles: [] });
  });
});

describe('getTitleForAdmin', () => {
  it('finds a title whatever its windows', async () => {
    const hidden = title({ availability: [] });

    const out = await catalogInternal(
      { titles: new InMemoryTitles([hidden]) },
      { op: 'getTitleForAdmin', titleId: hidden.titleId },
      NOW,
    );

    expect(out.titles.map((t) => t.titleId)).toEqual([hidden.titleId]);
  });

  it('gives nothing for an unknown title', async () => {
    const out = await catalogInternal(
      { titles: new InMemoryTitles() },
      { op: 'getTitleForAdmin', titleId: 'ghost' },
      NOW,
    );

    expect(out).toEqual({ titles: [] });
  });
});
