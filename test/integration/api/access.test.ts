/**
 * Who may call what, and what bad input gets, over real HTTP on the embedded platform. Every
 * case iterates the route declaration (`ROUTES`), so a new route is covered the day it is
 * declared: give it a sample body below if it takes one.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV, tableEnv } from '../../../lambdas/contracts/env.ts';
import {
  GATEWAY_ERRORS,
  MAX_BODY_BYTES,
  ROUTES,
  type RouteDeclaration,
} from '../../../lambdas/contracts/routes.ts';
import * as z from '../../../lambdas/contracts/zod.ts';
import {
  localIdentityProvider,
  TOKEN_AUDIENCE,
} from '../../../lambdas/identity/adapters/local-identity-provider.ts';
import { LOCAL_REGION } from '../../../local/assembly.ts';
import { LOCAL_CREDENTIALS } from '../../../local/emulators/dynamodb.ts';
import {
  type ApiPlatform,
  type Caller,
  DAY_MS,
  expectError,
  fillPath,
  fromNow,
  raw,
  startApiPlatform,
  type TestUser,
  uniqueEmail,
} from '../../support/api.ts';

const routes = ROUTES as readonly RouteDeclaration[];
const name = (route: RouteDeclaration) => `${route.method} ${route.path}`;
const PASSWORD = 'correct horse battery';
/** An id of the right shape (job, session …) that nothing has: fills path parameters not listed in `pathFor`. */
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

let env: ApiPlatform;
let admin: TestUser;
let member: TestUser;
/** Another account: its profile must not exist for `member`. */
let victim: TestUser;
let memberProfileId: string;
let victimProfileId: string;
let titleId: string;

/**
 * A valid body per route that takes one. The malformed-input cases break these one field at a
 * time; the authorization cases send them so that only the caller decides the answer.
 */
const SAMPLE_BODIES: Record<string, () => Record<string, unknown>> = {
  'POST /v1/auth/signup': () => ({ email: uniqueEmail(), password: PASSWORD, country: 'BR' }),
  'POST /v1/auth/login': () => ({ email: member.email, password: PASSWORD }),
  'POST /v1/auth/refresh': () => ({ refreshToken: 'a-refresh-token-never-issued' }),
  'POST /v1/profiles': () => ({ name: 'Sample', maturity: 'teen', language: 'en' }),
  'PATCH /v1/profiles/{profileId}': () => ({ name: 'Renamed', maturity: 'adult' }),
  'PUT /v1/subscription': () => ({
    plan: 'basic',
    card: { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2099 },
  }),
  'POST /v1/admin/titles': () => ({
    name: 'Sample title',
    synopsis: 'Made by the access tests.',
    genres: ['drama'],
    maturity: 'teen',
    releaseYear: 2024,
    availability: [{ countries: ['US'], from: fromNow(-DAY_MS) }],
  }),
  'PATCH /v1/admin/titles/{titleId}': () => ({ synopsis: 'Edited by the access tests.', releaseYear: 2025 }),
  'POST /v1/admin/titles/{titleId}/uploads': () => ({
    fileName: 'clip.mp4',
    sizeBytes: 1024,
    contentType: 'video/mp4',
  }),
  'POST /v1/admin/uploads/{jobId}/complete': () => ({
    uploadId: 'upload-1',
    parts: [{ partNumber: 1, etag: '"abc"' }],
  }),
  'POST /v1/playback': () => ({
    profileId: memberProfileId,
    titleId,
    device: { maxHeight: 1080, codecs: ['avc1', 'mp4a.40.2'] },
  }),
  'PUT /v1/profiles/{profileId}/history/{titleId}': () => ({
    positionSec: 30,
    durationSec: 600,
    clientTs: Date.now(),
  }),
  'POST /v1/admin/edge/preposition': () => ({ titles: 5, openingSec: 6, days: 1 }),
};

/** The query parameters a route requires, where it requires some (the profile is added per test). */
const SAMPLE_QUERIES: Record<string, Record<string, string>> = {
  'GET /v1/search': { q: 'lighthouse' },
};

function sampleBody(route: RouteDeclaration): Record<string, unknown> | undefined {
  if (!route.body) return undefined;
  const make = SAMPLE_BODIES[name(route)];
  if (!make) throw new Error(`No sample body for ${name(route)}: add one to SAMPLE_BODIES.`);
  return make();
}

/** The caller a route is meant for: anonymous, a member, or the administrator. */
function rightfulCaller(route: RouteDeclaration): Caller {
  if (route.auth === 'admin') return admin.api;
  if (route.auth === 'user') return member.api;
  return env.api.anonymous;
}

/** The route's path with the member's own profile, a real title, and `NO_SUCH_ID` for any other id. */
function pathFor(route: RouteDeclaration, overrides: Record<string, string> = {}): string {
  const values: Record<string, string> = {};
  for (const [, param = ''] of route.path.matchAll(/\{(\w+)\}/g)) values[param] = NO_SUCH_ID;
  return fillPath(route.path, { ...values, profileId: memberProfileId, titleId, ...overrides });
}

/**
 * Whether an object schema has `field`. Our schemas are `zod/mini` objects, which classic zod's
 * `instanceof z.ZodObject` does not recognize: core's `$ZodObject` matches any zod object.
 */
const hasField = (schema: z.core.$ZodType | undefined, field: string) =>
  schema instanceof z.core.$ZodObject && field in schema._zod.def.shape;

const protectedRoutes = routes.filter((r) => r.auth !== 'none');
const adminRoutes = routes.filter((r) => r.auth === 'admin');
const withBody = routes.filter((r) => r.body !== undefined);
const withParams = routes.filter((r) => r.path.includes('{'));
const withQuery = routes.filter((r) => r.query !== undefined);
const withCursor = withQuery.filter((r) => hasField(r.query, 'cursor'));
/** Routes that name a profile: in the path, the body or the query. */
const ofAProfile = routes.filter(
  (r) => r.path.includes('{profileId}') || hasField(r.body, 'profileId') || hasField(r.query, 'profileId'),
);

beforeAll(async () => {
  env = await startApiPlatform('api-access');
  [admin, member, victim] = await Promise.all([
    env.api.admin(),
    env.api.newUser({ password: PASSWORD }),
    env.api.newUser({ password: PASSWORD }),
  ]);
  const [mine, theirs, title] = await Promise.all([
    member.api.post('/v1/profiles', { name: 'Member', maturity: 'adult' }),
    victim.api.post('/v1/profiles', { name: 'Victim', maturity: 'adult' }),
    admin.api.post('/v1/admin/titles', {
      name: 'Access fixture',
      maturity: 'teen',
      availability: [{ countries: ['US'], from: fromNow(-DAY_MS) }],
    }),
  ]);
  expect([mine.status, theirs.status, title.status]).toEqual([201, 201, 201]);
  memberProfileId = mine.body.profileId;
  victimProfileId = theirs.body.profileId;
  titleId = title.body.titleId;
});

afterAll(async () => {
  await env?.stop();
});

describe('the route declaration', () => {
  it('has a sample body here for every route that takes one', () => {
    const missing = withBody.filter((r) => SAMPLE_BODIES[name(r)] === undefined).map(name);

    expect(missing).toEqual([]);
  });
});

describe('authorization', () => {
  it.each(protectedRoutes.map((r) => [name(r), r] as const))(
    'refuses an anonymous %s with 401 UNAUTHORIZED',
    async (_, route) => {
      const response = await env.api.anonymous.send(route.method, pathFor(route), sampleBody(route));

      expectError(response, 401, 'UNAUTHORIZED');
    },
  );

  it.each(routes.filter((r) => r.auth === 'none').map((r) => [name(r), r] as const))(
    'lets an anonymous caller reach the public %s',
    async (_, route) => {
      const response = await env.api.anonymous.send(route.method, pathFor(route), sampleBody(route));

      // The function ran: its own refusals (401 INVALID_REFRESH_TOKEN, say) are not the gateway's.
      expect(response.status, JSON.stringify(response.body)).toBeLessThan(500);
      for (const refusal of [GATEWAY_ERRORS.UNAUTHORIZED, GATEWAY_ERRORS.ACCESS_DENIED]) {
        expect(response.body).not.toEqual({ error: { code: refusal.code, message: refusal.message } });
      }
    },
  );

  it.each(adminRoutes.map((r) => [name(r), r] as const))(
    'refuses a member on %s with 403 FORBIDDEN',
    async (_, route) => {
      const response = await member.api.send(route.method, pathFor(route), sampleBody(route));

      expectError(response, 403, 'FORBIDDEN');
    },
  );

  it.each(adminRoutes.map((r) => [name(r), r] as const))(
    'lets the administrator through on %s',
    async (_, route) => {
      const response = await admin.api.send(route.method, pathFor(route), sampleBody(route));

      expect(response.status, JSON.stringify(response.body)).not.toBe(401);
      expect(response.status, JSON.stringify(response.body)).not.toBe(403);
      expect(response.status, JSON.stringify(response.body)).toBeLessThan(500);
    },
  );

  it.each(ofAProfile.map((r) => [name(r), r] as const))(
    "answers %s on another account's profile with 404 PROFILE_NOT_FOUND",
    async (_, route) => {
      const body = sampleBody(route);
      const params = new URLSearchParams(SAMPLE_QUERIES[name(route)]);
      if (hasField(route.query, 'profileId')) params.set('profileId', victimProfileId);
      const query = params.size > 0 ? `?${params}` : '';

      const response = await member.api.send(
        route.method,
        `${pathFor(route, { profileId: victimProfileId })}${query}`,
        body && hasField(route.body, 'profileId') ? { ...body, profileId: victimProfileId } : body,
      );

      expectError(response, 404, 'PROFILE_NOT_FOUND');
    },
  );

  it("leaves the other account's profile as it was", async () => {
    const profiles = await victim.api.get('/v1/profiles');

    expect(profiles.body.items).toEqual([
      expect.objectContaining({ profileId: victimProfileId, name: 'Victim', maturity: 'adult' }),
    ]);
  });

  describe('refuses tokens that are not valid access tokens of this platform with 401 UNAUTHORIZED', () => {
    const badTokens: Record<string, () => Promise<string>> = {
      'a token whose signature was tampered with': async () => tamper(member.accessToken),
      'a token whose claims were changed (made admin)': async () => promoteToAdmin(member.accessToken),
      'an expired token': () => expiredToken(member.email, PASSWORD),
      'a token signed by another key': () => foreignToken(member.accountId),
      'an unsigned token (alg none)': async () => unsignedToken(member.accountId),
      'a refresh token': async () => member.refreshToken,
      garbage: async () => 'garbage.garbage.garbage',
      'a token without the Bearer scheme': async () => `Token ${member.accessToken}`,
    };
    const tokens = new Map<string, string>();
    beforeAll(async () => {
      for (const [label, make] of Object.entries(badTokens)) tokens.set(label, await make());
    });

    it.each(Object.keys(badTokens))('%s, on every protected route', async (label) => {
      const token = tokens.get(label) ?? '';
      const caller = env.api.authed(token);

      const responses = await Promise.all(
        protectedRoutes.map(
          async (route) =>
            [name(route), await caller.send(route.method, pathFor(route), sampleBody(route))] as const,
        ),
      );

      for (const [route, response] of responses) {
        expect(response.status, `${route}: ${JSON.stringify(response.body)}`).toBe(401);
        expectError(response, 401, 'UNAUTHORIZED');
      }
    });

    it('while the untampered token still works', async () => {
      expect((await member.api.get('/v1/me')).status).toBe(200);
    });
  });
});

describe('malformed input', () => {
  const send = (route: RouteDeclaration, body: unknown, overrides?: Record<string, string>) =>
    rightfulCaller(route).send(route.method, pathFor(route, overrides), body);

  it.each(withBody.map((r) => [name(r), r] as const))(
    'answers invalid JSON on %s with 400 MALFORMED_JSON',
    async (_, route) => {
      for (const text of ['{"name": ', "{'single': 'quotes'}", '{"a":1}}', 'not json at all']) {
        expectError(await send(route, raw(text)), 400, 'MALFORMED_JSON');
      }
    },
  );

  it.each(withBody.map((r) => [name(r), r] as const))(
    'answers a missing body, or JSON that is not an object, on %s with 400',
    async (_, route) => {
      for (const body of [undefined, raw('[]'), raw('"text"'), raw('42'), raw('null'), raw('true')]) {
        expectError(await send(route, body), 400);
      }
    },
  );

  it.each(withBody.map((r) => [name(r), r] as const))(
    'answers an unknown field on %s with 400',
    async (_, route) => {
      const response = await send(route, { ...sampleBody(route), isAdmin: true });

      expectError(response, 400);
      expect(response.body.error.message).toContain('isAdmin');
    },
  );

  it.each(withBody.map((r) => [name(r), r] as const))(
    'answers a field of the wrong type on %s with 400, field by field',
    async (_, route) => {
      const sample = sampleBody(route) ?? {};
      for (const field of Object.keys(sample)) {
        const response = await send(route, { ...sampleBody(route), [field]: wrongType(sample[field]) });
        expectError(response, 400);
        expect(response.body.error.message, `${field}: ${response.body.error.message}`).toContain(field);
      }
    },
  );

  it.each(withBody.map((r) => [name(r), r] as const))(
    `answers a body over ${MAX_BODY_BYTES / 1024} KiB on %s with 413 PAYLOAD_TOO_LARGE`,
    async (_, route) => {
      const padding = 'x'.repeat(MAX_BODY_BYTES + 1024);

      const response = await send(route, { ...sampleBody(route), padding });

      expectError(response, 413, 'PAYLOAD_TOO_LARGE');
    },
  );

  const BAD_PARAMS = [
    '%2F..%2F',
    '..%2F..%2Fetc%2Fpasswd',
    'a'.repeat(100),
    '%00',
    '%20',
    'caf%C3%A9',
    '%3Cscript%3E',
    "'%20OR%201%3D1",
    '%25',
  ];
  const paramsOf = withParams.flatMap((r) =>
    [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => [name(r), m[1] as string, r] as const),
  );

  it.each(paramsOf)(
    'answers bad values of a path parameter on %s ({%s}) with 400 or 404, never a 5xx',
    async (_, param, route) => {
      for (const value of BAD_PARAMS) {
        const response = await send(route, sampleBody(route), { [param]: value });
        expect(response.status, `${param}=${value}: ${JSON.stringify(response.body)}`).toBeLessThan(500);
        expectError(response, [400, 404]);
      }
    },
  );

  it('answers a path parameter that is not valid percent-encoding with 400 or 404, on every route, never a 5xx', async () => {
    const failures: string[] = [];
    for (const [route, param, declaration] of paramsOf) {
      for (const value of ['%ZZ', '%E0%A4%A', '%']) {
        const response = await send(declaration, sampleBody(declaration), { [param]: value });
        if (![400, 404].includes(response.status) || response.body?.error?.code === undefined)
          failures.push(`${route} {${param}}=${value}: ${response.status} ${JSON.stringify(response.body)}`);
      }
    }

    expect(failures).toEqual([]);
  });

  it.each(withCursor.map((r) => [name(r), r] as const))(
    'answers forged cursors on %s with 400 INVALID_CURSOR',
    async (_, route) => {
      const forged = [
        'bm90LWEtY3Vyc29y', // "not-a-cursor"
        Buffer.from('{"x":1}').toString('base64url'),
        Buffer.from('42').toString('base64url'),
        Buffer.from('["titleId"]').toString('base64url'),
        Buffer.from(
          JSON.stringify({ titleId: { S: 'x' }, listing: 'TITLE', sortKey: 'x', updatedAt: 'x' }),
        ).toString('base64url'),
      ];
      for (const cursor of forged) {
        const response = await rightfulCaller(route).get(`${pathFor(route)}?cursor=${cursor}`);
        expectError(response, 400, 'INVALID_CURSOR');
      }
    },
  );

  it.each(withCursor.map((r) => [name(r), r] as const))(
    'answers a cursor that is not even base64url on %s with 400',
    async (_, route) => {
      const response = await rightfulCaller(route).get(
        `${pathFor(route)}?cursor=${encodeURIComponent('{"a":1}')}`,
      );

      expectError(response, 400);
    },
  );

  it.each(withQuery.map((r) => [name(r), r] as const))(
    'answers an unknown query parameter on %s with 400 INVALID_QUERY',
    async (_, route) => {
      const response = await rightfulCaller(route).get(`${pathFor(route)}?admin=true`);

      expectError(response, 400, 'INVALID_QUERY');
    },
  );

  it.each(withQuery.filter((r) => hasField(r.query, 'limit')).map((r) => [name(r), r] as const))(
    'answers a bad limit on %s with 400 INVALID_QUERY',
    async (_, route) => {
      for (const limit of ['abc', '0', '-1', '1.5', '101', '1e9']) {
        expectError(
          await rightfulCaller(route).get(`${pathFor(route)}?limit=${limit}`),
          400,
          'INVALID_QUERY',
        );
      }
    },
  );
});

/** A value of another JSON type than `value`'s. */
function wrongType(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'not a number';
  if (typeof value === 'boolean') return 'yes';
  if (Array.isArray(value)) return 'not a list';
  if (value !== null && typeof value === 'object') return ['not', 'an', 'object'];
  return true;
}

/** Flips one character in the middle of the signature (the last one may only carry padding bits). */
function tamper(jwt: string): string {
  const [header, payload, signature = ''] = jwt.split('.');
  const i = Math.floor(signature.length / 2);
  const flipped = signature[i] === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${signature.slice(0, i)}${flipped}${signature.slice(i + 1)}`;
}

/** The same signature over claims that now say "admin". */
function promoteToAdmin(jwt: string): string {
  const [header, , signature] = jwt.split('.');
  const claims = jwtPart(jwt, 1);
  const forged = Buffer.from(JSON.stringify({ ...claims, groups: ['admin'] })).toString('base64url');
  return `${header}.${forged}.${signature}`;
}

/** A real access token of this platform's key and issuer, issued two hours ago (so expired). */
async function expiredToken(email: string, password: string): Promise<string> {
  const signup = env.platform.assembly.functionById('signup');
  const identity = localIdentityProvider({
    db: DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: env.platform.info.dynamoEndpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      }),
    ),
    tableName: signup.environment[tableEnv('identity')] ?? '',
    issuer: signup.environment[ENV.TOKEN_ISSUER] ?? '',
    now: () => new Date(Date.now() - 2 * 3600 * 1000),
  });
  const { accessToken } = await identity.login(email, password);
  const { exp } = jwtPart(accessToken, 1);
  expect(Number(exp) * 1000).toBeLessThan(Date.now());
  return accessToken;
}

/** The header or claims of a JWT, decoded (not verified). */
function jwtPart(jwt: string, part: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[part] ?? '', 'base64url').toString('utf8'));
}

/** The `kid`, issuer and claims of a real token, signed with a key this platform never saw. */
async function foreignToken(accountId: string): Promise<string> {
  const { kid } = jwtPart(member.accessToken, 0);
  const { iss } = jwtPart(member.accessToken, 1);
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT({ email: member.email, country: 'US', groups: ['admin'], token_use: 'access' })
    .setProtectedHeader({ alg: 'RS256', kid: String(kid), typ: 'JWT' })
    .setSubject(accountId)
    .setIssuer(String(iss))
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey);
}

/** `alg: none` with the claims of a real token: must never be accepted. */
function unsignedToken(accountId: string): string {
  const claims = jwtPart(member.accessToken, 1);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...claims, sub: accountId, groups: ['admin'] })}.`;
}
