import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '#contracts/api/profiles.ts';
import { startTestDynamo, type TestDynamo } from '../../support/dynamo.ts';
import { type ApiHandler, call, withContext } from './api-event.ts';

let dynamo: TestDynamo;
let listProfiles: ApiHandler;
let createProfile: ApiHandler;
let updateProfile: ApiHandler;
let deleteProfile: ApiHandler;
let internal: (event: unknown) => Promise<unknown>;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  await dynamo.createTable('profiles');
  // The handlers read their table's name at module load: import them once the env is set.
  listProfiles = (await import('../../../lambdas/profiles/handlers/list-profiles.ts')).handler;
  createProfile = (await import('../../../lambdas/profiles/handlers/create-profile.ts')).handler;
  updateProfile = (await import('../../../lambdas/profiles/handlers/update-profile.ts')).handler;
  deleteProfile = (await import('../../../lambdas/profiles/handlers/delete-profile.ts')).handler;
  internal = withContext((await import('../../../lambdas/profiles/handlers/internal.ts')).handler);
});

afterAll(async () => {
  await dynamo?.stop();
});

const create = (accountId: string, body: unknown) =>
  call(createProfile, { method: 'POST', path: '/v1/profiles', accountId, body });
const patch = (accountId: string, profileId: string, body: unknown) =>
  call(updateProfile, {
    method: 'PATCH',
    path: `/v1/profiles/${profileId}`,
    accountId,
    pathParameters: { profileId },
    body,
  });
const remove = (accountId: string, profileId: string) =>
  call(deleteProfile, {
    method: 'DELETE',
    path: `/v1/profiles/${profileId}`,
    accountId,
    pathParameters: { profileId },
  });
const list = (accountId: string, query?: Record<string, string>) =>
  call(listProfiles, { method: 'GET', path: '/v1/profiles', accountId, ...(query ? { query } : {}) });

async function newProfile(
  accountId: string,
  body: unknown = { name: 'Ana', maturity: 'adult' },
): Promise<Profile> {
  const created = await create(accountId, body);
  expect(created.status).toBe(201);
  return created.body as Profile;
}

describe('POST /v1/profiles', () => {
  it('creates a profile: 201 with its id, in English by default', async () => {
    const accountId = randomUUID();

    const response = await create(accountId, { name: 'Kids', maturity: 'kids' });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      profileId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Kids',
      maturity: 'kids',
      language: 'en',
      createdAt: expect.any(String),
    });
  });

  it('refuses the sixth profile with 409 PROFILE_LIMIT_REACHED', async () => {
    const accountId = randomUUID();
    for (let i = 0; i < 5; i++) await newProfile(accountId, { name: `P${i}`, maturity: 'adult' });

    const sixth = await create(accountId, { name: 'Six', maturity: 'adult' });

    expect(sixth).toMatchObject({ status: 409, error: 'PROFILE_LIMIT_REACHED' });
  });

  it.each([
    ['malformed JSON', '{"name": "Ana",', 'MALFORMED_JSON'],
    ['no body', undefined, 'INVALID_REQUEST'],
    ['an unknown field', { name: 'Ana', maturity: 'adult', isAdmin: true }, 'INVALID_REQUEST'],
    ['an unknown maturity', { name: 'Ana', maturity: 'nc-17' }, 'INVALID_REQUEST'],
    ['a blank name', { name: '   ', maturity: 'adult' }, 'INVALID_REQUEST'],
    ['a name of the wrong type', { name: 42, maturity: 'adult' }, 'INVALID_REQUEST'],
    ['a bad language tag', { name: 'Ana', maturity: 'adult', language: 'english' }, 'INVALID_REQUEST'],
    ['an array', [{ name: 'Ana', maturity: 'adult' }], 'INVALID_REQUEST'],
  ])('answers 400 to %s', async (_, body, code) => {
    const response = await create(randomUUID(), body);

    expect(response).toMatchObject({ status: 400, error: code });
  });

  it('answers 401 UNAUTHORIZED without an authorizer context', async () => {
    const response = await call(createProfile, {
      method: 'POST',
      path: '/v1/profiles',
      accountId: null,
      body: { name: 'Ana', maturity: 'adult' },
    });

    expect(response).toMatchObject({ status: 401, error: 'UNAUTHORIZED' });
  });
});

describe('GET /v1/profiles', () => {
  it("lists the account's profiles, and only those", async () => {
    const accountId = randomUUID();
    const ana = await newProfile(accountId, { name: 'Ana', maturity: 'adult' });
    const kids = await newProfile(accountId, { name: 'Kids', maturity: 'kids', language: 'pt-BR' });
    await newProfile(randomUUID(), { name: 'Someone else', maturity: 'adult' });

    const response = await list(accountId);

    expect(response.status).toBe(200);
    expect((response.body as { items: Profile[] }).items).toEqual(
      [ana, kids].sort(
        (a, b) => a.createdAt.localeCompare(b.createdAt) || a.profileId.localeCompare(b.profileId),
      ),
    );
  });

  it('answers an empty list to a new account', async () => {
    const response = await list(randomUUID());

    expect(response).toEqual({ status: 200, body: { items: [] } });
  });

  it('answers 400 INVALID_QUERY to an unknown query parameter', async () => {
    const response = await list(randomUUID(), { limit: '5' });

    expect(response).toMatchObject({ status: 400, error: 'INVALID_QUERY' });
  });
});

describe('PATCH /v1/profiles/{profileId}', () => {
  it('changes the given fields and answers the profile', async () => {
    const accountId = randomUUID();
    const ana = await newProfile(accountId);

    const response = await patch(accountId, ana.profileId, { name: 'Bia', language: 'es' });

    expect(response).toEqual({ status: 200, body: { ...ana, name: 'Bia', language: 'es' } });
  });

  it("answers 404 PROFILE_NOT_FOUND for another account's profile, and leaves it alone", async () => {
    const owner = randomUUID();
    const theirs = await newProfile(owner);

    const response = await patch(randomUUID(), theirs.profileId, { name: 'Hijacked' });

    expect(response).toMatchObject({ status: 404, error: 'PROFILE_NOT_FOUND' });
    expect((await list(owner)).body).toEqual({ items: [theirs] });
  });

  it('answers 404 PROFILE_NOT_FOUND for a profile that does not exist', async () => {
    const response = await patch(randomUUID(), randomUUID(), { name: 'Ghost' });

    expect(response).toMatchObject({ status: 404, error: 'PROFILE_NOT_FOUND' });
  });

  it.each([
    ['an empty change', {}, 'INVALID_REQUEST'],
    ['an unknown field', { createdAt: '2020-01-01T00:00:00Z' }, 'INVALID_REQUEST'],
    ['a maturity of the wrong type', { maturity: 3 }, 'INVALID_REQUEST'],
    ['malformed JSON', 'nope', 'MALFORMED_JSON'],
  ])('answers 400 to %s', async (_, body, code) => {
    const accountId = randomUUID();
    const ana = await newProfile(accountId);

    const response = await patch(accountId, ana.profileId, body);

    expect(response).toMatchObject({ status: 400, error: code });
  });

  it.each(['#meta', 'a b', 'x'.repeat(65), ''])(
    'answers 400 INVALID_PROFILE_ID to the path id %j',
    async (profileId) => {
      const response = await patch(randomUUID(), profileId, { name: 'Ana' });

      expect(response).toMatchObject({ status: 400, error: 'INVALID_PROFILE_ID' });
    },
  );
});

describe('DELETE /v1/profiles/{profileId}', () => {
  it('removes the profile with 204 and frees its slot', async () => {
    const accountId = randomUUID();
    const profiles = [];
    for (let i = 0; i < 5; i++)
      profiles.push(await newProfile(accountId, { name: `P${i}`, maturity: 'adult' }));

    const response = await remove(accountId, profiles[0]?.profileId ?? '');
    const sixth = await create(accountId, { name: 'New', maturity: 'teen' });

    expect(response).toEqual({ status: 204, body: undefined });
    expect(sixth.status).toBe(201);
    expect(((await list(accountId)).body as { items: unknown[] }).items).toHaveLength(5);
  });

  it('answers 404 PROFILE_NOT_FOUND the second time', async () => {
    const accountId = randomUUID();
    const ana = await newProfile(accountId);
    await remove(accountId, ana.profileId);

    const again = await remove(accountId, ana.profileId);

    expect(again).toMatchObject({ status: 404, error: 'PROFILE_NOT_FOUND' });
  });

  it("answers 404 PROFILE_NOT_FOUND for another account's profile, and keeps it", async () => {
    const owner = randomUUID();
    const theirs = await newProfile(owner);

    const response = await remove(randomUUID(), theirs.profileId);

    expect(response).toMatchObject({ status: 404, error: 'PROFILE_NOT_FOUND' });
    expect((await list(owner)).body).toEqual({ items: [theirs] });
  });

  it('answers 400 INVALID_PROFILE_ID to a malformed id, the counter item included', async () => {
    const response = await remove(randomUUID(), '#meta');

    expect(response).toMatchObject({ status: 400, error: 'INVALID_PROFILE_ID' });
  });
});

describe('profilesInternal', () => {
  it('describes a profile of the account', async () => {
    const accountId = randomUUID();
    const kids = await newProfile(accountId, { name: 'Kids', maturity: 'kids' });

    const answer = await internal({ op: 'getProfile', accountId, profileId: kids.profileId });

    expect(answer).toEqual({ profile: { profileId: kids.profileId, maturity: 'kids', name: 'Kids' } });
  });

  it("answers null for another account's profile and for a missing one", async () => {
    const theirs = await newProfile(randomUUID());

    const foreign = await internal({
      op: 'getProfile',
      accountId: randomUUID(),
      profileId: theirs.profileId,
    });
    const missing = await internal({ op: 'getProfile', accountId: randomUUID(), profileId: randomUUID() });

    expect(foreign).toEqual({ profile: null });
    expect(missing).toEqual({ profile: null });
  });

  it('refuses a request outside its contract', async () => {
    await expect(internal({ op: 'dropTable' })).rejects.toThrow();
    await expect(internal({ op: 'getProfile', accountId: 'a', profileId: '#meta' })).rejects.toThrow();
  });
});
