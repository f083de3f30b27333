import { describe, expect, it } from 'vitest';
import { attachAsset, MalformedEventError } from '../../../lambdas/catalog/domain/assets.ts';
import { asset, InMemoryTitles, NOW, title } from './fakes.ts';

function published(
  titleId: string,
  jobId: string,
  time: string | undefined,
  overrides: Record<string, unknown> = {},
) {
  const {
    jobId: _job,
    publishedAt: _at,
    ...pipelineAsset
  } = asset(titleId, { assetId: `asset-of-${jobId}` });
  return {
    source: 'showrunner.media',
    'detail-type': 'Asset Published',
    time,
    detail: { jobId, titleId, asset: pipelineAsset },
    ...overrides,
  };
}

describe('attachAsset', () => {
  it('attaches the asset with its job and publication time', async () => {
    const movie = title();
    const titles = new InMemoryTitles([movie]);

    const result = await attachAsset(
      { titles },
      published(movie.titleId, 'job-1', '2026-06-10T08:00:00Z'),
      NOW,
    );

    expect(result).toEqual({ outcome: 'ATTACHED', titleId: movie.titleId, jobId: 'job-1' });
    expect(titles.items.get(movie.titleId)?.asset).toMatchObject({
      assetId: 'asset-of-job-1',
      jobId: 'job-1',
      publishedAt: '2026-06-10T08:00:00.000Z',
    });
  });

  it('keeps the newer asset when an older event arrives late', async () => {
    const movie = title();
    const titles = new InMemoryTitles([movie]);
    await attachAsset({ titles }, published(movie.titleId, 'job-new', '2026-06-10T09:00:00Z'), NOW);

    const result = await attachAsset(
      { titles },
      published(movie.titleId, 'job-old', '2026-06-10T08:00:00Z'),
      NOW,
    );

    expect(result.outcome).toBe('NEWER_ASSET_KEPT');
    expect(titles.items.get(movie.titleId)?.asset?.jobId).toBe('job-new');
  });

  it('compares instants written with and without milliseconds correctly', async () => {
    const movie = title();
    const titles = new InMemoryTitles([movie]);
    await attachAsset({ titles }, published(movie.titleId, 'job-a', '2026-06-10T08:00:00.500Z'), NOW);

    const result = await attachAsset(
      { titles },
      published(movie.titleId, 'job-b', '2026-06-10T08:00:00Z'),
      NOW,
    );

    expect(result.outcome).toBe('NEWER_ASSET_KEPT');
  });

  it('accepts the same event delivered twice', async () => {
    const movie = title();
    const titles = new InMemoryTitles([movie]);
    const event = published(movie.titleId, 'job-1', '2026-06-10T08:00:00Z');
    await attachAsset({ titles }, event, NOW);

    const again = await attachAsset({ titles }, event, NOW);

    expect(again.outcome).toBe('ATTACHED');
    expect(titles.items.get(movie.titleId)?.asset?.jobId).toBe('job-1');
  });

  it('drops an asset for an unknown title', async () => {
    const titles = new InMemoryTitles();

    const result = await attachAsset({ titles }, published('ghost', 'job-1', '2026-06-10T08:00:00Z'), NOW);

    expect(result.outcome).toBe('TITLE_NOT_FOUND');
    expect(titles.items.size).toBe(0);
  });

  it('uses the current time when the event has none', async () => {
    const movie = title();
    const titles = new InMemoryTitles([movie]);

    await attachAsset({ titles }, published(movie.titleId, 'job-1', undefined), NOW);

    expect(titles.items.get(movie.titleId)?.asset?.publishedAt).toBe(NOW.toISOString());
  });

  it('ignores events of another source or type', async () => {
    const movie = title();
    const titles = new InMemoryTitles([movie]);

    const result = await attachAsset(
      { titles },
      published(movie.titleId, 'job-1', '2026-06-10T08:00:00Z', { 'detail-type': 'Job Failed' }),
      NOW,
    );

    expect(result.outcome).toBe('IGNORED');
    expect(titles.items.get(movie.titleId)?.asset).toBeUndefined();
  });

  it('refuses an asset that does not match the asset schema', async () => {
    const movie = title();
    const event = published(movie.titleId, 'job-1', '2026-06-10T08:00:00Z');
    const broken = {
      ...event,
      detail: { ...event.detail, asset: { ...event.detail.asset, durationSec: 'long' } },
    };

    await expect(attachAsset({ titles: new InMemoryTitles([movie]) }, broken, NOW)).rejects.toBeInstanceOf(
      MalformedEventError,
    );
  });

  it('refuses an asset published for a different title than its own', async () => {
    const movie = title();
    const event = published(movie.titleId, 'job-1', '2026-06-10T08:00:00Z');
    const crossed = { ...event, detail: { ...event.detail, titleId: 'other' } };

    await expect(attachAsset({ titles: new InMemoryTitles([movie]) }, crossed, NOW)).rejects.toBeInstanceOf(
      MalformedEventError,
    );
  });
});
