import { describe, expect, it } from 'vitest';
import { createTitle, updateTitle } from '../../../lambdas/catalog/domain/admin.ts';
import {
  type CreateTitleRequest,
  createTitleRequestSchema,
  updateTitleRequestSchema,
} from '../../../lambdas/contracts/api/catalog.ts';
import { episode, InMemoryTitles, NOW, title } from './fakes.ts';

const request = (body: Record<string, unknown>): CreateTitleRequest =>
  createTitleRequestSchema.parse({ maturity: 'teen', ...body });

function sequentialIds() {
  let n = 0;
  return () => `new-${++n}`;
}

async function errorOf(promise: Promise<unknown>): Promise<{ code?: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; status?: number };
  }
  throw new Error('expected a rejection');
}

describe('createTitle', () => {
  it('stores a movie with defaults, the minted id and the creation time', async () => {
    const titles = new InMemoryTitles();

    const created = await createTitle(
      { titles, ids: sequentialIds() },
      request({ name: 'Arrival', availability: [{ countries: ['US'], from: '2026-01-01T00:00:00Z' }] }),
      NOW,
    );

    expect(created).toEqual({ titleId: 'new-1' });
    expect(titles.items.get('new-1')).toEqual({
      titleId: 'new-1',
      kind: 'movie',
      name: 'Arrival',
      synopsis: '',
      genres: [],
      cast: [],
      maturity: 'teen',
      artwork: {},
      availability: [{ countries: ['US'], from: '2026-01-01T00:00:00Z' }],
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
  });

  it('stores an episode of an existing series', async () => {
    const series = title({ kind: 'series' });
    const titles = new InMemoryTitles([series]);

    const { titleId } = await createTitle(
      { titles, ids: sequentialIds() },
      request({
        kind: 'episode',
        name: 'Pilot',
        seriesId: series.titleId,
        seasonNumber: 1,
        episodeNumber: 1,
      }),
      NOW,
    );

    expect(titles.items.get(titleId)).toMatchObject({
      kind: 'episode',
      seriesId: series.titleId,
      seasonNumber: 1,
      episodeNumber: 1,
    });
  });

  it('refuses an episode of an unknown series with SERIES_NOT_FOUND', async () => {
    const titles = new InMemoryTitles();

    const error = await errorOf(
      createTitle(
        { titles, ids: sequentialIds() },
        request({ kind: 'episode', name: 'Pilot', seriesId: 'ghost', seasonNumber: 1, episodeNumber: 1 }),
        NOW,
      ),
    );

    expect(error).toMatchObject({ code: 'SERIES_NOT_FOUND', status: 400 });
    expect(titles.items.size).toBe(0);
  });

  it('refuses an episode whose series id names a movie with SERIES_NOT_FOUND', async () => {
    const movie = title({ kind: 'movie' });

    const error = await errorOf(
      createTitle(
        { titles: new InMemoryTitles([movie]), ids: sequentialIds() },
        request({
          kind: 'episode',
          name: 'Pilot',
          seriesId: movie.titleId,
          seasonNumber: 1,
          episodeNumber: 1,
        }),
        NOW,
      ),
    );

    expect(error).toMatchObject({ code: 'SERIES_NOT_FOUND', status: 400 });
  });

  it('refuses a second episode in the same slot with EPISODE_EXISTS', async () => {
    const series = title({ kind: 'series' });
    const titles = new InMemoryTitles([series, episode(series, 1, 1)]);

    const error = await errorOf(
      createTitle(
        { titles, ids: sequentialIds() },
        request({
          kind: 'episode',
          name: 'Again',
          seriesId: series.titleId,
          seasonNumber: 1,
          episodeNumber: 1,
        }),
        NOW,
      ),
    );

    expect(error).toMatchObject({ code: 'EPISODE_EXISTS', status: 409 });
    expect(titles.items.size).toBe(2);
  });
});

describe('the edit request (PATCH)', () => {
  it('keeps only the fields the body gave: no defaults fill in what was left out', () => {
    expect(updateTitleRequestSchema.parse({ name: 'New name' })).toEqual({ name: 'New name' });
  });

  it('keeps the parsed (trimmed, lower-cased) values', () => {
    const body = { genres: [' Drama '], synopsis: '  Hi ' };

    expect(updateTitleRequestSchema.parse(body)).toEqual({ genres: ['drama'], synopsis: 'Hi' });
  });

  it('refuses an edit that changes nothing', () => {
    const result = updateTitleRequestSchema.safeParse({});

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('give at least one field to change');
  });
});

describe('updateTitle', () => {
  it('writes the changes and answers the admin view', async () => {
    const movie = title({ name: 'Old', synopsis: 'Kept' });
    const titles = new InMemoryTitles([movie]);

    const updated = await updateTitle({ titles }, movie.titleId, { name: 'New' }, NOW);

    expect(updated).toMatchObject({
      titleId: movie.titleId,
      name: 'New',
      synopsis: 'Kept',
      updatedAt: NOW.toISOString(),
    });
    expect(updated.availability).toEqual(movie.availability);
  });

  it('answers TITLE_NOT_FOUND for an unknown title', async () => {
    const error = await errorOf(updateTitle({ titles: new InMemoryTitles() }, 'ghost', { name: 'x' }, NOW));

    expect(error).toMatchObject({ code: 'TITLE_NOT_FOUND', status: 404 });
  });
});
