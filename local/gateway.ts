/**
 * A local API Gateway (REST, proxy integration): routes from `lambdas/contracts/routes.ts`,
 * each request turned into the proxy event API Gateway sends, the function's result written
 * back. Unknown paths and methods answer as API Gateway does, in the house error shape.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { GATEWAY_ERRORS, ROUTES, type RouteDeclaration } from '../lambdas/contracts/routes.ts';

/** API Gateway refuses payloads above 10 MB before any function runs. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export type RouteInvoker = (route: RouteDeclaration, event: APIGatewayProxyEvent) => Promise<unknown>;

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

/** API Gateway's default authorizer result cache: the policy per token, five minutes. */
const AUTHORIZER_CACHE_MS = 5 * 60 * 1000;
const API_ARN_PREFIX = 'arn:aws:execute-api:us-east-1:000000000000:local/prod';

interface CompiledRoute {
  route: RouteDeclaration;
  pattern: RegExp;
  params: string[];
}

function compile(route: RouteDeclaration): CompiledRoute {
  const params: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}/?$`), params };
}

export interface GatewayOptions {
  port: number;
  host?: string;
  invoke: RouteInvoker;
  authorize: AuthorizerInvoker;
}

export function startGateway(options: GatewayOptions): Promise<Server> {
  const routes = (ROUTES as readonly RouteDeclaration[]).map(compile);
  const cache = new Map<string, { result: AuthorizerResult; expires: number }>();
  const server = createServer((req, res) => {
    handle(req, res, routes, options, cache).catch((error) => {
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
  routes: CompiledRoute[],
  options: GatewayOptions,
  cache: Map<string, { result: AuthorizerResult; expires: number }>,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = safeDecode(url.pathname);
  const candidates = routes.flatMap((r) => {
    const match = r.pattern.exec(url.pathname);
    return match ? [{ ...r, match }] : [];
  });
  if (candidates.length === 0) {
    return send(res, GATEWAY_ERRORS.ROUTE_NOT_FOUND.status, {
      error: { code: GATEWAY_ERRORS.ROUTE_NOT_FOUND.code, message: `No route for ${req.method} ${path}` },
    });
  }
  const hit = candidates.find((c) => c.route.method === req.method);
  if (!hit) {
    return send(res, 405, {
      error: { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not allowed on ${path}` },
    });
  }
  let authorizer: Record<string, unknown> | null = null;
  if (hit.route.auth !== 'none') {
    const token = req.headers.authorization;
    if (!token) return sendError(res, GATEWAY_ERRORS.UNAUTHORIZED);
    const methodArn = `${API_ARN_PREFIX}/${hit.route.method}${url.pathname}`;
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
  const pathParameters: Record<string, string> = {};
  hit.params.forEach((name, i) => {
    pathParameters[name] = safeDecode(hit.match[i + 1] ?? '');
  });
  const event = proxyEvent(req, url, hit.route, pathParameters, body);
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

/** IAM evaluation, as far as an authorizer policy needs it: an explicit Deny wins, else an Allow must match. */
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
  route: RouteDeclaration,
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
