import { describe, expect, it } from 'vitest';
import type { Audience } from '../../../lambdas/discovery/domain/catalog-view.ts';
import type { TitleViewing } from '../../../lambdas/discovery/domain/ports.ts';
import { rankViewing, TOP10_SIZE, top10 } from '../../../lambdas/discovery/domain/top10.ts';
import { catalogOf, NOW, series, title } from './viewing-fixtures.ts';

const US: Audience = { country: 'US', now: NOW };
const DAYS = ['2026-11-20', '2026-11-21'];

const counts = (viewers: number, watchSec = 0, plays = viewers): TitleViewing => ({
  plays,
  viewers,
  watchSec,
});

describe('Top 10', () => {
  it('ranks by unique viewers first', () => {
    const catalog = catalogOf([title('a'), title('b'), title('c')]);
    const viewing = new Map([
      ['a', counts(2, 9_000, 50)],
      ['b', counts(5, 100, 5)],
      ['c', counts(3, 100, 3)],
    ]);

    expect(top10(viewing, catalog, US, DAYS).items.map((i) => i.titleId)).toEqual(['b', 'c', 'a']);
  });

  it('breaks ties by watch time, then plays, then title id', () => {
    const catalog = catalogOf(['a', 'b', 'c', 'd', 'e'].map((id) => title(id)));
    const viewing = new Map([
      ['e', counts(4, 100, 4)],
      ['d', counts(4, 100, 4)],
      ['c', counts(4, 100, 9)],
      ['b', counts(4, 500, 4)],
      ['a', counts(5, 0, 5)],
    ]);

    expect(top10(viewing, catalog, US, DAYS).items.map((i) => i.titleId)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('answers the country, the days counted and each title’s figures', () => {
    const catalog = catalogOf([title('a', { name: 'Alpha', releaseYear: 2024 })]);

    const answer = top10(new Map([['a', counts(3, 5_400, 4)]]), catalog, US, DAYS);

    expect(answer).toEqual({
      country: 'US',
      days: DAYS,
      items: [
        {
          titleId: 'a',
          kind: 'movie',
          name: 'Alpha',
          synopsis: 'About a',
          genres: ['drama'],
          maturity: 'kids',
          releaseYear: 2024,
          artwork: { url: 'https://img.example/a.jpg', reason: 'EDITORIAL' },
          rank: 1,
          plays: 4,
          viewers: 3,
          watchHours: 1.5,
        },
      ],
    });
  });

  it("rolls an episode's counts into its series", () => {
    const catalog = catalogOf([series('show', ['ep-1', 'ep-2']), title('movie')]);
    const viewing = new Map([
      ['ep-1', counts(2, 600)],
      ['ep-2', counts(2, 600)],
      ['show', counts(1, 100)],
      ['movie', counts(4, 100)],
    ]);

    const answer = top10(viewing, catalog, US, DAYS);

    expect(answer.items.map((i) => [i.titleId, i.viewers, i.plays])).toEqual([
      ['show', 5, 5],
      ['movie', 4, 4],
    ]);
    expect(answer.items[0]?.kind).toBe('series');
  });

  it('leaves out a title not live in the viewer’s country', () => {
    const catalog = catalogOf([
      title('br-only', { availability: [{ countries: ['BR'], from: '2026-01-01T00:00:00Z' }] }),
      title('a'),
    ]);
    const viewing = new Map([
      ['br-only', counts(9)],
      ['a', counts(1)],
    ]);

    expect(top10(viewing, catalog, US, DAYS).items.map((i) => i.titleId)).toEqual(['a']);
    expect(top10(viewing, catalog, { country: 'BR', now: NOW }, DAYS).items.map((i) => i.titleId)).toEqual([
      'br-only',
    ]);
  });

  it('leaves out a title whose window has ended, and one whose window has not started', () => {
    const catalog = catalogOf([
      title('ended', {
        availability: [{ countries: ['US'], from: '2026-01-01T00:00:00Z', to: '2026-11-21T09:59:59Z' }],
      }),
      title('later', { availability: [{ countries: ['US'], from: '2026-12-01T00:00:00Z' }] }),
      title('still', {
        availability: [{ countries: ['US'], from: '2026-01-01T00:00:00Z', to: '2026-11-21T10:00:01Z' }],
      }),
    ]);
    const viewing = new Map([
      ['ended', counts(9)],
      ['later', counts(8)],
      ['still', counts(1)],
    ]);

    expect(top10(viewing, catalog, US, DAYS).items.map((i) => i.titleId)).toEqual(['still']);
  });

  it('leaves out an adult title for a kids profile, and keeps it for an adult one', () => {
    const catalog = catalogOf([title('grim', { maturity: 'adult' }), title('cartoon', { maturity: 'kids' })]);
    const viewing = new Map([
      ['grim', counts(9)],
      ['cartoon', counts(1)],
    ]);

    expect(top10(viewing, catalog, { ...US, maturity: 'kids' }, DAYS).items.map((i) => i.titleId)).toEqual([
      'cartoon',
    ]);
    expect(top10(viewing, catalog, { ...US, maturity: 'adult' }, DAYS).items.map((i) => i.titleId)).toEqual([
      'grim',
      'cartoon',
    ]);
  });

  it('leaves out a title that cannot be played, and ids the catalog does not know', () => {
    const catalog = catalogOf([title('no-asset', { playable: false }), title('a')]);
    const viewing = new Map([
      ['no-asset', counts(9)],
      ['deleted', counts(8)],
      ['a', counts(1)],
    ]);

    expect(top10(viewing, catalog, US, DAYS).items.map((i) => i.titleId)).toEqual(['a']);
  });

  it(`answers at most ${TOP10_SIZE} titles, ranked 1 to n`, () => {
    const ids = Array.from({ length: 14 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const catalog = catalogOf(ids.map((id) => title(id)));
    const viewing = new Map(ids.map((id, i) => [id, counts(100 - i)]));

    const answer = top10(viewing, catalog, US, DAYS);

    expect(answer.items).toHaveLength(TOP10_SIZE);
    expect(answer.items.map((i) => i.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(answer.items.map((i) => i.titleId)).toEqual(ids.slice(0, 10));
  });

  it('ranks 1 to n without gaps when fewer titles are visible', () => {
    const catalog = catalogOf([title('a'), title('gone', { playable: false }), title('b')]);
    const viewing = new Map([
      ['a', counts(3)],
      ['gone', counts(2)],
      ['b', counts(1)],
    ]);

    expect(top10(viewing, catalog, US, DAYS).items.map((i) => [i.titleId, i.rank])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('leaves out a title with neither plays nor watch time', () => {
    const catalog = catalogOf([title('a'), title('b')]);
    const viewing = new Map([
      ['a', counts(0, 0, 0)],
      ['b', counts(0, 30, 0)],
    ]);

    expect(rankViewing(viewing, catalog, US).map((t) => t.titleId)).toEqual(['b']);
  });

  it('shows the artwork chosen for the viewer when there is one', () => {
    const catalog = catalogOf([title('a'), title('b')]);
    const viewing = new Map([
      ['a', counts(2)],
      ['b', counts(1)],
    ]);
    const chosen = { artworkId: 'art-1__all', url: 'https://img.example/art-1.jpg', reason: 'BEST_FOR_YOU' };

    const answer = top10(viewing, catalog, US, DAYS, (id) => (id === 'a' ? chosen : undefined));

    expect(answer.items.map((i) => i.artwork)).toEqual([
      chosen,
      { url: 'https://img.example/b.jpg', reason: 'EDITORIAL' },
    ]);
  });
});
