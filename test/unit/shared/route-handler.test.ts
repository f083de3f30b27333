/**
 * The route handler chain, built from the real route declarations with stand-in implementations:
 * validation of path, query and body, the declared auth, error mapping, the declared answer, and
 * the correlation id in the logs.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_BODY_BYTES } from '#contracts/routes.ts';
import { ConflictError } from '#shared/errors.ts';
import { logger } from '#shared/logger.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { jsonLinesOf } from '../../support/logs.ts';

const MEMBER = { accountId: 'acct-1', email: 'member@example.com', country: 'BR', isAdmin: 'false' };
const ADMIN = { ...MEMBER, accountId: 'acct-admin', isAdmin: 'true' };
const PROFILE = {
  profileId: 'p1',
  name: 'Ana',
  maturity: 'teen',
  language: 'en',
  createdAt: '2026-12-01T00:00:00Z',
} as const;

interface Request {
  method?: string;
  path?: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** What the authorizer established; `null`: no authorizer ran. */
  authorizer?: Record<string, string> | null;
}

function event(request: Request): APIGatewayProxyEvent {
  const body =
    request.body === undefined
      ? null
      : typeof request.body === 'string'
        ? request.body
        : JSON.stringify(request.body);
  return {
    resource: request.path ?? '/',
    path: request.path ?? '/',
    httpMethod: request.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...request.headers },
    multiValueHeaders: {},
    queryStringParameters: request.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: request.params ?? null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      authorizer: request.authorizer === undefined ? MEMBER : request.authorizer,
      requestId: 'api-request-1',
      stage: 'prod',
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

const context = (): Context => ({ awsRequestId: 'lambda-request-1', functionName: 'test' }) as Context;

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

async function call(handler: Handler, request: Request) {
  const response = await handler(event(request), context());
  const isJson = String(response.headers?.['content-type'] ?? '').startsWith('application/json');
  const body = response.body && isJson ? (JSON.parse(response.body) as Record<string, unknown>) : undefined;
  return { ...response, json: body, error: (body?.error as { code: string; message: string }) ?? undefined };
}

let seen: unknown[];
beforeEach(() => {
  seen = [];
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('validation', () => {
  const getTitle = routeHandler('getTitle', async (request) => {
    seen.push(request);
    return { titleId: request.params.titleId } as never;
  });
  const listHistory = routeHandler('listHistory', async (request) => {
    seen.push(request.query);
    return { items: [] };
  });
  const createProfile = routeHandler('createProfile', async (request) => {
    seen.push(request.body);
    return { ...PROFILE, name: request.body.name, maturity: request.body.maturity };
  });
  const putSubscription = routeHandler('putSubscription', async () => {
    throw new Error('not reached');
  });

  it('answers a bad path parameter with 400 INVALID_<PARAM>, naming it, before the implementation runs', async () => {
    const response = await call(getTitle, { params: { titleId: '../etc/passwd' } });

    expect(response.statusCode).toBe(400);
    expect(response.error).toEqual({ code: 'INVALID_TITLE_ID', message: 'titleId: not an id' });
    expect(seen).toEqual([]);
  });

  it('answers an unknown query parameter with 400 INVALID_QUERY naming it', async () => {
    const response = await call(getTitle, { params: { titleId: 't1' }, query: { admin: 'yes' } });

    expect(response.statusCode).toBe(400);
    expect(response.error?.code).toBe('INVALID_QUERY');
    expect(response.error?.message).toContain('admin');
  });

  it('answers a query value out of range with 400 INVALID_QUERY naming the field', async () => {
    const response = await call(listHistory, { params: { profileId: 'p1' }, query: { limit: '0' } });

    expect(response.statusCode).toBe(400);
    expect(response.error?.code).toBe('INVALID_QUERY');
    expect(response.error?.message).toMatch(/^limit: /);
  });

  it('answers the first bad body field with 400 INVALID_REQUEST naming it', async () => {
    const response = await call(createProfile, {
      method: 'POST',
      body: { name: 'Kid', maturity: 'toddler' },
    });

    expect(response.statusCode).toBe(400);
    expect(response.error?.code).toBe('INVALID_REQUEST');
    expect(response.error?.message).toMatch(/^maturity: /);
    expect(seen).toEqual([]);
  });

  it('answers a missing body with 400 INVALID_REQUEST', async () => {
    const response = await call(createProfile, { method: 'POST' });

    expect(response.statusCode).toBe(400);
    expect(response.error?.code).toBe('INVALID_REQUEST');
  });

  it('uses the code the route declares for a bad field (a card: INVALID_CARD)', async () => {
    const response = await call(putSubscription, {
      method: 'PUT',
      body: { plan: 'basic', card: { number: 'x' } },
    });

    expect(response.statusCode).toBe(400);
    expect(response.error).toEqual({ code: 'INVALID_CARD', message: 'card.number: not a card number' });
  });

  it('answers JSON that does not parse with 400 MALFORMED_JSON', async () => {
    const response = await call(createProfile, { method: 'POST', body: '{"name": ' });

    expect(response.statusCode).toBe(400);
    expect(response.error?.code).toBe('MALFORMED_JSON');
  });

  it(`answers a body over ${MAX_BODY_BYTES} bytes with 413 PAYLOAD_TOO_LARGE`, async () => {
    const response = await call(createProfile, {
      method: 'POST',
      body: { name: 'x'.repeat(MAX_BODY_BYTES), maturity: 'adult' },
    });

    expect(response.statusCode).toBe(413);
    expect(response.error?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('gives the implementation the parsed values: coerced, defaulted, transformed', async () => {
    await call(listHistory, { params: { profileId: 'p1' }, query: { limit: '7' } });
    await call(listHistory, { params: { profileId: 'p1' } });
    await call(createProfile, { method: 'POST', body: { name: 'Ana', maturity: 'teen' } });

    expect(seen).toEqual([
      { limit: 7 },
      { limit: 20 },
      expect.objectContaining({ name: 'Ana', maturity: 'teen' }),
    ]);
  });
});

describe('auth', () => {
  const getMe = routeHandler('getMe', async ({ caller }) => ({
    accountId: caller.accountId,
    email: caller.email,
    country: 'BR',
    isAdmin: caller.isAdmin,
  }));
  const createTitle = routeHandler('createTitle', async () => ({ titleId: 'new' }));
  const health = routeHandler('health', async (request) => {
    seen.push(request.caller);
    return { status: 'ok', target: 'test', time: 'now' };
  });

  it('gives a signed-in route the caller the authorizer established', async () => {
    const response = await call(getMe, {});

    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({
      accountId: 'acct-1',
      email: 'member@example.com',
      country: 'BR',
      isAdmin: false,
    });
  });

  it('refuses a signed-in route without the authorizer’s caller with 401 UNAUTHORIZED', async () => {
    const response = await call(getMe, { authorizer: null });

    expect(response.statusCode).toBe(401);
    expect(response.error?.code).toBe('UNAUTHORIZED');
  });

  it('refuses a member on an admin route with 403 FORBIDDEN, before looking at the body', async () => {
    const response = await call(createTitle, { method: 'POST', body: '{not json' });

    expect(response.statusCode).toBe(403);
    expect(response.error?.code).toBe('FORBIDDEN');
  });

  it('lets an administrator through on an admin route', async () => {
    const response = await call(createTitle, {
      method: 'POST',
      authorizer: ADMIN,
      body: { name: 'Film', maturity: 'teen', availability: [] },
    });

    expect(response.statusCode).toBe(201);
    expect(response.json).toEqual({ titleId: 'new' });
  });

  it('runs a public route for anyone, with no caller', async () => {
    const response = await call(health, { authorizer: null });

    expect(response.statusCode).toBe(200);
    expect(seen).toEqual([undefined]);
  });
});

describe('errors', () => {
  it('answers a domain error with its status and the house body', async () => {
    const handler = routeHandler('createProfile', async () => {
      throw new ConflictError('PROFILE_LIMIT_REACHED', 'Five profiles already.');
    });

    const response = await call(handler, { method: 'POST', body: { name: 'Six', maturity: 'adult' } });

    expect(response.statusCode).toBe(409);
    expect(response.json).toEqual({
      error: { code: 'PROFILE_LIMIT_REACHED', message: 'Five profiles already.' },
    });
  });

  it('answers anything else with a 500 that reveals nothing but a reference, and logs it whole', async () => {
    const handler = routeHandler('getMe', async () => {
      throw new Error('ResourceNotFoundException: table prod-secret-identity-table at arn:aws:dynamodb:…');
    });

    let response: Awaited<ReturnType<typeof call>> | undefined;
    const logs = await jsonLinesOf(async () => {
      response = await call(handler, {});
    });

    expect(response?.statusCode).toBe(500);
    expect(response?.json).toEqual({
      error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side (ref api-request-1).' },
    });
    expect(response?.body).not.toContain('secret');
    expect(response?.body).not.toContain('arn:');
    const logged = logs.find((l) => l.message === 'unhandled error');
    expect(logged).toMatchObject({ level: 'ERROR', correlation_id: 'api-request-1' });
    expect(JSON.stringify(logged)).toContain('prod-secret-identity-table');
  });
});

describe('the answer', () => {
  it('has the declared status, JSON and no-store by default, and the correlation id', async () => {
    const handler = routeHandler('createProfile', async ({ body }) => ({ ...PROFILE, ...body }));

    const response = await call(handler, { method: 'POST', body: { name: 'Ana', maturity: 'teen' } });

    expect(response.statusCode).toBe(201);
    expect(response.headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-correlation-id': 'api-request-1',
    });
  });

  it('is empty for a 204 route', async () => {
    const handler = routeHandler('deleteProfile', async () => undefined);

    const response = await call(handler, { method: 'DELETE', params: { profileId: 'p1' } });

    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
  });

  it('carries the declared content type and headers of a non-JSON route (the master playlist)', async () => {
    const handler = routeHandler('getMasterPlaylist', async () => '#EXTM3U\n');

    const response = await call(handler, {
      params: { sessionId: 's1' },
      query: { token: 't' },
      authorizer: null,
    });

    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('#EXTM3U\n');
    expect(response.headers).toMatchObject({
      'content-type': 'application/vnd.apple.mpegurl',
      'cache-control': 'private, no-store',
      'access-control-allow-origin': '*',
    });
  });
});

describe('the correlation id', () => {
  const getMe = routeHandler('getMe', async ({ caller }) => {
    logger.info('inside', { accountId: caller.accountId });
    return { accountId: caller.accountId, email: '', country: 'BR', isAdmin: false };
  });

  it('is API Gateway’s request id, in every log line of the invocation', async () => {
    const logs = await jsonLinesOf(() => call(getMe, {}));

    expect(logs.find((l) => l.message === 'inside')).toMatchObject({
      correlation_id: 'api-request-1',
      function_request_id: 'lambda-request-1',
    });
  });

  it('is the caller’s X-Correlation-Id when it is a sane token, and is answered back', async () => {
    let response: Awaited<ReturnType<typeof call>> | undefined;
    const logs = await jsonLinesOf(async () => {
      response = await call(getMe, { headers: { 'X-Correlation-Id': 'web-7f3a' } });
    });

    expect(logs.find((l) => l.message === 'inside')).toMatchObject({ correlation_id: 'web-7f3a' });
    expect(response?.headers?.['x-correlation-id']).toBe('web-7f3a');
  });

  it('ignores an X-Correlation-Id that is not a sane token', async () => {
    const logs = await jsonLinesOf(() => call(getMe, { headers: { 'x-correlation-id': '"><script>' } }));

    expect(logs.find((l) => l.message === 'inside')).toMatchObject({ correlation_id: 'api-request-1' });
  });

  it('does not leak into the next invocation', async () => {
    const logs = await jsonLinesOf(async () => {
      await call(getMe, { headers: { 'x-correlation-id': 'first' } });
      await call(getMe, {});
    });

    expect(logs.filter((l) => l.message === 'inside').map((l) => l.correlation_id)).toEqual([
      'first',
      'api-request-1',
    ]);
  });
});
