import { describe, expect, it } from 'vitest';
import {
  type Audience,
  editorialArtwork,
  isVisibleTo,
  toItem,
} from '../../../lambdas/discovery/domain/catalog-view.ts';
import { catalogOf, NOW, series, title } from './viewing-fixtures.ts';

const US: Audience = { country: 'US', now: NOW };

describe('who may see a title', () => {
  it('is anyone in a country of an open window', () => {
    const windowed = title('a', {
      availability: [
        { countries: ['BR'], from: '2026-01-01T00:00:00Z' },
        { countries: ['US', 'CA'], from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' },
      ],
    });

    expect(isVisibleTo(windowed, US)).toBe(true);
    expect(isVisibleTo(windowed, { ...US, country: 'BR' })).toBe(true);
    expect(isVisibleTo(windowed, { ...US, country: 'GB' })).toBe(false);
  });

  it('starts at the window’s start and ends just before its end', () => {
    const windowed = title('a', {
      availability: [{ countries: ['US'], from: NOW.toISOString(), to: '2026-11-22T10:00:00.000Z' }],
    });

    expect(isVisibleTo(windowed, US)).toBe(true);
    expect(isVisibleTo(windowed, { ...US, now: new Date(NOW.getTime() - 1) })).toBe(false);
    expect(isVisibleTo(windowed, { ...US, now: new Date('2026-11-22T09:59:59.999Z') })).toBe(true);
    expect(isVisibleTo(windowed, { ...US, now: new Date('2026-11-22T10:00:00.000Z') })).toBe(false);
  });

  it('is no title without windows', () => {
    expect(isVisibleTo(title('a', { availability: [] }), US)).toBe(false);
  });

  it('takes the profile’s maturity into account, and any rating without a profile', () => {
    const teen = title('a', { maturity: 'teen' });

    expect(isVisibleTo(teen, { ...US, maturity: 'kids' })).toBe(false);
    expect(isVisibleTo(teen, { ...US, maturity: 'teen' })).toBe(true);
    expect(isVisibleTo(teen, { ...US, maturity: 'adult' })).toBe(true);
    expect(isVisibleTo(title('b', { maturity: 'adult' }), US)).toBe(true);
  });
});

describe('the catalog view', () => {
  const catalog = catalogOf([
    series('show', ['show-e1', 'show-e2']),
    title('movie'),
    title('draft', { playable: false }),
  ]);

  it('finds the series an episode belongs to, and a movie itself', () => {
    expect(catalog.browsable('show-e2')?.titleId).toBe('show');
    expect(catalog.browsable('show')?.titleId).toBe('show');
    expect(catalog.browsable('movie')?.titleId).toBe('movie');
    expect(catalog.browsable('unknown')).toBeUndefined();
  });

  it('shows only titles that can be played', () => {
    expect(catalog.visible('movie', US)).toBe(true);
    expect(catalog.visible('draft', US)).toBe(false);
    expect(catalog.visible('unknown', US)).toBe(false);
  });

  it('shows a title with its editorial poster unless another artwork was chosen', () => {
    const movie = title('movie', { releaseYear: 2025 });

    expect(toItem(movie)).toEqual({
      titleId: 'movie',
      kind: 'movie',
      name: 'Title movie',
      synopsis: 'About movie',
      genres: ['drama'],
      maturity: 'kids',
      releaseYear: 2025,
      artwork: { url: 'https://img.example/movie.jpg', reason: 'EDITORIAL' },
    });
    expect(toItem(title('x'))).not.toHaveProperty('releaseYear');
    expect(editorialArtwork(title('x', { artwork: {} }))).toEqual({ reason: 'EDITORIAL' });
    expect(toItem(movie, { artworkId: 'a1__all', url: 'u', reason: 'EXPLORE' }).artwork).toEqual({
      artworkId: 'a1__all',
      url: 'u',
      reason: 'EXPLORE',
    });
  });
});
