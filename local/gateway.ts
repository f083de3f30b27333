/**
 * A local API Gateway (REST, proxy integration): routes from `lambdas/contracts/routes.ts`,
 * each request turned into the proxy event API Gateway sends, the function's result written
 * back. Unknown paths and methods answer as API Gateway does, in the house error shape.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import FindMyWay from 'find-my-way';
import { GATEWAY_ERRORS, ROUTES } from '../lambdas/contracts/routes.ts';

/** API Gateway refuses payloads above 10 MB before any function runs. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** What the gateway reads of a route declaration. */
export type GatewayRoute = Pick<(typeof ROUTES)[number], 'method' | 'path' | 'function' | 'auth'>;

export type RouteInvoker = (route: GatewayRoute, event: APIGatewayProxyEvent) => Promise<unknown>;

/** Runs the TOKEN authorizer function; rejects when it throws (API Gateway's 401). */
export type AuthorizerInvoker = (event: {
  type: 'TOKEN';
  authorizationToken: string;
  methodArn: string;
}) => Promise<unknown>;

interface AuthorizerResult {
  principalId: string;
  policyDocument: {
    Statement: { Effect: 'Allow' | 'Deny'; Action: string | string[]; Resource: string | string[] }[];
  };
  context?: Record<string, string | number | boolean>;
}

type AuthorizerCache = Map<string, { result: AuthorizerResult; expires: number }>;

/** API Gateway's default authorizer result cache: the policy per token, five minutes. */
const AUTHORIZER_CACHE_MS = 5 * 60 * 1000;
const API_ARN_PREFIX = 'arn:aws:execute-api:us-east-1:000000000000:local/prod';
/**
 * find-my-way refuses path parameters longer than 100 characters by default; API Gateway has
 * no such limit below its URL length (8192), which Node's header limit bounds anyway.
 */
const MAX_PARAM_LENGTH = 8192;

interface Router {
  /** The route for this method and path, with its decoded path parameters. */
  find(method: string, path: string): { route: GatewayRoute; params: Record<string, string> } | undefined;
  /** Whether a route has this path under any method (405 rather than 404). */
  hasPath(path: string): boolean;
}

/**
 * The routes in a radix tree (`find-my-way`): `{name}` placeholders match one path segment,
 * a trailing slash is ignored, and a static segment wins over a placeholder, as on API Gateway.
 * A path that is not valid percent-encoding matches no route.
 */
function routerFor(routes: readonly GatewayRoute[]): Router {
  const router = FindMyWay({ ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH });
  const noop = () => undefined;
  for (const route of routes) router.on(route.method, route.path.replace(/\{(\w+)\}/g, ':$1'), noop, route);
  const methods = [...new Set(routes.map((route) => route.method))];
  const find = (method: string, path: string) => {
    const found = router.find(method as FindMyWay.HTTPMethod, path);
    if (!found) return undefined;
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(found.params)) {
      // A placeholder stands for one whole segment: `/v1/titles//` is no title.
      if (!value) return undefined;
      params[name] = value;
    }
    return { route: found.store as GatewayRoute, params };
  };
  return {
    find,
    hasPath: (path) => methods.some((method) => find(method, path) !== undefined),
  };
}

/**
 * The path of the route that will run, for the method ARN the policy is checked against: built
 * from the declaration, not taken from the request, because the router decodes the request path
 * (`/v1/%61dmin/…` routes to `/v1/admin/…` and must meet the policy's Deny on `/v1/admin/*`).
 */
function resourcePath(route: GatewayRoute, params: Record<string, string>): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

export interface GatewayOptions {
  port: number;
  host?: string;
  invoke: RouteInvoker;
  authorize: AuthorizerInvoker;
}

export function startGateway(options: GatewayOptions): Promise<Server> {
  const router = routerFor(ROUTES);
  const cache: AuthorizerCache = new Map();
  const server = createServer((req, res) => {
    handle(req, res, router, options, cache).catch((error) => {
      send(res, 500, {
        error: { code: 'INTERNAL_ERROR', message: `Gateway error: ${(error as Error).message}` },
      });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve(server));
  });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  router: Router,
  options: GatewayOptions,
  cache: AuthorizerCache,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = safeDecode(url.pathname);
  const hit = router.find(req.method ?? 'GET', url.pathname);
  if (!hit) {
    if (router.hasPath(url.pathname)) {
      return send(res, 405, {
        error: { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not allowed on ${path}` },
      });
    }
    return send(res, GATEWAY_ERRORS.ROUTE_NOT_FOUND.status, {
      error: { code: GATEWAY_ERRORS.ROUTE_NOT_FOUND.code, message: `No route for ${req.method} ${path}` },
    });
  }
  let authorizer: Record<string, unknown> | null = null;
  if (hit.route.auth !== 'none') {
    const token = req.headers.authorization;
    if (!token) return sendError(res, GATEWAY_ERRORS.UNAUTHORIZED);
    const methodArn = `${API_ARN_PREFIX}/${hit.route.method}${resourcePath(hit.route, hit.params)}`;
    let cached = cache.get(token);
    if (!cached || cached.expires < Date.now()) {
      try {
        const result = (await options.authorize({
          type: 'TOKEN',
          authorizationToken: token,
          methodArn,
        })) as AuthorizerResult;
        cached = { result, expires: Date.now() + AUTHORIZER_CACHE_MS };
        cache.set(token, cached);
      } catch {
        cache.delete(token);
        return sendError(res, GATEWAY_ERRORS.UNAUTHORIZED);
      }
    }
    if (!allows(cached.result, methodArn)) return sendError(res, GATEWAY_ERRORS.ACCESS_DENIED);
    authorizer = { ...cached.result.context, principalId: cached.result.principalId };
  }
  const body = await readBody(req);
  if (body === undefined) {
    return send(res, 413, {
      error: { code: 'PAYLOAD_TOO_LARGE', message: 'Request bodies are limited to 10 MB.' },
    });
  }
  const event = proxyEvent(req, url, hit.route, hit.params, body);
  event.requestContext.authorizer = authorizer;
  let result: APIGatewayProxyResult;
  try {
    result = (await options.invoke(hit.route, event)) as APIGatewayProxyResult;
  } catch {
    // A function that throws is API Gateway's 502; the function logged the details.
    return send(res, 502, { error: { code: 'INTERNAL_ERROR', message: 'The function failed.' } });
  }
  res.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string> | undefined) });
  res.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
}

/**
 * IAM evaluation, as far as an authorizer policy needs it: an explicit Deny wins, else an Allow
 * must match. Kept by hand: the npm evaluators are AGPL with all of AWS's IAM data
 * (`@cloud-copilot/iam-simulate`) or little used and only "mostly compatible" (`pbac`).
 */
function allows(result: AuthorizerResult, methodArn: string): boolean {
  const matching = (effect: 'Allow' | 'Deny') =>
    (result.policyDocument?.Statement ?? []).some(
      (s) =>
        s.Effect === effect && [s.Resource].flat().some((resource) => wildcard(resource).test(methodArn)),
    );
  return !matching('Deny') && matching('Allow');
}

function wildcard(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

function sendError(res: ServerResponse, error: { status: number; code: string; message: string }): void {
  send(res, error.status, { error: { code: error.code, message: error.message } });
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function proxyEvent(
  req: IncomingMessage,
  url: URL,
  route: GatewayRoute,
  pathParameters: Record<string, string>,
  body: Buffer,
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    headers[name] = values.join(',');
    multiValueHeaders[name] = values;
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    multiQuery[name] = [...(multiQuery[name] ?? []), value];
  }
  const requestId = randomUUID();
  return {
    resource: route.path,
    path: url.pathname,
    httpMethod: req.method ?? 'GET',
    headers,
    multiValueHeaders,
    queryStringParameters: Object.keys(query).length > 0 ? query : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length > 0 ? multiQuery : null,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    stageVariables: null,
    body: body.length > 0 ? body.toString('utf8') : null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: req.method ?? 'GET',
      identity: {
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? null,
      } as never,
      path: `/prod${url.pathname}`,
      stage: 'prod',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: route.path,
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
