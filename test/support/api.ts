/**
 * A tiny HTTP client for the API tests: real `fetch` against the local gateway, answers as
 * `{ status, body }` (JSON parsed when the answer is JSON), bodies given as values (sent as
 * JSON) or as `raw(...)` strings (sent as they are: malformed JSON, oversized bodies).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { errorBodySchema } from '../../lambdas/contracts/api/common.ts';
import type { TokensResponse } from '../../lambdas/contracts/api/identity.ts';
import { GATEWAY_ERRORS, ROUTES } from '../../lambdas/contracts/routes.ts';
import * as z from '../../lambdas/contracts/zod.ts';
import { errorsOf } from '../../lambdas/platform/domain/openapi.ts';
import { DEFAULT_ADMIN } from '../../local/defaults.ts';
import { type Platform, startPlatform } from '../../local/platform.ts';
import { onFreePorts } from './platform.ts';

// Answers are whatever the server sent: tests read them like JSON documents.
// biome-ignore lint/suspicious/noExplicitAny: a decoded JSON body, asserted on by the tests
export type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

/** A body sent byte for byte instead of as JSON. */
export class RawBody {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}
export const raw = (text: string): RawBody => new RawBody(text);

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Verb = <T = Json>(
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<ApiResponse<T>>;

export interface Caller {
  get: Verb;
  post: Verb;
  put: Verb;
  patch: Verb;
  delete: Verb;
  send<T = Json>(
    method: Method,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<T>>;
}

/** A signed-in account of the platform under test. */
export interface TestUser {
  accountId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  api: Caller;
}

export interface Api {
  readonly baseUrl: string;
  /** No Authorization header. */
  anonymous: Caller;
  /** Sends `Authorization: Bearer <token>` (or the header as given when it has a scheme already). */
  authed(token: string): Caller;
  signUp(email?: string, password?: string, country?: string): Promise<ApiResponse<{ accountId: string }>>;
  login(email: string, password: string): Promise<ApiResponse<TokensResponse>>;
  /** Signs up a fresh account (unique email) and signs it in; fails the test if either step fails. */
  newUser(options?: { country?: string; password?: string }): Promise<TestUser>;
  /** Signs in the administrator the platform created at start. */
  admin(credentials?: { email: string; password: string }): Promise<TestUser>;
}

/** What the gateway answers before any function runs (`GATEWAY_ERRORS`), on any path. */
const GATEWAY_ANSWERS = new Set(Object.values(GATEWAY_ERRORS).map((e) => `${e.status} ${e.code}`));
const DECLARED = ROUTES.map((route) => ({
  route,
  pattern: new RegExp(`^${route.path.replace(/\{\w+\}/g, '[^/]+')}$`),
  errors: new Set(Object.keys(errorsOf(route)).map(Number)),
}));

/**
 * Every answer a test sees is one its route declares: the success status with a body its response
 * schema accepts, or a declared error status with the house error body. A route answering what it
 * does not declare fails the test that saw it, so the OpenAPI document cannot fall behind.
 */
function expectDeclaredAnswer(method: Method, path: string, status: number, body: unknown): void {
  const bare = path.split('?')[0] ?? path;
  const match = DECLARED.find((d) => d.route.method === method && d.pattern.test(bare));
  if (!match) return; // not a route (the gateway's 404 ROUTE_NOT_FOUND, a media URL)
  const where = `${method} ${match.route.path} answered ${status}`;
  if (status === match.route.response.status) {
    const schema = match.route.response.schema;
    if (!schema) return;
    const parsed = z.safeParse(schema, body);
    expect(parsed.success, `${where} with a body its declared schema refuses: ${parsed.error?.message}`).toBe(
      true,
    );
    return;
  }
  if (GATEWAY_ANSWERS.has(`${status} ${(body as { error?: { code?: string } } | null)?.error?.code}`)) return;
  expect(match.errors.has(status), `${where}, which it does not declare: ${JSON.stringify(body)}`).toBe(true);
  expect(errorBodySchema.safeParse(body).success, `${where} without the house error body`).toBe(true);
}

export function apiClient(baseUrl: string): Api {
  const caller = (authorization?: string): Caller => {
    const send = async <T = Json>(
      method: Method,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ): Promise<ApiResponse<T>> => {
      const all: Record<string, string> = { accept: 'application/json', ...headers };
      if (authorization !== undefined) all.authorization = authorization;
      let payload: string | undefined;
      if (body instanceof RawBody) payload = body.text;
      else if (body !== undefined) payload = JSON.stringify(body);
      if (payload !== undefined) all['content-type'] ??= 'application/json';
      const response = await fetch(`${baseUrl}${path}`, { method, headers: all, body: payload });
      const text = await response.text();
      const isJson = (response.headers.get('content-type') ?? '').includes('json');
      let parsed: unknown = text === '' ? null : text;
      if (isJson && text !== '') parsed = JSON.parse(text);
      expectDeclaredAnswer(method, path, response.status, parsed);
      return { status: response.status, body: parsed as T, headers: response.headers };
    };
    return {
      send,
      get: (path, body, headers) => send('GET', path, body, headers),
      post: (path, body, headers) => send('POST', path, body, headers),
      put: (path, body, headers) => send('PUT', path, body, headers),
      patch: (path, body, headers) => send('PATCH', path, body, headers),
      delete: (path, body, headers) => send('DELETE', path, body, headers),
    };
  };
  const anonymous = caller();

  const api: Api = {
    baseUrl,
    anonymous,
    authed: (token) => caller(/^\S+ /.test(token) ? token : `Bearer ${token}`),
    signUp: (email = uniqueEmail(), password = 'correct horse battery', country) =>
      anonymous.post('/v1/auth/signup', { email, password, ...(country ? { country } : {}) }),
    login: (email, password) => anonymous.post('/v1/auth/login', { email, password }),
    async newUser(options = {}) {
      const email = uniqueEmail();
      const password = options.password ?? 'correct horse battery';
      const signup = await api.signUp(email, password, options.country);
      expect(signup.status, JSON.stringify(signup.body)).toBe(201);
      return signIn(email, password, signup.body.accountId);
    },
    async admin(credentials = DEFAULT_ADMIN) {
      return signIn(credentials.email, credentials.password);
    },
  };

  async function signIn(email: string, password: string, accountId?: string): Promise<TestUser> {
    const login = await api.login(email, password);
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const { accessToken, refreshToken } = login.body;
    const id = accountId ?? (await api.authed(accessToken).get('/v1/me')).body.accountId;
    return { accountId: id, email, password, accessToken, refreshToken, api: api.authed(accessToken) };
  }

  return api;
}

export function uniqueEmail(prefix = 'viewer'): string {
  return `${prefix}-${randomUUID().slice(0, 12)}@example.com`;
}

/**
 * Asserts the house error answer: a 4xx `status` (never a 5xx) and `{ error: { code, message } }`
 * with `code` when given.
 */
export function expectError(response: ApiResponse, status: number | readonly number[], code?: string): void {
  const context = `${response.status} ${JSON.stringify(response.body)}`;
  expect(response.status, context).toBeLessThan(500);
  if (typeof status === 'number') expect(response.status, context).toBe(status);
  else expect(status, context).toContain(response.status);
  expect(errorBodySchema.safeParse(response.body).success, context).toBe(true);
  expect(Object.keys(response.body.error).sort(), context).toEqual(['code', 'message']);
  expect(response.body.error.code, context).toMatch(/^[A-Z][A-Z0-9_]*$/);
  expect(response.body.error.message.length, context).toBeGreaterThan(0);
  if (code !== undefined) expect(response.body.error.code, context).toBe(code);
}

/** Fills a route path's `{params}` from `values`. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`No value for {${name}} in ${path}`);
    return value;
  });
}

/** ISO instant `ms` milliseconds from now (negative: in the past). */
export function fromNow(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

export const DAY_MS = 24 * 3600 * 1000;

/**
 * Polls `GET /v1/titles/{titleId}` as the administrator until the catalog says `playable`: the
 * catalog attaches a READY asset when the "Asset Published" event reaches it, asynchronously as on
 * AWS. Answers the title; throws with the last answer when `timeoutMs` passes first.
 */
export async function waitUntilPlayable(
  api: Api,
  titleId: string,
  options: { country?: string; timeoutMs?: number; pollMs?: number } = {},
): Promise<Json> {
  const admin = await api.admin();
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const title = await admin.api.get(`/v1/titles/${titleId}`, undefined, {
      'x-viewer-country': options.country ?? 'US',
    });
    if (title.status === 200 && title.body.playable === true) return title.body;
    if (Date.now() > deadline) throw new Error(`Title never became playable: ${JSON.stringify(title.body)}`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
  }
}

export interface ApiPlatform {
  platform: Platform;
  api: Api;
  /** What the platform logged: function errors (`METHOD /path: Type: message`), failed event targets. */
  logs: string[];
  stop(): Promise<void>;
}

/**
 * The embedded platform in a fresh temporary data directory, free ports, quiet, with the default
 * administrator; `stop()` shuts it down and removes the directory. One per test file: a start
 * takes 10-20 s on a small machine.
 */
export async function startApiPlatform(name: string): Promise<ApiPlatform> {
  const dir = mkdtempSync(join(tmpdir(), `showrunner-${name}-`));
  const logs: string[] = [];
  let platform: Platform;
  try {
    platform = await startPlatform(onFreePorts(join(dir, 'data'), { log: (message) => logs.push(message) }));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    platform,
    api: apiClient(platform.info.gatewayUrl),
    logs,
    async stop() {
      await platform.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
