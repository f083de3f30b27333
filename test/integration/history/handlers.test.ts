import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '#contracts/api/history.ts';
import type { Profile } from '#contracts/api/profiles.ts';
import { type CatalogInternalResponse, catalogInternalRequestSchema } from '#contracts/internal.ts';
import { startTestDynamo, type TestDynamo } from '../../support/dynamo.ts';
import { FakeCatalog } from '../../unit/history/fakes.ts';
import { type ApiHandler, type ApiRequest, call } from '../profiles/api-event.ts';
import { type FakeLambda, startFakeLambda } from './fake-lambda.ts';

let dynamo: TestDynamo;
let lambda: FakeLambda;
let createProfile: ApiHandler;
let putHeartbeat: ApiHandler;
let listHistory: ApiHandler;
let deleteHistory: ApiHandler;
let continueWatching: ApiHandler;
const catalog = new FakeCatalog();

/** The catalog service's internal function, answering from the fake catalog. */
async function catalogInternal(event: unknown): Promise<CatalogInternalResponse> {
  const request = catalogInternalRequestSchema.parse(event);
  switch (request.op) {
    case 'describeTitles':
      return {
        titles: await catalog.describeTitles(request.titleIds, request.country, request.maturity ?? 'adult'),
      };
    case 'nextEpisode': {
      const next = await catalog.nextEpisode(request.titleId, request.country, request.maturity ?? 'adult');
      return { titles: next ? [next] : [] };
    }
    case 'getTitleForAdmin':
    case 'snapshot':
      throw new Error(`${request.op} is not used by history`);
  }
}

beforeAll(async () => {
  dynamo = await startTestDynamo();
  await dynamo.createTable('profiles');
  await dynamo.createTable('history');
  // The real profiles service behind its internal function; the catalog is a fake one.
  const profilesInternal = (await import('../../../lambdas/profiles/handlers/internal.ts')).handler;
  lambda = await startFakeLambda({ profilesInternal, catalogInternal });
  createProfile = (await import('../../../lambdas/profiles/handlers/create-profile.ts')).handler;
  putHeartbeat = (await import('../../../lambdas/history/handlers/put-heartbeat.ts')).handler;
  listHistory = (await import('../../../lambdas/history/handlers/list-history.ts')).handler;
  deleteHistory = (await import('../../../lambdas/history/handlers/delete-history.ts')).handler;
  continueWatching = (await import('../../../lambdas/history/handlers/continue-watching.ts')).handler;

  catalog.movie('bunny', { name: 'Big Buck Bunny', maturity: 'kids' });
  catalog.movie('thriller', { maturity: 'adult' });
  catalog.movie('samba', { countries: ['BR'] });
  catalog.episode('show', 1, 1);
  catalog.episode('show', 1, 2);
});

afterAll(async () => {
  await lambda?.stop();
  await dynamo?.stop();
});

/** A new account with one profile of `maturity`. */
async function viewer(
  maturity: 'kids' | 'adult' = 'adult',
): Promise<{ accountId: string; profileId: string }> {
  const accountId = randomUUID();
  const created = await call(createProfile, {
    method: 'POST',
    path: '/v1/profiles',
    accountId,
    body: { name: 'Ana', maturity },
  });
  return { accountId, profileId: (created.body as Profile).profileId };
}

type Who = { accountId: string; profileId: string };

const heartbeat = (who: Who, titleId: string, body: unknown, extra: Partial<ApiRequest> = {}) =>
  call(putHeartbeat, {
    method: 'PUT',
    path: `/v1/profiles/${who.profileId}/history/${titleId}`,
    accountId: who.accountId,
    pathParameters: { profileId: who.profileId, titleId },
    body,
    ...extra,
  });
const history = (who: Who, query?: Record<string, string>) =>
  call(listHistory, {
    method: 'GET',
    path: `/v1/profiles/${who.profileId}/history`,
    accountId: who.accountId,
    pathParameters: { profileId: who.profileId },
    ...(query ? { query } : {}),
  });
const forget = (who: Who, titleId: string) =>
  call(deleteHistory, {
    method: 'DELETE',
    path: `/v1/profiles/${who.profileId}/history/${titleId}`,
    accountId: who.accountId,
    pathParameters: { profileId: who.profileId, titleId },
  });
const row = (who: Who, query?: Record<string, string>) =>
  call(continueWatching, {
    method: 'GET',
    path: `/v1/profiles/${who.profileId}/continue-watching`,
    accountId: who.accountId,
    pathParameters: { profileId: who.profileId },
    ...(query ? { query } : {}),
  });

describe('PUT /v1/profiles/{profileId}/history/{titleId}', () => {
  it('stores the position and answers the stored entry', async () => {
    const who = await viewer();

    const response = await heartbeat(who, 'bunny', { positionSec: 42.5, durationSec: 600, clientTs: 1000 });

    expect(response).toEqual({
      status: 200,
      body: {
        titleId: 'bunny',
        name: 'Big Buck Bunny',
        positionSec: 42.5,
        durationSec: 600,
        clientTs: 1000,
        finished: false,
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    });
  });

  it('answers 200 with the stored, newer position to a late, older heartbeat', async () => {
    const who = await viewer();
    await heartbeat(who, 'bunny', { positionSec: 300, durationSec: 600, clientTs: '2026-11-21T10:00:10Z' });

    const late = await heartbeat(who, 'bunny', {
      positionSec: 290,
      durationSec: 600,
      clientTs: '2026-11-21T10:00:00Z',
    });

    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ positionSec: 300, clientTs: Date.parse('2026-11-21T10:00:10Z') });
  });

  it('asks the profiles service once for a run of heartbeats', async () => {
    const who = await viewer();
    const before = lambda.invocations.get('profilesInternal') ?? 0;

    for (let i = 1; i <= 3; i++)
      await heartbeat(who, 'bunny', { positionSec: i * 10, durationSec: 600, clientTs: i });

    expect((lambda.invocations.get('profilesInternal') ?? 0) - before).toBe(1);
  });

  it("answers 404 PROFILE_NOT_FOUND for another account's profile", async () => {
    const owner = await viewer();
    const intruder = { accountId: randomUUID(), profileId: owner.profileId };

    const response = await heartbeat(intruder, 'bunny', { positionSec: 1, durationSec: 600, clientTs: 1 });

    expect(response).toMatchObject({ status: 404, error: 'PROFILE_NOT_FOUND' });
  });

  it('answers 404 TITLE_NOT_FOUND to a kids profile for an adult title', async () => {
    const kid = await viewer('kids');

    const response = await heartbeat(kid, 'thriller', { positionSec: 1, durationSec: 600, clientTs: 1 });

    expect(response).toMatchObject({ status: 404, error: 'TITLE_NOT_FOUND' });
  });

  it("checks the licence in the viewer's country, from X-Viewer-Country", async () => {
    const who = await viewer();
    const body = { positionSec: 1, durationSec: 600, clientTs: 1 };

    const fromUs = await heartbeat(who, 'samba', body);
    const fromBrazil = await heartbeat(who, 'samba', body, { headers: { 'X-Viewer-Country': 'BR' } });

    expect(fromUs).toMatchObject({ status: 404, error: 'TITLE_NOT_FOUND' });
    expect(fromBrazil.status).toBe(200);
  });

  it.each([
    ['malformed JSON', '{"positionSec": 1,', 'MALFORMED_JSON'],
    ['no body', undefined, 'INVALID_REQUEST'],
    [
      'an unknown field',
      { positionSec: 1, durationSec: 600, clientTs: 1, profileId: 'x' },
      'INVALID_REQUEST',
    ],
    ['a negative position', { positionSec: -1, durationSec: 600, clientTs: 1 }, 'INVALID_REQUEST'],
    [
      'a position beyond the duration',
      { positionSec: 700, durationSec: 600, clientTs: 1 },
      'INVALID_REQUEST',
    ],
    ['a zero duration', { positionSec: 0, durationSec: 0, clientTs: 1 }, 'INVALID_REQUEST'],
    ['a position as a string', { positionSec: '1', durationSec: 600, clientTs: 1 }, 'INVALID_REQUEST'],
    ['a negative client time', { positionSec: 1, durationSec: 600, clientTs: -5 }, 'INVALID_REQUEST'],
    [
      'a client time that is no instant',
      { positionSec: 1, durationSec: 600, clientTs: 'yesterday' },
      'INVALID_REQUEST',
    ],
    ['no client time', { positionSec: 1, durationSec: 600 }, 'INVALID_REQUEST'],
    [
      'a client time days ahead',
      { positionSec: 1, durationSec: 600, clientTs: Date.now() + 3 * 86_400_000 },
      'INVALID_CLIENT_TS',
    ],
  ])('answers 400 to %s', async (_, body, code) => {
    const who = await viewer();

    const response = await heartbeat(who, 'bunny', body);

    expect(response).toMatchObject({ status: 400, error: code });
  });

  it.each([
    ['profileId', { profileId: 'a b', titleId: 'bunny' }, 'INVALID_PROFILE_ID'],
    ['titleId', { profileId: 'p1', titleId: '../etc' }, 'INVALID_TITLE_ID'],
  ])('answers 400 to a malformed %s', async (_, pathParameters, code) => {
    const response = await call(putHeartbeat, {
      method: 'PUT',
      path: '/v1/profiles/x/history/y',
      pathParameters,
      body: { positionSec: 1, durationSec: 600, clientTs: 1 },
    });

    expect(response).toMatchObject({ status: 400, error: code });
  });
});

describe('GET /v1/profiles/{profileId}/history', () => {
  it('lists newest first, by pages', async () => {
    const who = await viewer();
    for (const titleId of ['bunny', 'show-s1e1', 'show-s1e2']) {
      await heartbeat(who, titleId, { positionSec: 5, durationSec: 600, clientTs: 1 });
      await new Promise((r) => setTimeout(r, 5)); // distinct server times
    }

    const first = await history(who, { limit: '2' });
    const cursor = (first.body as { nextCursor?: string }).nextCursor ?? '';
    const second = await history(who, { limit: '2', cursor });

    const titles = (page: { body: unknown }) =>
      (page.body as { items: HistoryEntry[] }).items.map((i) => i.titleId);
    expect(titles(first)).toEqual(['show-s1e2', 'show-s1e1']);
    expect(titles(second)).toEqual(['bunny']);
    expect((second.body as { nextCursor?: string }).nextCursor).toBeUndefined();
  });

  it.each([
    ['a cursor it did not issue', { cursor: 'bm90LWEtY3Vyc29y' }, 'INVALID_CURSOR'],
    ['a cursor with foreign characters', { cursor: 'a b' }, 'INVALID_QUERY'],
    ['a limit of 0', { limit: '0' }, 'INVALID_QUERY'],
    ['a limit that is no number', { limit: 'ten' }, 'INVALID_QUERY'],
    ['an unknown parameter', { sort: 'asc' }, 'INVALID_QUERY'],
  ])('answers 400 to %s', async (_, query, code) => {
    const who = await viewer();

    const response = await history(who, query);

    expect(response).toMatchObject({ status: 400, error: code });
  });

  it("answers 404 PROFILE_NOT_FOUND for another account's profile", async () => {
    const owner = await viewer();
    await heartbeat(owner, 'bunny', { positionSec: 5, durationSec: 600, clientTs: 1 });

    const response = await history({ accountId: randomUUID(), profileId: owner.profileId });

    expect(response).toMatchObject({ status: 404, error: 'PROFILE_NOT_FOUND' });
  });
});

describe('DELETE /v1/profiles/{profileId}/history/{titleId}', () => {
  it('forgets the title with 204, and again with 204', async () => {
    const who = await viewer();
    await heartbeat(who, 'bunny', { positionSec: 5, durationSec: 600, clientTs: 1 });

    const first = await forget(who, 'bunny');
    const second = await forget(who, 'bunny');

    expect([first.status, second.status]).toEqual([204, 204]);
    expect((await history(who)).body).toEqual({ items: [] });
  });

  it("answers 404 PROFILE_NOT_FOUND for another account's profile, and keeps its history", async () => {
    const owner = await viewer();
    await heartbeat(owner, 'bunny', { positionSec: 5, durationSec: 600, clientTs: 1 });

    const response = await forget({ accountId: randomUUID(), profileId: owner.profileId }, 'bunny');

    expect(response).toMatchObject({ status: 404, error: 'PROFILE_NOT_FOUND' });
    expect((await history(owner)).body).toMatchObject({ items: [{ titleId: 'bunny' }] });
  });

  it('answers 400 INVALID_TITLE_ID to a malformed title id', async () => {
    const who = await viewer();

    const response = await forget(who, 'no/such');

    expect(response).toMatchObject({ status: 400, error: 'INVALID_TITLE_ID' });
  });
});

describe('GET /v1/profiles/{profileId}/continue-watching', () => {
  it('resumes started titles and offers the episode after a finished one', async () => {
    const who = await viewer();
    await heartbeat(who, 'bunny', { positionSec: 120, durationSec: 600, clientTs: 1 });
    await new Promise((r) => setTimeout(r, 5));
    await heartbeat(who, 'show-s1e1', { positionSec: 600, durationSec: 600, clientTs: 1 });

    const response = await row(who);

    expect(response.status).toBe(200);
    expect((response.body as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ titleId: 'show-s1e2', positionSec: 0, reason: 'next-episode' }),
      expect.objectContaining({ titleId: 'bunny', positionSec: 120, reason: 'resume' }),
    ]);
  });

  it('answers 400 INVALID_QUERY to a query parameter', async () => {
    const who = await viewer();

    const response = await row(who, { limit: '5' });

    expect(response).toMatchObject({ status: 400, error: 'INVALID_QUERY' });
  });

  it("answers 404 PROFILE_NOT_FOUND for another account's profile", async () => {
    const owner = await viewer();

    const response = await row({ accountId: randomUUID(), profileId: owner.profileId });

    expect(response).toMatchObject({ status: 404, error: 'PROFILE_NOT_FOUND' });
  });
});
