import { describe, expect, it } from 'vitest';
import {
  type BrowseDeps,
  getTitle,
  listingCursor,
  listTitles,
  MAX_EXAMINED_PER_PAGE,
  parseListingCursor,
} from '../../../lambdas/catalog/domain/browse.ts';
import type { TitleRecord } from '../../../lambdas/catalog/domain/titles.ts';
import { encodeCursor } from '../../../lambdas/shared/pagination.ts';
import { asset, episode, FakeProfiles, InMemoryTitles, NOW, title } from './fakes.ts';

const ACCOUNT = 'acct-1';
const US_ONLY = [{ countries: ['US'], from: '2020-01-01T00:00:00Z' }];
const NOT_YET = [{ countries: ['US'], from: '2026-07-01T00:00:00Z' }];

function deps(titles: TitleRecord[], profiles = new FakeProfiles()): BrowseDeps & { titles: InMemoryTitles } {
  return { titles: new InMemoryTitles(titles), profiles };
}

const asViewer = { accountId: ACCOUNT, country: 'US', now: NOW };

async function errorOf(promise: Promise<unknown>): Promise<{ code?: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; status?: number };
  }
  throw new Error('expected a rejection');
}

describe('getTitle', () => {
  it('shows a movie live in the viewer country', async () => {
    const movie = title({ name: 'Arrival', asset: asset('m') });

    const view = await getTitle(deps([movie]), { ...asViewer, titleId: movie.titleId });

    expect(view).toMatchObject({ titleId: movie.titleId, name: 'Arrival', kind: 'movie', playable: true });
  });

  it('answers TITLE_NOT_FOUND for an unknown id', async () => {
    const error = await errorOf(getTitle(deps([]), { ...asViewer, titleId: 'nope' }));

    expect(error).toMatchObject({ code: 'TITLE_NOT_FOUND', status: 404 });
  });

  it('answers TITLE_NOT_FOUND for a title not live in the viewer country', async () => {
    const movie = title({ availability: US_ONLY });

    const error = await errorOf(
      getTitle(deps([movie]), { ...asViewer, country: 'BR', titleId: movie.titleId }),
    );

    expect(error).toMatchObject({ code: 'TITLE_NOT_FOUND', status: 404 });
  });

  it('answers TITLE_NOT_FOUND before the window opens', async () => {
    const movie = title({ availability: NOT_YET });

    const error = await errorOf(getTitle(deps([movie]), { ...asViewer, titleId: movie.titleId }));

    expect(error).toMatchObject({ code: 'TITLE_NOT_FOUND' });
  });

  it('hides an adult title from a kids profile', async () => {
    const movie = title({ maturity: 'adult' });
    const profiles = new FakeProfiles().add(ACCOUNT, 'kid', 'kids');

    const error = await errorOf(
      getTitle(deps([movie], profiles), { ...asViewer, profileId: 'kid', titleId: movie.titleId }),
    );

    expect(error).toMatchObject({ code: 'TITLE_NOT_FOUND', status: 404 });
  });

  it('shows an adult title to an adult profile and without a profile', async () => {
    const movie = title({ maturity: 'adult' });
    const profiles = new FakeProfiles().add(ACCOUNT, 'grown', 'adult');
    const d = deps([movie], profiles);

    await expect(
      getTitle(d, { ...asViewer, profileId: 'grown', titleId: movie.titleId }),
    ).resolves.toMatchObject({
      titleId: movie.titleId,
    });
    await expect(getTitle(d, { ...asViewer, titleId: movie.titleId })).resolves.toMatchObject({
      titleId: movie.titleId,
    });
  });

  it("answers PROFILE_NOT_FOUND for another account's profile", async () => {
    const movie = title();
    const profiles = new FakeProfiles().add('acct-2', 'theirs', 'adult');

    const error = await errorOf(
      getTitle(deps([movie], profiles), { ...asViewer, profileId: 'theirs', titleId: movie.titleId }),
    );

    expect(error).toMatchObject({ code: 'PROFILE_NOT_FOUND', status: 404 });
    expect(profiles.lookups).toEqual([{ accountId: ACCOUNT, profileId: 'theirs' }]);
  });

  it('lists a series with its seasons of visible episodes in order', async () => {
    const series = title({ kind: 'series', name: 'Dark' });
    const titles = [
      series,
      episode(series, 2, 1),
      episode(series, 1, 2, { asset: asset('e', { durationSec: 3000 }) }),
      episode(series, 1, 1),
      episode(series, 1, 3, { availability: NOT_YET }),
      episode(series, 3, 1, { availability: [{ countries: ['DE'], from: '2020-01-01T00:00:00Z' }] }),
      episode(title({ kind: 'series' }), 1, 1),
    ];

    const view = await getTitle(deps(titles), { ...asViewer, titleId: series.titleId });

    expect(view.seasons?.map((s) => [s.seasonNumber, s.episodes.map((e) => e.episodeNumber)])).toEqual([
      [1, [1, 2]],
      [2, [1]],
    ]);
    expect(view.seasons?.[0]?.episodes[1]).toMatchObject({ playable: true, durationSec: 3000 });
  });

  it("leaves out a series' episodes above the profile's maturity", async () => {
    const series = title({ kind: 'series', maturity: 'kids' });
    const profiles = new FakeProfiles().add(ACCOUNT, 'kid', 'kids');
    const titles = [
      series,
      episode(series, 1, 1, { maturity: 'kids' }),
      episode(series, 1, 2, { maturity: 'adult' }),
    ];

    const view = await getTitle(deps(titles, profiles), {
      ...asViewer,
      profileId: 'kid',
      titleId: series.titleId,
    });

    expect(view.seasons?.flatMap((s) => s.episodes.map((e) => e.episodeNumber))).toEqual([1]);
  });

  it('gives a series with no visible episodes an empty list of seasons', async () => {
    const series = title({ kind: 'series' });

    const view = await getTitle(deps([series, episode(series, 1, 1, { availability: NOT_YET })]), {
      ...asViewer,
      titleId: series.titleId,
    });

    expect(view.seasons).toEqual([]);
  });

  it('shows an episode by its own id, with its series and numbers', async () => {
    const series = title({ kind: 'series' });
    const ep = episode(series, 2, 5);

    const view = await getTitle(deps([series, ep]), { ...asViewer, titleId: ep.titleId });

    expect(view).toMatchObject({
      kind: 'episode',
      seriesId: series.titleId,
      seasonNumber: 2,
      episodeNumber: 5,
    });
    expect(view).not.toHaveProperty('seasons');
  });
});

describe('listTitles', () => {
  const names = (page: { items: { name: string }[] }) => page.items.map((t) => t.name);

  it('lists movies and series by name, never episodes', async () => {
    const series = title({ kind: 'series', name: 'Chernobyl' });
    const titles = [
      title({ name: 'brazil' }),
      series,
      episode(series, 1, 1, { name: 'A pilot' }),
      title({ name: 'Alien' }),
    ];

    const page = await listTitles(deps(titles), { ...asViewer, limit: 20 });

    expect(names(page)).toEqual(['Alien', 'brazil', 'Chernobyl']);
    expect(page.nextCursor).toBeUndefined();
  });

  it('leaves out titles not live in the viewer country', async () => {
    const titles = [
      title({ name: 'A' }),
      title({ name: 'B', availability: US_ONLY }),
      title({ name: 'C', availability: NOT_YET }),
    ];

    const inUs = await listTitles(deps(titles), { ...asViewer, limit: 20 });
    const inBrazil = await listTitles(deps(titles), { ...asViewer, country: 'BR', limit: 20 });

    expect(names(inUs)).toEqual(['A', 'B']);
    expect(names(inBrazil)).toEqual(['A']);
  });

  it("never lists titles above a kids profile's maturity", async () => {
    const titles = [
      title({ name: 'A', maturity: 'kids' }),
      title({ name: 'B', maturity: 'adult' }),
      title({ name: 'C', maturity: 'teen' }),
    ];
    const profiles = new FakeProfiles().add(ACCOUNT, 'kid', 'kids');

    const page = await listTitles(deps(titles, profiles), { ...asViewer, profileId: 'kid', limit: 20 });

    expect(names(page)).toEqual(['A']);
  });

  it('answers PROFILE_NOT_FOUND for an unknown profile', async () => {
    const error = await errorOf(listTitles(deps([title()]), { ...asViewer, profileId: 'ghost', limit: 20 }));

    expect(error).toMatchObject({ code: 'PROFILE_NOT_FOUND', status: 404 });
  });

  it('filters by genre', async () => {
    const titles = [
      title({ name: 'A', genres: ['drama'] }),
      title({ name: 'B', genres: ['comedy', 'drama'] }),
      title({ name: 'C', genres: ['comedy'] }),
    ];

    const page = await listTitles(deps(titles), { ...asViewer, genre: 'comedy', limit: 20 });

    expect(names(page)).toEqual(['B', 'C']);
  });

  it('pages with a cursor until the end, without repeats or gaps', async () => {
    const titles = 'ABCDEFG'.split('').map((name) => title({ name }));
    const d = deps(titles);

    const first = await listTitles(d, { ...asViewer, limit: 3 });
    const second = await listTitles(d, { ...asViewer, limit: 3, cursor: first.nextCursor });
    const third = await listTitles(d, { ...asViewer, limit: 3, cursor: second.nextCursor });

    expect([names(first), names(second), names(third)]).toEqual([['A', 'B', 'C'], ['D', 'E', 'F'], ['G']]);
    expect(first.nextCursor).toBeDefined();
    expect(second.nextCursor).toBeDefined();
    expect(third.nextCursor).toBeUndefined();
  });

  it('gives no cursor when the last page is exactly full', async () => {
    const d = deps(['A', 'B', 'C'].map((name) => title({ name })));

    const page = await listTitles(d, { ...asViewer, limit: 3 });

    expect(names(page)).toEqual(['A', 'B', 'C']);
    expect(page.nextCursor).toBeUndefined();
  });

  it('reads past invisible titles to fill the page', async () => {
    const titles = [
      ...'ABCDEF'.split('').map((name) => title({ name, availability: NOT_YET })),
      title({ name: 'G' }),
      title({ name: 'H', availability: US_ONLY }),
      title({ name: 'I' }),
    ];

    const page = await listTitles(deps(titles), { ...asViewer, country: 'BR', limit: 2 });

    expect(names(page)).toEqual(['G', 'I']);
    expect(page.nextCursor).toBeUndefined();
  });

  it('resumes after the last title shown, not after the last one read', async () => {
    const titles = ['A', 'B', 'C', 'D'].map((name) =>
      title({ name, genres: name === 'C' ? ['other'] : ['x'] }),
    );
    const d = deps(titles);

    const first = await listTitles(d, { ...asViewer, genre: 'x', limit: 2 });
    const second = await listTitles(d, { ...asViewer, genre: 'x', limit: 2, cursor: first.nextCursor });

    expect([names(first), names(second)]).toEqual([['A', 'B'], ['D']]);
  });

  it('stops after a bounded number of titles and hands back a cursor to go on', async () => {
    const hidden = Array.from({ length: MAX_EXAMINED_PER_PAGE + 5 }, (_, i) =>
      title({ name: `hidden ${String(i).padStart(5, '0')}`, availability: NOT_YET }),
    );
    const d = deps([...hidden, title({ name: 'zz visible' })]);

    const first = await listTitles(d, { ...asViewer, limit: 10 });
    const examinedFirst = d.titles.listed;
    const second = await listTitles(d, { ...asViewer, limit: 10, cursor: first.nextCursor });

    expect(first.items).toEqual([]);
    expect(first.nextCursor).toBeDefined();
    expect(examinedFirst).toBe(MAX_EXAMINED_PER_PAGE + 1);
    expect(names(second)).toEqual(['zz visible']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('refuses a cursor it did not issue with INVALID_CURSOR, before asking for the profile', async () => {
    const profiles = new FakeProfiles();
    const forged = [
      'not base64 json!',
      encodeCursor({ titleId: 'a', listing: 'OTHER', sortKey: 'x#a' }),
      encodeCursor({ titleId: 'a', listing: 'TITLE', sortKey: 'x#b' }),
      encodeCursor({ titleId: 'a', sortKey: 'x#a' }),
      encodeCursor({ titleId: 'a', listing: 'TITLE', sortKey: 'x#a', extra: 1 }),
    ];

    for (const cursor of forged) {
      const error = await errorOf(
        listTitles(deps([], profiles), { ...asViewer, profileId: 'p', limit: 5, cursor }),
      );
      expect(error).toMatchObject({ code: 'INVALID_CURSOR', status: 400 });
    }
    expect(profiles.lookups).toEqual([]);
  });
});

describe('listing cursors', () => {
  it('round-trip the key of the last title', () => {
    const key = { titleId: 't-1', sortKey: 'alien#t-1' };

    expect(parseListingCursor(listingCursor(key))).toEqual(key);
  });

  it('are absent when there is no key', () => {
    expect(listingCursor(undefined)).toBeUndefined();
    expect(parseListingCursor(undefined)).toBeUndefined();
  });
});
