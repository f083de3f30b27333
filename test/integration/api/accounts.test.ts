/**
 * Accounts over real HTTP on the embedded platform (local gateway, the real TOKEN authorizer,
 * DynamoDB Local): sign-up, sign-in and token refresh, profiles, subscriptions with the sandbox
 * cards and the renewal job, and the OpenAPI document.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PROFILES_PER_ACCOUNT } from '../../../lambdas/contracts/api/profiles.ts';
import {
  DEFAULT_GRACE_PERIOD_DAYS,
  RENEWAL_PERIOD_DAYS,
} from '../../../lambdas/contracts/api/subscriptions.ts';
import { ENV } from '../../../lambdas/contracts/env.ts';
import { ROUTES } from '../../../lambdas/contracts/routes.ts';
import { DEFAULT_ADMIN } from '../../../local/defaults.ts';
import {
  type Api,
  type ApiPlatform,
  DAY_MS,
  expectError,
  startApiPlatform,
  uniqueEmail,
} from '../../support/api.ts';

const CARDS = {
  ok: '4242 4242 4242 4242',
  declined: '4000 0000 0000 0002',
  failsAtRenewal: '4000 0000 0000 0341',
} as const;

let env: ApiPlatform;
let api: Api;

beforeAll(async () => {
  env = await startApiPlatform('api-accounts');
  api = env.api;
});

afterAll(async () => {
  await env?.stop();
});

describe('identity', () => {
  it('signs up with 201 and an accountId, and signs in with bearer tokens', async () => {
    const email = uniqueEmail();

    const signup = await api.signUp(email, 'long enough password', 'BR');
    const login = await api.login(email, 'long enough password');

    expect(signup.status).toBe(201);
    expect(signup.body).toEqual({ accountId: expect.any(String) });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      refreshToken: expect.any(String),
      expiresIn: expect.any(Number),
      tokenType: 'Bearer',
    });
    expect(login.body.expiresIn).toBeGreaterThan(0);
  });

  it('answers GET /v1/me with the account, its sign-up country and no admin rights', async () => {
    const email = uniqueEmail();
    const signup = await api.signUp(email, 'long enough password', 'BR');
    const { body: tokens } = await api.login(email, 'long enough password');

    const me = await api.authed(tokens.accessToken).get('/v1/me');

    expect(me.status).toBe(200);
    expect(me.body).toEqual({ accountId: signup.body.accountId, email, country: 'BR', isAdmin: false });
  });

  it('gives accounts that signed up without a country the default US', async () => {
    const user = await api.newUser();

    const me = await user.api.get('/v1/me');

    expect(me.body.country).toBe('US');
  });

  it('knows the administrator the platform created', async () => {
    const admin = await api.admin();

    const me = await admin.api.get('/v1/me');

    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: DEFAULT_ADMIN.email, isAdmin: true });
  });

  it('refuses a second account with the same email: 409 EMAIL_TAKEN, whatever its case', async () => {
    const email = uniqueEmail();
    await api.signUp(email);

    const again = await api.signUp(email.toUpperCase());

    expectError(again, 409, 'EMAIL_TAKEN');
  });

  it('refuses a wrong password and an unknown address alike: 401 INVALID_CREDENTIALS', async () => {
    const user = await api.newUser();

    const wrongPassword = await api.login(user.email, 'not the password');
    const unknown = await api.login(uniqueEmail(), user.password);

    expectError(wrongPassword, 401, 'INVALID_CREDENTIALS');
    expectError(unknown, 401, 'INVALID_CREDENTIALS');
  });

  it('refuses a password shorter than 8 characters at sign-up', async () => {
    const signup = await api.signUp(uniqueEmail(), 'short');

    expectError(signup, 400, 'INVALID_REQUEST');
  });

  it('exchanges a refresh token for new tokens once: the old one is then refused with 401 INVALID_REFRESH_TOKEN', async () => {
    const user = await api.newUser();

    const refreshed = await api.anonymous.post('/v1/auth/refresh', { refreshToken: user.refreshToken });
    const reused = await api.anonymous.post('/v1/auth/refresh', { refreshToken: user.refreshToken });

    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(user.refreshToken);
    expect(refreshed.body.accessToken).not.toBe(user.accessToken);
    expect((await api.authed(refreshed.body.accessToken).get('/v1/me')).body.accountId).toBe(user.accountId);
    expectError(reused, 401, 'INVALID_REFRESH_TOKEN');
    const next = await api.anonymous.post('/v1/auth/refresh', { refreshToken: refreshed.body.refreshToken });
    expect(next.status).toBe(200);
  });

  it('refuses a refresh token it never issued: 401 INVALID_REFRESH_TOKEN', async () => {
    const refreshed = await api.anonymous.post('/v1/auth/refresh', { refreshToken: 'never-issued-token' });

    expectError(refreshed, 401, 'INVALID_REFRESH_TOKEN');
  });

  it('publishes the keys that verify access tokens', async () => {
    const { body: tokens } = await api.login(DEFAULT_ADMIN.email, DEFAULT_ADMIN.password);
    const kid = JSON.parse(Buffer.from(tokens.accessToken.split('.')[0] ?? '', 'base64url').toString()).kid;

    const jwks = await api.anonymous.get('/v1/auth/jwks.json');

    expect(jwks.status).toBe(200);
    expect(jwks.body.keys).toEqual([expect.objectContaining({ kid, kty: 'RSA', alg: 'RS256', use: 'sig' })]);
    expect(jwks.body.keys[0]).not.toHaveProperty('d');
  });

  it('answers GET /v1/health without a token', async () => {
    const health = await api.anonymous.get('/v1/health');

    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok' });
  });
});

describe('profiles', () => {
  it('creates, lists, renames and deletes a profile', async () => {
    const { api: me } = await api.newUser();

    const created = await me.post('/v1/profiles', { name: 'Ana', maturity: 'teen', language: 'pt-BR' });
    const { profileId } = created.body;
    const listed = await me.get('/v1/profiles');
    const renamed = await me.patch(`/v1/profiles/${profileId}`, { name: 'Ana Clara', maturity: 'adult' });
    const afterRename = await me.get('/v1/profiles');
    const deleted = await me.delete(`/v1/profiles/${profileId}`);
    const afterDelete = await me.get('/v1/profiles');

    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      profileId: expect.any(String),
      name: 'Ana',
      maturity: 'teen',
      language: 'pt-BR',
      createdAt: expect.any(String),
    });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([created.body]);
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      profileId,
      name: 'Ana Clara',
      maturity: 'adult',
      language: 'pt-BR',
    });
    expect(afterRename.body.items).toEqual([renamed.body]);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeNull();
    expect(afterDelete.body.items).toEqual([]);
  });

  it(`refuses a sixth profile with 409 PROFILE_LIMIT_REACHED, and frees the slot when one is deleted`, async () => {
    const { api: me } = await api.newUser();
    const created = [];
    for (let i = 1; i <= MAX_PROFILES_PER_ACCOUNT; i++) {
      created.push(await me.post('/v1/profiles', { name: `Profile ${i}`, maturity: 'adult' }));
    }

    const sixth = await me.post('/v1/profiles', { name: 'One too many', maturity: 'kids' });
    await me.delete(`/v1/profiles/${created[0]?.body.profileId}`);
    const replacement = await me.post('/v1/profiles', { name: 'Replacement', maturity: 'kids' });

    expect(created.map((c) => c.status)).toEqual(Array(MAX_PROFILES_PER_ACCOUNT).fill(201));
    expectError(sixth, 409, 'PROFILE_LIMIT_REACHED');
    expect(replacement.status).toBe(201);
    expect((await me.get('/v1/profiles')).body.items).toHaveLength(MAX_PROFILES_PER_ACCOUNT);
  });

  it('holds the limit when six profiles are created at once', async () => {
    const { api: me } = await api.newUser();

    const results = await Promise.all(
      Array.from({ length: MAX_PROFILES_PER_ACCOUNT + 1 }, (_, i) =>
        me.post('/v1/profiles', { name: `Racer ${i}`, maturity: 'adult' }),
      ),
    );

    expect(results.filter((r) => r.status === 201)).toHaveLength(MAX_PROFILES_PER_ACCOUNT);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(1);
    expectError(refused[0] as (typeof results)[number], 409, 'PROFILE_LIMIT_REACHED');
    expect((await me.get('/v1/profiles')).body.items).toHaveLength(MAX_PROFILES_PER_ACCOUNT);
  });

  it('answers 404 PROFILE_NOT_FOUND for a profile that does not exist', async () => {
    const { api: me } = await api.newUser();

    const patched = await me.patch('/v1/profiles/no-such-profile', { name: 'Ghost' });
    const deleted = await me.delete('/v1/profiles/no-such-profile');

    expectError(patched, 404, 'PROFILE_NOT_FOUND');
    expectError(deleted, 404, 'PROFILE_NOT_FOUND');
  });
});

describe('subscription', () => {
  it('has none before the first PUT: 404 SUBSCRIPTION_NOT_FOUND', async () => {
    const { api: me } = await api.newUser();

    expectError(await me.get('/v1/subscription'), 404, 'SUBSCRIPTION_NOT_FOUND');
  });

  it('subscribes with 4242 4242 4242 4242: ACTIVE, renewing in 30 days, the card on file', async () => {
    const { api: me } = await api.newUser();
    const before = Date.now();

    const put = await me.put('/v1/subscription', { plan: 'standard', card: { number: CARDS.ok } });
    const get = await me.get('/v1/subscription');

    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      plan: 'standard',
      status: 'ACTIVE',
      maxStreams: 2,
      maxHeight: 1080,
      cardLast4: '4242',
    });
    const renewsAt = Date.parse(put.body.renewsAt);
    expect(renewsAt).toBeGreaterThanOrEqual(before + RENEWAL_PERIOD_DAYS * DAY_MS - 1000);
    expect(renewsAt).toBeLessThanOrEqual(Date.now() + RENEWAL_PERIOD_DAYS * DAY_MS + 1000);
    expect(put.body).not.toHaveProperty('graceUntil');
    expect(get.status).toBe(200);
    expect(get.body).toEqual(put.body);
  });

  it('changes the plan without a card once one is on file, keeping the renewal date', async () => {
    const { api: me } = await api.newUser();
    const first = await me.put('/v1/subscription', { plan: 'basic', card: { number: CARDS.ok } });

    const upgraded = await me.put('/v1/subscription', { plan: 'premium' });

    expect(upgraded.status).toBe(200);
    expect(upgraded.body).toMatchObject({
      plan: 'premium',
      status: 'ACTIVE',
      maxStreams: 4,
      maxHeight: 2160,
    });
    expect(upgraded.body.renewsAt).toBe(first.body.renewsAt);
  });

  it('refuses a declined card with 402 PAYMENT_DECLINED and stores nothing', async () => {
    const { api: me } = await api.newUser();

    const put = await me.put('/v1/subscription', { plan: 'basic', card: { number: CARDS.declined } });
    const get = await me.get('/v1/subscription');

    expectError(put, 402, 'PAYMENT_DECLINED');
    expectError(get, 404, 'SUBSCRIPTION_NOT_FOUND');
  });

  it('refuses a card number failing the Luhn check with 400 INVALID_CARD', async () => {
    const { api: me } = await api.newUser();

    const put = await me.put('/v1/subscription', { plan: 'basic', card: { number: '4242 4242 4242 4241' } });

    expectError(put, 400, 'INVALID_CARD');
    expectError(await me.get('/v1/subscription'), 404, 'SUBSCRIPTION_NOT_FOUND');
  });

  it('renews: a card that declines off-session goes PAST_DUE with a grace period, a good card stays ACTIVE for 30 more days', async () => {
    const failing = await api.newUser();
    const paying = await api.newUser();
    const failingStart = await failing.api.put('/v1/subscription', {
      plan: 'basic',
      card: { number: CARDS.failsAtRenewal },
    });
    const payingStart = await paying.api.put('/v1/subscription', {
      plan: 'premium',
      card: { number: CARDS.ok },
    });
    expect(failingStart.status, JSON.stringify(failingStart.body)).toBe(200);
    expect(failingStart.body.status).toBe('ACTIVE');
    expect(payingStart.status).toBe(200);
    const due = Math.max(Date.parse(failingStart.body.renewsAt), Date.parse(payingStart.body.renewsAt));
    const runAt = new Date(due + 60_000);

    const [summary] = await env.platform.runScheduled('renewSubscriptions', runAt);
    const failed = await failing.api.get('/v1/subscription');
    const renewed = await paying.api.get('/v1/subscription');

    expect(summary).toMatchObject({ charged: expect.any(Number), failed: expect.any(Number) });
    expect((summary as { charged: number }).charged).toBeGreaterThanOrEqual(1);
    expect((summary as { failed: number }).failed).toBeGreaterThanOrEqual(1);
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({
      plan: 'basic',
      status: 'PAST_DUE',
      renewsAt: failingStart.body.renewsAt,
    });
    const graceDays = Number(
      env.platform.assembly.functionById('renewSubscriptions').environment[ENV.GRACE_PERIOD_DAYS] ??
        DEFAULT_GRACE_PERIOD_DAYS,
    );
    expect(failed.body.graceUntil).toBe(new Date(runAt.getTime() + graceDays * DAY_MS).toISOString());
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({ plan: 'premium', status: 'ACTIVE' });
    expect(Date.parse(renewed.body.renewsAt)).toBe(
      Date.parse(payingStart.body.renewsAt) + RENEWAL_PERIOD_DAYS * DAY_MS,
    );
    expect(renewed.body).not.toHaveProperty('graceUntil');
  });
});

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document that lists every declared route', async () => {
    const response = await api.anonymous.get('/v1/openapi.json');

    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\.1\.\d+$/);
    const result = await new Validator().validate(response.body);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
    const missing = ROUTES.filter(
      (route) => response.body.paths?.[route.path]?.[route.method.toLowerCase()] === undefined,
    );
    expect(missing.map((r) => `${r.method} ${r.path}`)).toEqual([]);
    const documented = Object.values(response.body.paths as Record<string, object>).flatMap((ops) =>
      Object.keys(ops),
    );
    expect(documented).toHaveLength(ROUTES.length);
  });
});
