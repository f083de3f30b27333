import { describe, expect, it } from 'vitest';
import {
  episodeKey,
  groupSeasons,
  isAvailable,
  isVisible,
  listingSortKey,
  supersedes,
  toAdminTitle,
  toTitleFacts,
  toTitleView,
} from '../../../lambdas/catalog/domain/titles.ts';
import { asset, episode, title } from './fakes.ts';

const at = (iso: string) => new Date(iso);

describe('availability windows', () => {
  const windows = [
    { countries: ['US', 'CA'], from: '2026-03-01T00:00:00Z', to: '2026-09-01T00:00:00Z' },
    { countries: ['BR'], from: '2026-07-01T00:00:00Z' },
  ];

  it('makes a title live in a listed country inside its window', () => {
    expect(isAvailable(windows, 'US', at('2026-05-01T00:00:00Z'))).toBe(true);
    expect(isAvailable(windows, 'CA', at('2026-05-01T00:00:00Z'))).toBe(true);
  });

  it('keeps it out of countries no window lists', () => {
    expect(isAvailable(windows, 'DE', at('2026-05-01T00:00:00Z'))).toBe(false);
  });

  it('lets one country be live while another is not yet', () => {
    const now = at('2026-05-01T00:00:00Z');

    expect(isAvailable(windows, 'US', now)).toBe(true);
    expect(isAvailable(windows, 'BR', now)).toBe(false);
  });

  it('opens at `from` exactly (inclusive)', () => {
    expect(isAvailable(windows, 'US', at('2026-02-28T23:59:59.999Z'))).toBe(false);
    expect(isAvailable(windows, 'US', at('2026-03-01T00:00:00.000Z'))).toBe(true);
  });

  it('closes at `to` exactly (exclusive)', () => {
    expect(isAvailable(windows, 'US', at('2026-08-31T23:59:59.999Z'))).toBe(true);
    expect(isAvailable(windows, 'US', at('2026-09-01T00:00:00.000Z'))).toBe(false);
  });

  it('never closes a window without `to`', () => {
    expect(isAvailable(windows, 'BR', at('2099-01-01T00:00:00Z'))).toBe(true);
  });

  it('compares instants, not strings, when windows carry offsets', () => {
    const offset = [{ countries: ['JP'], from: '2026-03-01T09:00:00+09:00' }];

    expect(isAvailable(offset, 'JP', at('2026-02-28T23:59:59Z'))).toBe(false);
    expect(isAvailable(offset, 'JP', at('2026-03-01T00:00:00Z'))).toBe(true);
  });

  it('shows nothing when there are no windows', () => {
    expect(isAvailable([], 'US', at('2026-05-01T00:00:00Z'))).toBe(false);
  });

  it('uses any window that covers the instant when several list the country', () => {
    const split = [
      { countries: ['US'], from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' },
      { countries: ['US'], from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' },
    ];

    expect(isAvailable(split, 'US', at('2026-01-15T00:00:00Z'))).toBe(true);
    expect(isAvailable(split, 'US', at('2026-02-15T00:00:00Z'))).toBe(false);
    expect(isAvailable(split, 'US', at('2026-03-15T00:00:00Z'))).toBe(true);
  });
});

describe('visibility', () => {
  const now = at('2026-06-15T12:00:00Z');

  it('hides an adult title from a kids or teen profile and shows it to an adult one', () => {
    const adult = title({ maturity: 'adult' });

    expect(isVisible(adult, { country: 'US', maturity: 'kids' }, now)).toBe(false);
    expect(isVisible(adult, { country: 'US', maturity: 'teen' }, now)).toBe(false);
    expect(isVisible(adult, { country: 'US', maturity: 'adult' }, now)).toBe(true);
  });

  it('shows a kids title to every profile', () => {
    const kids = title({ maturity: 'kids' });

    expect(isVisible(kids, { country: 'US', maturity: 'kids' }, now)).toBe(true);
    expect(isVisible(kids, { country: 'US', maturity: 'adult' }, now)).toBe(true);
  });

  it('applies no maturity filter without a profile', () => {
    expect(isVisible(title({ maturity: 'adult' }), { country: 'US' }, now)).toBe(true);
  });

  it('requires the window even when maturity allows', () => {
    const usOnly = title({ availability: [{ countries: ['US'], from: '2020-01-01T00:00:00Z' }] });

    expect(isVisible(usOnly, { country: 'DE', maturity: 'adult' }, now)).toBe(false);
  });
});

describe('index keys', () => {
  it('sorts the listing by name case-insensitively, ids breaking ties', () => {
    const keys = [
      listingSortKey('banana', 'b'),
      listingSortKey('Apple', 'z'),
      listingSortKey('apple', 'a'),
      listingSortKey('Cherry', 'c'),
    ].sort();

    expect(keys).toEqual(['apple#a', 'apple#z', 'banana#b', 'cherry#c']);
  });

  it('zero-pads episode keys so season 2 sorts after season 1 episode 10', () => {
    expect(episodeKey(1, 7)).toBe('001#0007');
    expect([episodeKey(2, 1), episodeKey(1, 10), episodeKey(1, 2)].sort()).toEqual([
      '001#0002',
      '001#0010',
      '002#0001',
    ]);
  });
});

describe('seasons', () => {
  it('groups episodes by season, both in ascending order', () => {
    const series = title({ kind: 'series' });
    const episodes = [
      episode(series, 2, 1),
      episode(series, 1, 10),
      episode(series, 1, 2, { asset: asset('x', { durationSec: 42 }) }),
    ];

    const seasons = groupSeasons(episodes);

    expect(seasons.map((s) => [s.seasonNumber, s.episodes.map((e) => e.episodeNumber)])).toEqual([
      [1, [2, 10]],
      [2, [1]],
    ]);
    expect(seasons[0]?.episodes[0]).toMatchObject({ playable: true, durationSec: 42 });
    expect(seasons[0]?.episodes[1]).toMatchObject({ playable: false });
    expect(seasons[0]?.episodes[1]).not.toHaveProperty('durationSec');
  });
});

describe('views', () => {
  it('shows viewers a playable title with its duration, and no windows or asset', () => {
    const movie = title({ asset: asset('m', { durationSec: 596 }) });

    const view = toTitleView(movie);

    expect(view).toMatchObject({ titleId: movie.titleId, kind: 'movie', playable: true, durationSec: 596 });
    expect(view).not.toHaveProperty('availability');
    expect(view).not.toHaveProperty('asset');
  });

  it('marks a title without an asset as not playable', () => {
    expect(toTitleView(title())).toMatchObject({ playable: false });
    expect(toTitleView(title())).not.toHaveProperty('durationSec');
  });

  it('shows admins the windows, the asset and the timestamps', () => {
    const movie = title({ asset: asset('m') });

    expect(toAdminTitle(movie)).toMatchObject({
      availability: movie.availability,
      asset: movie.asset,
      createdAt: movie.createdAt,
      updatedAt: movie.updatedAt,
    });
  });

  it('gives other services the facts of an episode', () => {
    const series = title({ kind: 'series' });
    const ep = episode(series, 3, 4, { maturity: 'kids' });

    expect(toTitleFacts(ep)).toEqual({
      titleId: ep.titleId,
      kind: 'episode',
      name: 'S3E4',
      maturity: 'kids',
      seriesId: series.titleId,
      seasonNumber: 3,
      episodeNumber: 4,
    });
  });
});

describe('asset order', () => {
  it('lets a later publication replace an earlier one, never the reverse', () => {
    const older = asset('t', { jobId: 'job-a', publishedAt: '2026-06-01T00:00:00.000Z' });
    const newer = asset('t', { jobId: 'job-b', publishedAt: '2026-06-02T00:00:00.000Z' });

    expect(supersedes(newer, older)).toBe(true);
    expect(supersedes(older, newer)).toBe(false);
  });

  it('accepts the first asset and the same one delivered again', () => {
    const one = asset('t');

    expect(supersedes(one, undefined)).toBe(true);
    expect(supersedes(one, { ...one })).toBe(true);
  });

  it('settles two jobs published in the same instant by job id, whatever the order', () => {
    const a = asset('t', { jobId: 'job-a' });
    const b = asset('t', { jobId: 'job-b' });

    expect(supersedes(b, a)).toBe(true);
    expect(supersedes(a, b)).toBe(false);
  });
});
