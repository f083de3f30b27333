/** The catalog table adapter against DynamoDB Local: indexes, atomic episode slots, asset ordering. */
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchGetUnprocessedError,
  dynamoTitlesTable,
  episodeSlotId,
} from '../../../lambdas/catalog/adapters/titles-table.ts';
import type { TitlesRepository } from '../../../lambdas/catalog/domain/ports.ts';
import type { TitleRecord } from '../../../lambdas/catalog/domain/titles.ts';
import { documentClient } from '../../../lambdas/shared/aws.ts';
import { startTestDynamo, type TestDynamo } from '../../support/dynamo.ts';
import { asset, episode, title } from '../../unit/catalog/fakes.ts';

let dynamo: TestDynamo;
let tableName: string;
let titles: TitlesRepository;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  tableName = await dynamo.createTable('catalog');
  titles = dynamoTitlesTable(tableName);
});

afterAll(async () => {
  await dynamo?.stop();
});

async function collect(iterable: AsyncIterable<TitleRecord>): Promise<TitleRecord[]> {
  const out: TitleRecord[] = [];
  for await (const t of iterable) out.push(t);
  return out;
}

async function rawItem(titleId: string) {
  const { Item } = await documentClient().send(new GetCommand({ TableName: tableName, Key: { titleId } }));
  return Item;
}

/**
 * DynamoDB Local always has the capacity for a BatchGet; this client, in front of it, leaves
 * the last `left(call)` keys of each BatchGet unprocessed, as DynamoDB does when it runs short.
 */
function shortOfCapacity(left: (call: number) => number) {
  const db = documentClient();
  const askedKeys: number[] = [];
  const send = async (command: unknown) => {
    if (!(command instanceof BatchGetCommand)) return db.send(command as GetCommand);
    const keys = command.input.RequestItems?.[tableName]?.Keys ?? [];
    const served = keys.slice(0, Math.max(0, keys.length - left(askedKeys.length)));
    const unprocessed = keys.slice(served.length);
    askedKeys.push(keys.length);
    const out =
      served.length > 0
        ? await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: served } } }))
        : { Responses: { [tableName]: [] } };
    return { ...out, UnprocessedKeys: unprocessed.length > 0 ? { [tableName]: { Keys: unprocessed } } : {} };
  };
  return { client: { send } as unknown as DynamoDBDocumentClient, askedKeys };
}

describe('titles table', () => {
  it('stores and reads back a title, index attributes kept out of the record', async () => {
    const movie = title({ name: 'Arrival', releaseYear: 2016, artwork: { poster: 'p.jpg' } });

    await titles.create(movie);

    expect(await titles.get(movie.titleId)).toEqual(movie);
    expect(await rawItem(movie.titleId)).toMatchObject({
      listing: 'TITLE',
      sortKey: `arrival#${movie.titleId}`,
    });
  });

  it('answers undefined for an unknown title', async () => {
    expect(await titles.get('nobody-here')).toBeUndefined();
  });

  it('refuses to create a title over an existing id', async () => {
    const movie = title();
    await titles.create(movie);

    await expect(titles.create({ ...movie, name: 'Other' })).rejects.toThrow();
  });

  it('lists movies and series by name across DynamoDB pages, never episodes', async () => {
    // A table of its own: the listing spans the whole table.
    const fresh = dynamoTitlesTable(await dynamo.createTable('catalog'));
    const series = title({ kind: 'series', name: 'Dark' });
    await fresh.create(series);
    for (const name of ['echo', 'Alpha', 'charlie', 'Bravo']) await fresh.create(title({ name }));
    expect(await fresh.createEpisode(episode(series, 1, 1, { name: 'Aaa pilot' }))).toBe('CREATED');

    const all = await collect(fresh.listing({ pageSize: 2 }));
    const bravo = all[1]?.titleId ?? '';
    const rest = await collect(
      fresh.listing({ pageSize: 2, after: { titleId: bravo, sortKey: `bravo#${bravo}` } }),
    );

    expect(all.map((t) => t.name)).toEqual(['Alpha', 'Bravo', 'charlie', 'Dark', 'echo']);
    expect(rest.map((t) => t.name)).toEqual(['charlie', 'Dark', 'echo']);
  });

  it("reads a series' episodes in (season, episode) order, optionally after one", async () => {
    const series = title({ kind: 'series' });
    await titles.create(series);
    for (const [s, e] of [
      [2, 1],
      [1, 10],
      [1, 2],
      [10, 1],
    ] as const) {
      expect(await titles.createEpisode(episode(series, s, e))).toBe('CREATED');
    }

    const all = await collect(titles.episodes(series.titleId));
    const after = await collect(titles.episodes(series.titleId, { after: '001#0010' }));

    expect(all.map((t) => [t.seasonNumber, t.episodeNumber])).toEqual([
      [1, 2],
      [1, 10],
      [2, 1],
      [10, 1],
    ]);
    expect(after.map((t) => [t.seasonNumber, t.episodeNumber])).toEqual([
      [2, 1],
      [10, 1],
    ]);
  });

  it('refuses an episode of an unknown series or of a movie', async () => {
    const movie = title();
    await titles.create(movie);

    expect(await titles.createEpisode(episode(title({ kind: 'series' }), 1, 1))).toBe('SERIES_NOT_FOUND');
    const onMovie = episode(movie, 1, 1);
    expect(await titles.createEpisode(onMovie)).toBe('SERIES_NOT_FOUND');
    expect(await titles.get(onMovie.titleId)).toBeUndefined();
  });

  it('lets only one of several simultaneous episodes take the same slot', async () => {
    const series = title({ kind: 'series' });
    await titles.create(series);
    const rivals = Array.from({ length: 5 }, () => episode(series, 1, 1));

    const outcomes = await Promise.all(rivals.map((e) => titles.createEpisode(e)));

    expect(outcomes.filter((o) => o === 'CREATED')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'EPISODE_EXISTS')).toHaveLength(4);
    expect(await collect(titles.episodes(series.titleId))).toHaveLength(1);
    expect(await rawItem(episodeSlotId(series.titleId, '001#0001'))).toBeDefined();
  });

  it('never hands out the slot item as a title', async () => {
    const series = title({ kind: 'series' });
    await titles.create(series);
    await titles.createEpisode(episode(series, 4, 4));
    const slot = episodeSlotId(series.titleId, '004#0004');

    expect(await titles.get(slot)).toBeUndefined();
    expect(await titles.getMany([slot])).toEqual([]);
  });

  it('gets many titles at once, skipping unknown ids', async () => {
    const some = [title(), title(), title()];
    for (const t of some) await titles.create(t);

    const found = await titles.getMany([...some.map((t) => t.titleId), 'ghost', some[0]?.titleId ?? '']);

    expect(found.map((t) => t.titleId).sort()).toEqual(some.map((t) => t.titleId).sort());
  });

  it('gets a hundred titles in one call', async () => {
    const many = Array.from({ length: 100 }, () => title());
    await Promise.all(many.map((t) => titles.create(t)));

    const found = await titles.getMany(many.map((t) => t.titleId));

    expect(found).toHaveLength(100);
  });

  it('asks again for the keys a BatchGet left unprocessed, keeping the titles it found', async () => {
    const some = [title(), title(), title()];
    for (const t of some) await titles.create(t);
    const stingy = shortOfCapacity((call) => [2, 1][call] ?? 0);

    const found = await dynamoTitlesTable(tableName, stingy.client).getMany(some.map((t) => t.titleId));

    expect(found.map((t) => t.titleId).sort()).toEqual(some.map((t) => t.titleId).sort());
    expect(stingy.askedKeys).toEqual([3, 2, 1]);
  });

  it('gives up after 5 BatchGets that left keys unprocessed, with a BatchGetUnprocessedError', async () => {
    const some = [title(), title()];
    for (const t of some) await titles.create(t);
    const stingy = shortOfCapacity(() => 1);

    const getMany = dynamoTitlesTable(tableName, stingy.client).getMany(some.map((t) => t.titleId));

    await expect(getMany).rejects.toBeInstanceOf(BatchGetUnprocessedError);
    await expect(getMany).rejects.toMatchObject({
      name: 'BatchGetUnprocessedError',
      message: 'BatchGet left 1 keys unprocessed.',
      unprocessed: 1,
    });
    expect(stingy.askedKeys).toEqual([2, 1, 1, 1, 1]);
  });

  it('updates only the given fields and moves a renamed title in the listing', async () => {
    const movie = title({ name: 'Old', synopsis: 'Kept', genres: ['drama'] });
    await titles.create(movie);

    const updated = await titles.update(
      movie.titleId,
      'movie',
      { name: 'New', maturity: 'adult' },
      '2026-07-01T00:00:00.000Z',
    );

    expect(updated).toEqual({
      ...movie,
      name: 'New',
      maturity: 'adult',
      updatedAt: '2026-07-01T00:00:00.000Z',
    });
    expect(await rawItem(movie.titleId)).toMatchObject({ sortKey: `new#${movie.titleId}` });
  });

  it('renames an episode without putting it in the listing', async () => {
    const series = title({ kind: 'series' });
    await titles.create(series);
    const ep = episode(series, 1, 1);
    await titles.createEpisode(ep);

    await titles.update(ep.titleId, 'episode', { name: 'Renamed' }, '2026-07-01T00:00:00.000Z');

    const item = await rawItem(ep.titleId);
    expect(item).toMatchObject({ name: 'Renamed', episodeKey: '001#0001' });
    expect(item).not.toHaveProperty('sortKey');
    expect(item).not.toHaveProperty('listing');
  });

  it('answers undefined when updating an unknown title, and creates nothing', async () => {
    expect(
      await titles.update('ghost-title', 'movie', { name: 'x' }, '2026-07-01T00:00:00.000Z'),
    ).toBeUndefined();
    expect(await rawItem('ghost-title')).toBeUndefined();
  });

  it('keeps the asset when an admin edit lands after it', async () => {
    const movie = title();
    await titles.create(movie);
    await titles.attachAsset(movie.titleId, asset(movie.titleId));

    const updated = await titles.update(
      movie.titleId,
      'movie',
      { synopsis: 'New text' },
      '2026-07-01T00:00:00.000Z',
    );

    expect(updated?.asset).toEqual(asset(movie.titleId));
  });
});

describe('attaching assets', () => {
  it('attaches an asset to a title', async () => {
    const movie = title();
    await titles.create(movie);

    expect(await titles.attachAsset(movie.titleId, asset(movie.titleId))).toBe('ATTACHED');
    expect((await titles.get(movie.titleId))?.asset).toEqual(asset(movie.titleId));
  });

  it('drops an asset for an unknown title without creating an item', async () => {
    expect(await titles.attachAsset('ghost-asset', asset('ghost-asset'))).toBe('TITLE_NOT_FOUND');
    expect(await rawItem('ghost-asset')).toBeUndefined();
  });

  it('never replaces a newer asset with an older one', async () => {
    const movie = title();
    await titles.create(movie);
    const newer = asset(movie.titleId, { jobId: 'job-new', publishedAt: '2026-06-02T00:00:00.000Z' });
    const older = asset(movie.titleId, { jobId: 'job-old', publishedAt: '2026-06-01T00:00:00.000Z' });
    await titles.attachAsset(movie.titleId, newer);

    expect(await titles.attachAsset(movie.titleId, older)).toBe('NEWER_ASSET_KEPT');
    expect((await titles.get(movie.titleId))?.asset?.jobId).toBe('job-new');
  });

  it('replaces an older asset with a newer one and accepts a re-delivery', async () => {
    const movie = title();
    await titles.create(movie);
    const older = asset(movie.titleId, { jobId: 'job-old', publishedAt: '2026-06-01T00:00:00.000Z' });
    const newer = asset(movie.titleId, { jobId: 'job-new', publishedAt: '2026-06-02T00:00:00.000Z' });
    await titles.attachAsset(movie.titleId, older);

    expect(await titles.attachAsset(movie.titleId, newer)).toBe('ATTACHED');
    expect(await titles.attachAsset(movie.titleId, newer)).toBe('ATTACHED');
    expect((await titles.get(movie.titleId))?.asset?.jobId).toBe('job-new');
  });

  it('settles same-instant publications by job id, in either order', async () => {
    const first = title();
    const second = title();
    await titles.create(first);
    await titles.create(second);
    const a = (t: string) => asset(t, { jobId: 'job-a' });
    const b = (t: string) => asset(t, { jobId: 'job-b' });

    await titles.attachAsset(first.titleId, a(first.titleId));
    await titles.attachAsset(first.titleId, b(first.titleId));
    await titles.attachAsset(second.titleId, b(second.titleId));
    await titles.attachAsset(second.titleId, a(second.titleId));

    expect((await titles.get(first.titleId))?.asset?.jobId).toBe('job-b');
    expect((await titles.get(second.titleId))?.asset?.jobId).toBe('job-b');
  });
});
