/**
 * One correlation id across services: a route's call to another service's internal function
 * (real SDK `Invoke`, through the fake Lambda API) carries the caller's id in the client context,
 * and the callee logs under it.
 */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { functionHandler } from '#shared/function-handler.ts';
import { logger } from '#shared/logger.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { getProfile } from '#shared/services.ts';
import { type FakeLambda, startFakeLambda } from '../history/fake-lambda.ts';

let lambda: FakeLambda;

beforeAll(async () => {
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  const profilesInternal = functionHandler('profilesInternal', async (request) => {
    logger.info('profilesInternal answering', { profileId: request.profileId });
    return { profile: null };
  });
  lambda = await startFakeLambda({ profilesInternal });
});

afterAll(async () => {
  await lambda?.stop();
});

describe('the correlation id', () => {
  it('reaches the internal function the route calls, in its logs', async () => {
    const route = routeHandler('getMe', async ({ caller }) => {
      await getProfile(caller.accountId, 'p1');
      return { accountId: caller.accountId, email: caller.email, country: 'US', isAdmin: false };
    });
    const event = {
      headers: { 'X-Correlation-Id': 'web-session-31' },
      requestContext: {
        requestId: 'api-request-1',
        authorizer: { accountId: 'a1', email: 'a@example.com', country: 'US', isAdmin: 'false' },
      },
    } as unknown as APIGatewayProxyEvent;
    const lines: string[] = [];
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });

    let status: number | undefined;
    try {
      status = (await route(event, { awsRequestId: 'lambda-request-1' } as Context)).statusCode;
    } finally {
      out.mockRestore();
    }

    expect(status).toBe(200);
    const logs = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logs.find((l) => l.message === 'profilesInternal answering')).toMatchObject({
      correlation_id: 'web-session-31',
      function_request_id: 'fake-profilesInternal',
    });
  });
});
