/**
 * The local API Gateway on its own: routing from the route declaration, API Gateway's answers
 * before any function runs, and the authorizer's policy, with a fake authorizer and functions.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '#contracts/routes.ts';
import { type GatewayRoute, startGateway } from '#local/gateway.ts';

const STAGE_ARN = 'arn:aws:execute-api:us-east-1:000000000000:local/prod';
const ADMIN_TOKEN = 'admin-token';
const MEMBER_TOKEN = 'member-token';

/** The first declared route with `auth` and at least one `{placeholder}`. */
function routeWith(auth: GatewayRoute['auth']): GatewayRoute {
  const route = ROUTES.find((r) => r.auth === auth && r.path.includes('{'));
  if (!route) throw new Error(`No ${auth} route with a path parameter is declared.`);
  return route;
}

const fill = (path: string, value: string) => path.replace(/\{\w+\}/g, value);

let gateway: Server;
let baseUrl: string;
const invoked: { route: GatewayRoute; event: APIGatewayProxyEvent }[] = [];
const methodArns: string[] = [];

beforeAll(async () => {
  gateway = await startGateway({
    port: 0,
    authorize: async ({ authorizationToken, methodArn }) => {
      methodArns.push(methodArn);
      if (authorizationToken !== ADMIN_TOKEN && authorizationToken !== MEMBER_TOKEN)
        throw new Error('Unauthorized');
      const deny =
        authorizationToken === ADMIN_TOKEN
          ? []
          : [{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: `${STAGE_ARN}/*/v1/admin/*` }];
      return {
        principalId: authorizationToken,
        policyDocument: {
          Statement: [
            { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${STAGE_ARN}/*/*` },
            ...deny,
          ],
        },
        context: { isAdmin: String(authorizationToken === ADMIN_TOKEN) },
      };
    },
    invoke: async (route, event) => {
      invoked.push({ route, event });
      return { statusCode: 200, body: JSON.stringify({ function: route.function }) };
    },
  });
  baseUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
});

afterAll(async () => {
  gateway.closeAllConnections();
  await new Promise((resolve) => gateway.close(resolve));
});

async function call(method: string, path: string, token?: string) {
  invoked.length = 0;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: token ? { authorization: token } : {},
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

describe('local gateway', () => {
  it('listens on the loopback interface only', () => {
    expect((gateway.address() as AddressInfo).address).toBe('127.0.0.1');
  });

  it('runs the function of every declared route, with its decoded path parameters', async () => {
    for (const route of ROUTES) {
      const { status, body } = await call(route.method, fill(route.path, 'caf%C3%A9'), ADMIN_TOKEN);

      expect(status, `${route.method} ${route.path}`).toBe(200);
      expect(body).toEqual({ function: route.function });
      const event = invoked[0]?.event;
      expect(event?.resource).toBe(route.path);
      for (const value of Object.values(event?.pathParameters ?? {})) expect(value).toBe('café');
    }
  });

  it('ignores a trailing slash', async () => {
    const route = routeWith('user');

    const { status } = await call(route.method, `${fill(route.path, 'x')}/`, MEMBER_TOKEN);

    expect(status).toBe(200);
    expect(invoked[0]?.route.function).toBe(route.function);
  });

  it('answers an unknown path with 404 ROUTE_NOT_FOUND', async () => {
    const { status, body } = await call('GET', '/v1/no-such-route');

    expect(status).toBe(404);
    expect(body).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
  });

  it('matches an empty path segment to no placeholder', async () => {
    const route = ROUTES.find((r) => /\{\w+\}\//.test(r.path));
    if (!route) throw new Error('No route with a placeholder inside its path is declared.');

    const { status } = await call(route.method, fill(route.path, ''), MEMBER_TOKEN);

    expect(status).toBe(404);
    expect(invoked).toEqual([]);
  });

  it('answers a known path with another method with 405 METHOD_NOT_ALLOWED', async () => {
    const route = routeWith('user');

    const { status, body } = await call('OPTIONS', fill(route.path, 'x'), MEMBER_TOKEN);

    expect(status).toBe(405);
    expect(body).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
  });

  it('answers a path that is not valid percent-encoding with a 4xx in the house shape, never a 5xx', async () => {
    const route = routeWith('user');

    for (const value of ['%ZZ', '%E0%A4%A', '%']) {
      const { status, body } = await call(route.method, fill(route.path, value), MEMBER_TOKEN);

      expect(status, value).toBe(404);
      expect(body).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
    }
  });

  it('accepts a long path parameter', async () => {
    const route = routeWith('user');

    const { status } = await call(route.method, fill(route.path, 'a'.repeat(1000)), MEMBER_TOKEN);

    expect(status).toBe(200);
  });

  it('refuses a protected route without a token, or with one the authorizer rejects, with 401', async () => {
    const route = routeWith('user');

    const anonymous = await call(route.method, fill(route.path, 'x'));
    const rejected = await call(route.method, fill(route.path, 'x'), 'forged');

    expect(anonymous).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    expect(rejected).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
  });

  it('applies the Deny of the policy, however the path is encoded', async () => {
    const route = routeWith('admin');
    const path = fill(route.path, 'x');
    const encoded = path.replace('/admin/', '/%61dmin/');

    const plain = await call(route.method, path, MEMBER_TOKEN);
    const disguised = await call(route.method, encoded, MEMBER_TOKEN);
    const byAdmin = await call(route.method, encoded, ADMIN_TOKEN);

    expect(plain).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(disguised).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(byAdmin.status).toBe(200);
    expect(invoked[0]?.event.requestContext.authorizer).toMatchObject({
      principalId: ADMIN_TOKEN,
      isAdmin: 'true',
    });
  });

  it('sends the authorizer the method ARN of the route', async () => {
    const route = routeWith('admin');
    methodArns.length = 0;

    await call(route.method, fill(route.path, 'x'), 'another-forged-token');

    expect(methodArns).toEqual([`${STAGE_ARN}/${route.method}${fill(route.path, 'x')}`]);
  });
});
