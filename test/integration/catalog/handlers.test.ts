/**
 * The catalog's handlers as Lambda runs them, on DynamoDB Local: API Gateway proxy events in,
 * status codes and bodies out. The profile (maturity) path needs the profiles service and is
 * covered by the domain tests with a fake; here every request browses without `profileId`.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context, EventBridgeEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../../lambdas/shared/pagination.ts';
import { startTestDynamo, type TestDynamo } from '../../support/dynamo.ts';
import { asset } from '../../unit/catalog/fakes.ts';
import { withContext } from '../profiles/api-event.ts';

type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

let dynamo: TestDynamo;
let createTitle: ApiHandler;
let updateTitle: ApiHandler;
let getTitle: ApiHandler;
let listTitles: ApiHandler;
let internal: (event: unknown) => Promise<{ titles: { titleId: string; name: string }[] }>;
let attachAsset: (event: EventBridgeEvent<string, unknown>) => Promise<{ outcome: string }>;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  await dynamo.createTable('catalog');
  // The handlers read the table name at module load: import them once the table exists.
  createTitle = (await import('../../../lambdas/catalog/handlers/create-title.ts')).handler as ApiHandler;
  updateTitle = (await import('../../../lambdas/catalog/handlers/update-title.ts')).handler as ApiHandler;
  getTitle = (await import('../../../lambdas/catalog/handlers/get-title.ts')).handler as ApiHandler;
  listTitles = (await import('../../../lambdas/catalog/handlers/list-titles.ts')).handler as ApiHandler;
  internal = withContext((await import('../../../lambdas/catalog/handlers/internal.ts')).handler);
  attachAsset = withContext((await import('../../../lambdas/catalog/handlers/attach-asset.ts')).handler);
});

afterAll(async () => {
  await dynamo?.stop();
});

const context = { awsRequestId: 'test-request' } as Context;
const LIVE = [{ countries: ['US', 'BR'], from: '2020-01-01T00:00:00Z' }];
const US_ONLY = [{ countries: ['US'], from: '2020-01-01T00:00:00Z' }];
const NOT_YET = [{ countries: ['US', 'BR'], from: '2999-01-01T00:00:00Z' }];

interface Request {
  path?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  country?: string;
  admin?: boolean;
}

function apiEvent(request: Request = {}): APIGatewayProxyEvent {
  return {
    httpMethod: 'GET',
    path: '/v1/test',
    resource: '/v1/test',
    headers: request.country ? { 'X-Viewer-Country': request.country } : {},
    multiValueHeaders: {},
    pathParameters: request.path ?? null,
    queryStringParameters: request.query ?? null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    body: request.rawBody ?? (request.body === undefined ? null : JSON.stringify(request.body)),
    isBase64Encoded: false,
    requestContext: {
      authorizer: {
        accountId: 'acct-1',
        email: 'viewer@example.com',
        country: 'US',
        isAdmin: request.admin ? 'true' : 'false',
      },
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

async function call(handler: ApiHandler, request: Request) {
  const response = await handler(apiEvent(request), context);
  return { status: response.statusCode, body: JSON.parse(response.body) };
}

async function create(body: Record<string, unknown>): Promise<string> {
  const { status, body: out } = await call(createTitle, {
    admin: true,
    body: { maturity: 'teen', availability: LIVE, ...body },
  });
  expect(status).toBe(201);
  return out.titleId;
}

/** A genre no other test uses: listing assertions see only this test's titles. */
const freshGenre = () => `g-${randomUUID().slice(0, 8)}`;

describe('POST /v1/admin/titles', () => {
  it('creates a movie and answers 201 with a UUID', async () => {
    const { status, body } = await call(createTitle, {
      admin: true,
      body: { name: 'Arrival', maturity: 'teen', availability: LIVE },
    });

    expect(status).toBe(201);
    expect(body.titleId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await call(getTitle, { path: { titleId: body.titleId } })).body).toMatchObject({
      name: 'Arrival',
      kind: 'movie',
      playable: false,
    });
  });

  it('refuses a caller who is not an admin with 403 FORBIDDEN', async () => {
    const { status, body } = await call(createTitle, { body: { name: 'Nope', maturity: 'teen' } });

    expect(status).toBe(403);
    expect(body.error.code).toBe('FORBIDDEN');
  });

  it('creates an episode of a series; a second one in the same slot is 409 EPISODE_EXISTS', async () => {
    const seriesId = await create({ kind: 'series', name: 'Dark' });
    const pilot = { kind: 'episode', name: 'Secrets', seriesId, seasonNumber: 1, episodeNumber: 1 };
    await create(pilot);

    const { status, body } = await call(createTitle, {
      admin: true,
      body: { maturity: 'teen', ...pilot, name: 'Again' },
    });

    expect(status).toBe(409);
    expect(body.error.code).toBe('EPISODE_EXISTS');
  });

  it('refuses an episode of a missing series or of a movie with 400 SERIES_NOT_FOUND', async () => {
    const movieId = await create({ name: 'A movie' });

    for (const seriesId of ['no-such-series', movieId]) {
      const { status, body } = await call(createTitle, {
        admin: true,
        body: { kind: 'episode', name: 'E', maturity: 'teen', seriesId, seasonNumber: 1, episodeNumber: 1 },
      });
      expect(status).toBe(400);
      expect(body.error.code).toBe('SERIES_NOT_FOUND');
    }
  });

  it.each([
    ['malformed JSON', { rawBody: '{"name": ' }, 'MALFORMED_JSON'],
    ['no body', {}, 'INVALID_REQUEST'],
    ['an unknown field', { body: { name: 'X', maturity: 'teen', price: 3 } }, 'INVALID_REQUEST'],
    ['a wrong type', { body: { name: 42, maturity: 'teen' } }, 'INVALID_REQUEST'],
    ['an unknown maturity', { body: { name: 'X', maturity: 'R' } }, 'INVALID_REQUEST'],
    [
      'a bad country',
      {
        body: {
          name: 'X',
          maturity: 'teen',
          availability: [{ countries: ['usa'], from: '2020-01-01T00:00:00Z' }],
        },
      },
      'INVALID_REQUEST',
    ],
    [
      'a window that ends before it starts',
      {
        body: {
          name: 'X',
          maturity: 'teen',
          availability: [{ countries: ['US'], from: '2026-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }],
        },
      },
      'INVALID_REQUEST',
    ],
    [
      'an episode without its series',
      { body: { name: 'X', maturity: 'teen', kind: 'episode' } },
      'INVALID_REQUEST',
    ],
    ['a movie with a season', { body: { name: 'X', maturity: 'teen', seasonNumber: 1 } }, 'INVALID_REQUEST'],
    ['an array body', { body: [] }, 'INVALID_REQUEST'],
  ])('answers 400 %s for %s', async (_what, request, code) => {
    const { status, body } = await call(createTitle, { admin: true, ...request });

    expect(status).toBe(400);
    expect(body.error.code).toBe(code);
  });
});

describe('PATCH /v1/admin/titles/{titleId}', () => {
  it('changes only the given fields and answers the admin view', async () => {
    const titleId = await create({ name: 'Old', synopsis: 'Kept', genres: ['drama'] });

    const { status, body } = await call(updateTitle, {
      admin: true,
      path: { titleId },
      body: { name: 'New' },
    });

    expect(status).toBe(200);
    expect(body).toMatchObject({
      titleId,
      name: 'New',
      synopsis: 'Kept',
      genres: ['drama'],
      availability: LIVE,
    });
    expect(body.createdAt).toEqual(expect.any(String));
    expect(body.updatedAt >= body.createdAt).toBe(true);
  });

  it('replaces all windows: a title taken out of a country is gone there', async () => {
    const titleId = await create({ name: 'Leaving Brazil' });

    await call(updateTitle, { admin: true, path: { titleId }, body: { availability: US_ONLY } });

    expect((await call(getTitle, { path: { titleId }, country: 'BR' })).status).toBe(404);
    expect((await call(getTitle, { path: { titleId }, country: 'US' })).status).toBe(200);
  });

  it('answers 404 TITLE_NOT_FOUND for an unknown title', async () => {
    const { status, body } = await call(updateTitle, {
      admin: true,
      path: { titleId: 'ghost' },
      body: { name: 'x' },
    });

    expect(status).toBe(404);
    expect(body.error.code).toBe('TITLE_NOT_FOUND');
  });

  it('refuses a caller who is not an admin with 403 FORBIDDEN', async () => {
    const titleId = await create({ name: 'Mine' });

    const { status, body } = await call(updateTitle, { path: { titleId }, body: { name: 'Yours' } });

    expect(status).toBe(403);
    expect(body.error.code).toBe('FORBIDDEN');
  });

  it.each([
    ['a title id with a slash', { path: { titleId: 'a/b' }, body: { name: 'x' } }, 'INVALID_TITLE_ID'],
    [
      'a 200-character title id',
      { path: { titleId: 'a'.repeat(200) }, body: { name: 'x' } },
      'INVALID_TITLE_ID',
    ],
    ['malformed JSON', { path: { titleId: 'some-title' }, rawBody: 'nope' }, 'MALFORMED_JSON'],
    ['an empty edit', { path: { titleId: 'some-title' }, body: {} }, 'INVALID_REQUEST'],
    ['an unknown field', { path: { titleId: 'some-title' }, body: { kind: 'series' } }, 'INVALID_REQUEST'],
    ['a wrong type', { path: { titleId: 'some-title' }, body: { genres: 'drama' } }, 'INVALID_REQUEST'],
    ['a null', { path: { titleId: 'some-title' }, body: { synopsis: null } }, 'INVALID_REQUEST'],
  ])('answers 400 for %s', async (_what, request, code) => {
    const { status, body } = await call(updateTitle, { admin: true, ...request });

    expect(status).toBe(400);
    expect(body.error.code).toBe(code);
  });
});

describe('GET /v1/titles/{titleId}', () => {
  it("answers 404 TITLE_NOT_FOUND outside the viewer's country (X-Viewer-Country)", async () => {
    const titleId = await create({ name: 'US only', availability: US_ONLY });

    const inUs = await call(getTitle, { path: { titleId }, country: 'US' });
    const inBrazil = await call(getTitle, { path: { titleId }, country: 'BR' });

    expect(inUs.status).toBe(200);
    expect(inBrazil.status).toBe(404);
    expect(inBrazil.body.error.code).toBe('TITLE_NOT_FOUND');
  });

  it('answers 404 before the window opens', async () => {
    const titleId = await create({ name: 'Coming soon', availability: NOT_YET });

    expect((await call(getTitle, { path: { titleId } })).status).toBe(404);
  });

  it('shows a series with its visible episodes by season, and an episode by its id', async () => {
    const seriesId = await create({ kind: 'series', name: 'Chernobyl' });
    const ep = (seasonNumber: number, episodeNumber: number, extra: Record<string, unknown> = {}) =>
      create({
        kind: 'episode',
        name: `${seasonNumber}x${episodeNumber}`,
        seriesId,
        seasonNumber,
        episodeNumber,
        ...extra,
      });
    const s1e2 = await ep(1, 2);
    await ep(2, 1);
    await ep(1, 1);
    await ep(1, 3, { availability: US_ONLY });

    const { status, body } = await call(getTitle, { path: { titleId: seriesId }, country: 'BR' });
    const episode = await call(getTitle, { path: { titleId: s1e2 }, country: 'BR' });

    expect(status).toBe(200);
    expect(
      body.seasons.map((s: { seasonNumber: number; episodes: { name: string }[] }) => [
        s.seasonNumber,
        s.episodes.map((e) => e.name),
      ]),
    ).toEqual([
      [1, ['1x1', '1x2']],
      [2, ['2x1']],
    ]);
    expect(episode.body).toMatchObject({ kind: 'episode', seriesId, seasonNumber: 1, episodeNumber: 2 });
  });

  it.each([
    ['a title id with a slash', { path: { titleId: 'a/b' } }, 'INVALID_TITLE_ID'],
    ['a 200-character title id', { path: { titleId: 'x'.repeat(200) } }, 'INVALID_TITLE_ID'],
    ['no title id', {}, 'INVALID_TITLE_ID'],
    [
      'an unknown query parameter',
      { path: { titleId: 'some-title' }, query: { debug: '1' } },
      'INVALID_QUERY',
    ],
    [
      'a malformed profile id',
      { path: { titleId: 'some-title' }, query: { profileId: '../x' } },
      'INVALID_QUERY',
    ],
  ])('answers 400 for %s', async (_what, request, code) => {
    const { status, body } = await call(getTitle, request);

    expect(status).toBe(400);
    expect(body.error.code).toBe(code);
  });
});

describe('GET /v1/titles', () => {
  it("lists movies and series live in the viewer's country by name, never episodes", async () => {
    const genre = freshGenre();
    const seriesId = await create({ kind: 'series', name: 'Babylon Berlin', genres: [genre] });
    await create({
      kind: 'episode',
      name: 'Aaa',
      genres: [genre],
      seriesId,
      seasonNumber: 1,
      episodeNumber: 1,
    });
    await create({ name: 'casablanca', genres: [genre] });
    await create({ name: 'Alien', genres: [genre] });
    await create({ name: 'Amélie US', genres: [genre], availability: US_ONLY });
    await create({ name: 'Later', genres: [genre], availability: NOT_YET });

    const inBrazil = await call(listTitles, { query: { genre }, country: 'BR' });
    const inUs = await call(listTitles, { query: { genre: genre.toUpperCase() }, country: 'US' });

    expect(inBrazil.status).toBe(200);
    expect(inBrazil.body.items.map((t: { name: string }) => t.name)).toEqual([
      'Alien',
      'Babylon Berlin',
      'casablanca',
    ]);
    expect(inBrazil.body.nextCursor).toBeUndefined();
    expect(inUs.body.items.map((t: { name: string }) => t.name)).toEqual([
      'Alien',
      'Amélie US',
      'Babylon Berlin',
      'casablanca',
    ]);
  });

  it('pages with the cursor it hands out until the end', async () => {
    const genre = freshGenre();
    for (const name of ['a', 'b', 'c', 'd', 'e']) await create({ name: `${name}-${genre}`, genres: [genre] });

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const { status, body } = await call(listTitles, {
        query: { genre, limit: '2', ...(cursor ? { cursor } : {}) },
      });
      expect(status).toBe(200);
      pages.push(body.items.map((t: { name: string }) => t.name.slice(0, 1)));
      cursor = body.nextCursor;
    } while (cursor);

    expect(pages).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('shows the asset a published event attached: playable, with its duration', async () => {
    const genre = freshGenre();
    const titleId = await create({ name: 'Published', genres: [genre] });
    const { jobId: _job, publishedAt: _at, ...pipelineAsset } = asset(titleId, { durationSec: 734 });

    const result = await attachAsset({
      id: 'event-1',
      version: '0',
      account: '000000000000',
      region: 'us-east-1',
      resources: [],
      source: 'showrunner.media',
      'detail-type': 'Asset Published',
      time: '2026-06-10T08:00:00Z',
      detail: { jobId: 'job-1', titleId, asset: pipelineAsset },
    });
    const { body } = await call(listTitles, { query: { genre } });

    expect(result.outcome).toBe('ATTACHED');
    expect(body.items).toEqual([expect.objectContaining({ titleId, playable: true, durationSec: 734 })]);
  });

  it.each([
    ['a cursor that is not base64 JSON', { cursor: 'bm90LWpzb24' }, 'INVALID_CURSOR'],
    [
      'a forged cursor',
      { cursor: encodeCursor({ titleId: 'a', listing: 'HACK', sortKey: 'a#a' }) ?? '' },
      'INVALID_CURSOR',
    ],
    ['a cursor with bad characters', { cursor: 'a/b+c=' }, 'INVALID_QUERY'],
    ['a zero limit', { limit: '0' }, 'INVALID_QUERY'],
    ['a limit over 100', { limit: '101' }, 'INVALID_QUERY'],
    ['a limit that is not a number', { limit: 'ten' }, 'INVALID_QUERY'],
    ['an unknown query parameter', { sort: 'name' }, 'INVALID_QUERY'],
    ['an empty genre', { genre: ' ' }, 'INVALID_QUERY'],
  ])('answers 400 for %s', async (_what, query, code) => {
    const { status, body } = await call(listTitles, { query });

    expect(status).toBe(400);
    expect(body.error.code).toBe(code);
  });
});

describe('catalogInternal', () => {
  it('describes visible titles and finds the next episode across seasons', async () => {
    const seriesId = await create({ kind: 'series', name: 'Internal' });
    const last = await create({
      kind: 'episode',
      name: 'S1 finale',
      seriesId,
      seasonNumber: 1,
      episodeNumber: 9,
    });
    const next = await create({
      kind: 'episode',
      name: 'S2 opener',
      seriesId,
      seasonNumber: 2,
      episodeNumber: 1,
    });
    const hidden = await create({ name: 'Hidden', availability: US_ONLY });

    const described = await internal({ op: 'describeTitles', titleIds: [last, hidden], country: 'BR' });
    const following = await internal({ op: 'nextEpisode', titleId: last, country: 'BR' });
    const forAdmin = await internal({ op: 'getTitleForAdmin', titleId: hidden });

    expect(described.titles.map((t) => t.titleId)).toEqual([last]);
    expect(following.titles.map((t) => t.titleId)).toEqual([next]);
    expect(forAdmin.titles.map((t) => t.name)).toEqual(['Hidden']);
  });

  it('refuses a request that is not in its contract', async () => {
    await expect(internal({ op: 'dropTable' })).rejects.toThrow();
    await expect(internal({ op: 'describeTitles', titleIds: ['a/b'], country: 'US' })).rejects.toThrow();
  });
});
