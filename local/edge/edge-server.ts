/**
 * A local edge: the stand-in for one CloudFront distribution in front of the media origin.
 * Every viewer request goes through the same function source CloudFront runs
 * (`edge/verify-token.js`, via the function runner); a forwarded request is answered from this
 * edge's own cache or fetched whole from the origin and cached as its Cache-Control allows.
 *
 * - Cache key: the URI the function rewrote (no token, no query string), so every session
 *   shares the cached segments, as on CloudFront.
 * - Freshness: `s-maxage`, else `max-age`; `no-store`, `no-cache`, `private` and `max-age=0`
 *   are not stored; no Cache-Control → `defaultTtlSec`. A stale object with an ETag is
 *   revalidated (`RefreshHit` on 304). Concurrent misses for one object share one origin fetch.
 * - Range: always served from the full object (206 / 416); a miss fetches the whole object.
 * - `x-cache: Hit|RefreshHit|Miss|Error from <name>`, `via`, `age`, CORS on every answer.
 * - `GET /_edge/health` is answered by the function, as on CloudFront, and not counted.
 * - Local-only endpoints, outside the function: `GET /_edge/stats`, `POST /_edge/warm`
 *   (`{ "uris": ["/media/…"] }`), `POST /_edge/reset`.
 * - With `viewerFunction: false` the same server is the shield tier (CloudFront's Origin Shield):
 *   no token, `/media/…` only, the edges' origin; one origin fetch per object for both edges.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  EDGE_FUNCTION_FILE,
  type FunctionResponse,
  type KeyValueReader,
  loadEdgeFunction,
  viewerRequestEvent,
} from './function-runner.ts';

export interface EdgeOptions {
  /** Names the edge in `x-cache` and `via`, e.g. 'edge-a'. */
  name: string;
  /** 0 picks a free port. */
  port: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Base URL of the origin that serves `/media/…` (the local media origin). */
  originUrl: string;
  /** The KeyValueStore the function reads keys and revocations from (not needed without a function). */
  kvs?: KeyValueReader;
  /**
   * Run the edge token function on viewer requests. `false` makes a plain caching tier: the
   * stand-in for CloudFront's Origin Shield between the edges and the origin, which serves
   * `/media/…` as asked. @default true
   */
  viewerFunction?: boolean;
  /** LRU budget of the memory cache. @default 512 MiB */
  cacheBytes?: number;
  /** TTL of an origin answer without Cache-Control. @default 86400 (CloudFront's default TTL) */
  defaultTtlSec?: number;
  /** @default the edge token function */
  functionFile?: string;
  /** Milliseconds, for cache freshness and the function's `Date.now()`. @default Date.now */
  clock?: () => number;
  /** Origin fetch timeout. @default 30 s (CloudFront's default origin response timeout) */
  originTimeoutMs?: number;
}

export interface EdgeStats {
  /** Viewer requests (the `/_edge/` endpoints excluded). */
  requests: number;
  /** Answered from the cache: `Hit`, `RefreshHit`, or a miss collapsed onto another's fetch. */
  hits: number;
  /** Forwarded to the origin. */
  misses: number;
  /** Refused by the function (403). */
  forbidden: number;
  /** Function failures (503) and unreachable origin (502). */
  errors: number;
  /** Body bytes fetched from the origin for viewers. */
  originBytes: number;
  /** Body bytes sent to viewers. */
  servedBytes: number;
  /** Body bytes fetched from the origin by `warm()` (prepositioning, off the viewers' path). */
  warmedBytes: number;
  cachedObjects: number;
  cachedBytes: number;
}

export interface WarmReport {
  /** Objects fetched into the cache. */
  filled: number;
  /** Their body bytes. */
  bytes: number;
  /** Already fresh in the cache. */
  alreadyCached: number;
  /** Not cacheable or not fetched, with the origin status (0: unreachable). */
  failed: { uri: string; status: number }[];
}

export interface LocalEdge {
  readonly name: string;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** A snapshot of the counters. */
  readonly stats: EdgeStats;
  /** Fetches objects (`/media/…` or `media/…`) into the cache without a token: prepositioning. */
  warm(uris: readonly string[]): Promise<WarmReport>;
  /** Zeroes the counters (the cache stays). */
  resetStats(): void;
  /** Empties the cache. */
  clearCache(): void;
  stop(): Promise<void>;
}

interface CachedObject {
  headers: Record<string, string>;
  body: Buffer;
  storedAt: number;
  ttlMs: number;
}

interface OriginAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** `undefined`: must not be stored. */
  ttlMs: number | undefined;
}

const DEFAULT_CACHE_BYTES = 512 * 1024 * 1024;
/** Answered by the edge function itself (the steering endpoint's probe). */
const EDGE_HEALTH_PATH = '/_edge/health';
/** Origin headers an edge passes on and keeps with a cached object. */
const KEPT_HEADERS = ['content-type', 'cache-control', 'etag', 'last-modified', 'content-encoding'] as const;
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers':
    'content-length, content-range, accept-ranges, age, x-cache, x-edge-reason',
} as const;

export async function startEdge(options: EdgeOptions): Promise<LocalEdge> {
  const clock = options.clock ?? Date.now;
  const originUrl = options.originUrl.replace(/\/+$/, '');
  const defaultTtlMs = (options.defaultTtlSec ?? 86_400) * 1000;
  const originTimeoutMs = options.originTimeoutMs ?? 30_000;
  const via = `1.1 ${options.name} (showrunner local edge)`;
  const edgeFunction =
    options.viewerFunction === false
      ? undefined
      : loadEdgeFunction({
          kvs: options.kvs ?? missingKvs(options.name),
          file: options.functionFile ?? EDGE_FUNCTION_FILE,
          clock,
        });
  const cache = new ByteLru<CachedObject>(options.cacheBytes ?? DEFAULT_CACHE_BYTES);
  const inflight = new Map<string, Promise<OriginAnswer>>();
  let counters = zeroCounters();

  const isFresh = (entry: CachedObject): boolean => clock() - entry.storedAt < entry.ttlMs;

  async function fetchOrigin(uri: string, etag?: string): Promise<OriginAnswer> {
    const response = await fetch(`${originUrl}${uri}`, {
      headers: etag ? { 'if-none-match': etag } : {},
      signal: AbortSignal.timeout(originTimeoutMs),
    });
    const body = Buffer.from(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    const ttlSec = cacheTtlSec(response.headers.get('cache-control'));
    const ttlMs = ttlSec === 'default' ? defaultTtlMs : ttlSec === undefined ? undefined : ttlSec * 1000;
    return { status: response.status, headers, body, ttlMs };
  }

  /** One origin fetch per object at a time; the others wait for it (request collapsing). */
  function collapsedFetch(uri: string): { answer: Promise<OriginAnswer>; shared: boolean } {
    const pending = inflight.get(uri);
    if (pending) return { answer: pending, shared: true };
    const answer = fetchOrigin(uri).then((result) => {
      if (result.status === 200 && result.ttlMs !== undefined) {
        cache.set(uri, {
          headers: result.headers,
          body: result.body,
          storedAt: clock(),
          ttlMs: result.ttlMs,
        });
      }
      return result;
    });
    inflight.set(uri, answer);
    const forget = () => inflight.delete(uri);
    answer.then(forget, forget);
    return { answer, shared: false };
  }

  async function serveFromEdge(req: IncomingMessage, res: ServerResponse, uri: string): Promise<void> {
    const cached = cache.get(uri);
    if (cached && isFresh(cached)) {
      counters.hits += 1;
      sendObject(req, res, 200, cached.headers, cached.body, 'Hit', ageOf(cached));
      return;
    }
    if (cached?.headers.etag) {
      const answer = await fetchOrigin(uri, cached.headers.etag);
      if (answer.status === 304) {
        counters.hits += 1;
        const ttlMs = answer.ttlMs ?? cached.ttlMs;
        const refreshed = { ...cached, storedAt: clock(), ttlMs };
        cache.set(uri, refreshed);
        sendObject(req, res, 200, refreshed.headers, refreshed.body, 'RefreshHit', 0);
        return;
      }
      sendOriginAnswer(req, res, uri, answer);
      return;
    }
    const { answer, shared } = collapsedFetch(uri);
    const result = await answer;
    if (shared && result.status === 200 && result.ttlMs !== undefined) {
      counters.hits += 1;
      sendObject(req, res, 200, result.headers, result.body, 'Hit', 0);
      return;
    }
    if (shared) {
      sendOriginAnswer(req, res, uri, await fetchOrigin(uri));
      return;
    }
    sendOriginAnswer(req, res, uri, result, true);
  }

  function sendOriginAnswer(
    req: IncomingMessage,
    res: ServerResponse,
    uri: string,
    answer: OriginAnswer,
    alreadyStored = false,
  ): void {
    counters.misses += 1;
    counters.originBytes += answer.body.length;
    if (!alreadyStored && answer.status === 200 && answer.ttlMs !== undefined) {
      cache.set(uri, { headers: answer.headers, body: answer.body, storedAt: clock(), ttlMs: answer.ttlMs });
    }
    const outcome = answer.status >= 400 ? 'Error' : 'Miss';
    sendObject(req, res, answer.status, answer.headers, answer.body, outcome, undefined);
  }

  function sendObject(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: Buffer,
    outcome: 'Hit' | 'RefreshHit' | 'Miss' | 'Error',
    ageSec: number | undefined,
  ): void {
    const common: Record<string, string> = {
      ...headers,
      ...CORS_HEADERS,
      'x-cache': `${outcome} from ${options.name}`,
      via,
      ...(ageSec !== undefined ? { age: String(ageSec) } : {}),
    };
    if (status !== 200) {
      write(req, res, status, common, body);
      return;
    }
    common['accept-ranges'] = 'bytes';
    const range = parseRange(req.headers.range, body.length);
    if (range === 'unsatisfiable') {
      write(req, res, 416, { ...common, 'content-range': `bytes */${body.length}` }, Buffer.alloc(0));
      return;
    }
    if (range) {
      const part = body.subarray(range.start, range.end + 1);
      const contentRange = `bytes ${range.start}-${range.end}/${body.length}`;
      write(req, res, 206, { ...common, 'content-range': contentRange }, part);
      return;
    }
    write(req, res, 200, common, body);
  }

  function write(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: Buffer,
  ): void {
    res.writeHead(status, { ...headers, 'content-length': String(body.length) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    counters.servedBytes += body.length;
    res.end(body);
  }

  function sendFunctionResponse(req: IncomingMessage, res: ServerResponse, response: FunctionResponse): void {
    if (response.statusCode === 403) counters.forbidden += 1;
    const headers: Record<string, string> = {
      'x-cache': `FunctionGeneratedResponse from ${options.name}`,
      via,
    };
    for (const [name, header] of Object.entries(response.headers ?? {})) headers[name] = header.value;
    const body =
      response.body === undefined
        ? Buffer.alloc(0)
        : typeof response.body === 'string'
          ? Buffer.from(response.body)
          : Buffer.from(response.body.data, response.body.encoding === 'base64' ? 'base64' : 'utf8');
    res.statusMessage = response.statusDescription ?? '';
    write(req, res, response.statusCode, headers, body);
  }

  async function handleViewer(req: IncomingMessage, res: ServerResponse, counted = true): Promise<void> {
    if (counted) counters.requests += 1;
    if (!edgeFunction) {
      await handleShieldRequest(req, res);
      return;
    }
    const event = viewerRequestEvent({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      ip: req.socket.remoteAddress ?? '127.0.0.1',
      distributionDomainName: req.headers.host ?? 'localhost',
    });
    let result: Awaited<ReturnType<typeof edgeFunction.run>>;
    try {
      result = await edgeFunction.run(event);
    } catch (error) {
      // CloudFront answers a failed function with 503 (FunctionExecutionError).
      counters.errors += 1;
      console.error(`[${options.name}] edge function failed: ${(error as Error).message}`);
      write(
        req,
        res,
        503,
        { ...CORS_HEADERS, 'x-cache': `FunctionExecutionError from ${options.name}`, via },
        Buffer.alloc(0),
      );
      return;
    }
    if (result.type === 'response') {
      sendFunctionResponse(req, res, result.response);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      write(req, res, 405, { ...CORS_HEADERS, allow: 'GET, HEAD, OPTIONS', via }, Buffer.alloc(0));
      return;
    }
    await serveOrFail(req, res, result.request.uri);
  }

  /** Serves `uri` from the cache or the origin; an unreachable origin is a 502, as on CloudFront. */
  async function serveOrFail(req: IncomingMessage, res: ServerResponse, uri: string): Promise<void> {
    try {
      await serveFromEdge(req, res, uri);
    } catch (error) {
      counters.errors += 1;
      console.error(`[${options.name}] origin fetch failed: ${(error as Error).message}`);
      if (!res.headersSent) errorAnswer(req, res, 502);
    }
  }

  function errorAnswer(req: IncomingMessage, res: ServerResponse, status: number): void {
    write(
      req,
      res,
      status,
      { ...CORS_HEADERS, 'x-cache': `Error from ${options.name}`, via },
      Buffer.alloc(0),
    );
  }

  /** A tier without a function (the shield): `/media/…` straight from the cache or the origin. */
  async function handleShieldRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const uri = (req.url ?? '/').split('?')[0] ?? '/';
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !uri.startsWith('/media/')) {
      errorAnswer(req, res, 404);
      return;
    }
    await serveOrFail(req, res, uri);
  }

  async function warm(uris: readonly string[]): Promise<WarmReport> {
    const report: WarmReport = { filled: 0, bytes: 0, alreadyCached: 0, failed: [] };
    const queue = uris.map((uri) => (uri.startsWith('/') ? uri : `/${uri}`));
    const worker = async () => {
      for (let uri = queue.shift(); uri !== undefined; uri = queue.shift()) {
        const cached = cache.get(uri);
        if (cached && isFresh(cached)) {
          report.alreadyCached += 1;
          continue;
        }
        try {
          const { answer, shared } = collapsedFetch(uri);
          const result = await answer;
          if (result.status !== 200 || result.ttlMs === undefined) {
            report.failed.push({ uri, status: result.status });
          } else if (shared) {
            report.alreadyCached += 1;
          } else {
            report.filled += 1;
            report.bytes += result.body.length;
            counters.warmedBytes += result.body.length;
          }
        } catch {
          report.failed.push({ uri, status: 0 });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, queue.length) }, worker));
    return report;
  }

  const stats = (): EdgeStats => ({ ...counters, cachedObjects: cache.size, cachedBytes: cache.bytes });

  async function handleAdmin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const json = (status: number, value: unknown) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        ...CORS_HEADERS,
      });
      res.end(JSON.stringify(value));
    };
    if (req.method === 'GET' && path === '/_edge/stats') return json(200, { name: options.name, ...stats() });
    if (req.method === 'GET' && path === '/_edge/health')
      return json(200, { name: options.name, status: 'ok' });
    if (req.method === 'POST' && path === '/_edge/reset') {
      cache.clear();
      counters = zeroCounters();
      return json(200, { name: options.name, ...stats() });
    }
    if (req.method === 'POST' && path === '/_edge/warm') {
      const body = JSON.parse((await readBody(req)) || '{}') as { uris?: unknown };
      if (!Array.isArray(body.uris) || !body.uris.every((uri) => typeof uri === 'string')) {
        return json(400, { error: { code: 'INVALID_REQUEST', message: 'Expected { "uris": string[] }.' } });
      }
      return json(200, await warm(body.uris as string[]));
    }
    json(404, { error: { code: 'NOT_FOUND', message: `No edge endpoint ${req.method} ${path}.` } });
  }

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    // The health probe is the function's to answer, as on CloudFront; it is not a viewer request.
    const handled =
      path === EDGE_HEALTH_PATH && edgeFunction
        ? handleViewer(req, res, false)
        : path.startsWith('/_edge/')
          ? handleAdmin(req, res, path)
          : handleViewer(req, res);
    handled.catch((error: unknown) => {
      console.error(`[${options.name}] ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(500, CORS_HEADERS);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    name: options.name,
    port,
    url: `http://127.0.0.1:${port}`,
    get stats() {
      return stats();
    },
    warm,
    resetStats() {
      counters = zeroCounters();
    },
    clearCache() {
      cache.clear();
    },
    stop() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };

  function ageOf(entry: CachedObject): number {
    return Math.max(0, Math.floor((clock() - entry.storedAt) / 1000));
  }
}

function missingKvs(name: string): KeyValueReader {
  throw new Error(`The edge ${name} runs the edge function but was given no KeyValueStore.`);
}

function zeroCounters(): Omit<EdgeStats, 'cachedObjects' | 'cachedBytes'> {
  return {
    requests: 0,
    hits: 0,
    misses: 0,
    forbidden: 0,
    errors: 0,
    originBytes: 0,
    servedBytes: 0,
    warmedBytes: 0,
  };
}

/**
 * Seconds a shared cache may keep an answer: `s-maxage` over `max-age`; `undefined` when it
 * must not be stored; `'default'` when the origin said nothing about freshness.
 */
export function cacheTtlSec(cacheControl: string | null): number | 'default' | undefined {
  if (!cacheControl) return 'default';
  const directives = new Map<string, string | undefined>();
  for (const part of cacheControl.split(',')) {
    const [name, value] = part.trim().toLowerCase().split('=', 2) as [string, string | undefined];
    if (name) directives.set(name, value?.replace(/^"|"$/g, ''));
  }
  if (directives.has('no-store') || directives.has('no-cache') || directives.has('private')) return undefined;
  const lifetime = directives.get('s-maxage') ?? directives.get('max-age');
  if (lifetime === undefined) return 'default';
  const seconds = Number.parseInt(lifetime, 10);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/**
 * One `bytes=` range against a body of `size` bytes (RFC 9110 §14.1.2). Several ranges, or a
 * header that is not a byte range, are ignored (the whole body is sent, which the RFC allows).
 */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return undefined;
  return { start, end };
}

/** A Map kept in least-recently-used order, evicting the oldest entries past a byte budget. */
class ByteLru<T extends { body: Buffer }> {
  readonly #budget: number;
  readonly #entries = new Map<string, T>();
  #bytes = 0;

  constructor(budget: number) {
    this.#budget = budget;
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: T): void {
    this.delete(key);
    if (entry.body.length > this.#budget) return;
    this.#entries.set(key, entry);
    this.#bytes += entry.body.length;
    for (const [oldest, old] of this.#entries) {
      if (this.#bytes <= this.#budget) break;
      this.#entries.delete(oldest);
      this.#bytes -= old.body.length;
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.body.length;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
