/**
 * A local edge: the stand-in for one CloudFront distribution in front of the media origin, or,
 * without the viewer function, for the Origin Shield between the edges and the origin. This file
 * wires the parts to one HTTP server on 127.0.0.1:
 *
 * - `viewer-requests.ts`: the function (`edge/verify-token.js`, run as CloudFront runs it), then
 *   the cache, then the origin; `viewer-responses.ts`: what goes back (x-cache, Range, CORS).
 * - `edge-cache.ts`: the byte-budget LRU; `cache-rules.ts`: how long an answer is kept;
 *   `origin-fetch.ts`: whole objects from the origin, one fetch per object at a time.
 * - `admin-api.ts`: the local-only `/_edge/…` endpoints; `prepositioning.ts`: `warm()`.
 *
 * `GET /_edge/health` is answered by the function, as on CloudFront, and not counted.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin } from './admin-api.ts';
import { EdgeCache } from './edge-cache.ts';
import { type EdgeStats, zeroCounters } from './edge-stats.ts';
import { EDGE_FUNCTION_FILE, type KeyValueReader, loadEdgeFunction } from './function-runner.ts';
import { OriginFetch } from './origin-fetch.ts';
import { type WarmReport, warm } from './prepositioning.ts';
import { ViewerRequests } from './viewer-requests.ts';
import { CORS_HEADERS, ViewerResponses } from './viewer-responses.ts';

export type { EdgeStats } from './edge-stats.ts';
export type { WarmReport } from './prepositioning.ts';

export interface EdgeOptions {
  /** Names the edge in `x-cache` and `via`, e.g. 'edge-a'. */
  name: string;
  /** 0 picks a free port. */
  port: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Base URL of the origin that serves `/media/…` and `/artwork/…` (the local media origin). */
  originUrl: string;
  /** The KeyValueStore the function reads keys and revocations from (not needed without a function). */
  kvs?: KeyValueReader;
  /**
   * Run the edge token function on viewer requests. `false` makes a plain caching tier: the
   * stand-in for CloudFront's Origin Shield between the edges and the origin, which serves
   * `/media/…` as asked. @default true
   */
  viewerFunction?: boolean;
  /** LRU budget of the memory cache, a positive number of bytes. @default 512 MiB */
  cacheBytes?: number;
  /** TTL of an origin answer without a lifetime. @default 86400 (CloudFront's default TTL) */
  defaultTtlSec?: number;
  /** @default the edge token function */
  functionFile?: string;
  /** Milliseconds, for cache freshness and the function's `Date.now()`. @default Date.now */
  clock?: () => number;
  /** Origin fetch timeout. @default 30 s (CloudFront's default origin response timeout) */
  originTimeoutMs?: number;
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

const DEFAULT_CACHE_BYTES = 512 * 1024 * 1024;
/** Answered by the edge function itself (the steering endpoint's probe). */
const EDGE_HEALTH_PATH = '/_edge/health';

export async function startEdge(options: EdgeOptions): Promise<LocalEdge> {
  const clock = options.clock ?? Date.now;
  const edgeFunction =
    options.viewerFunction === false
      ? undefined
      : loadEdgeFunction({
          kvs: options.kvs ?? missingKvs(options.name),
          file: options.functionFile ?? EDGE_FUNCTION_FILE,
          clock,
        });
  const counters = zeroCounters();
  const cache = new EdgeCache({ maxBytes: options.cacheBytes ?? DEFAULT_CACHE_BYTES, clock });
  const origin = new OriginFetch({
    originUrl: options.originUrl,
    defaultTtlSec: options.defaultTtlSec ?? 86_400,
    timeoutMs: options.originTimeoutMs ?? 30_000,
    cache,
  });
  const responses = new ViewerResponses({ name: options.name, counters });
  const viewers = new ViewerRequests({
    name: options.name,
    edgeFunction,
    cache,
    origin,
    responses,
    counters,
  });

  const stats = (): EdgeStats => ({ ...counters, cachedObjects: cache.objects, cachedBytes: cache.bytes });
  const resetStats = (): void => {
    Object.assign(counters, zeroCounters());
  };
  const warmCache = (uris: readonly string[]) => warm(uris, { cache, origin, counters });
  const admin = {
    name: options.name,
    stats,
    reset() {
      cache.clear();
      resetStats();
    },
    warm: warmCache,
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    // The health probe is the function's to answer, as on CloudFront; it is not a viewer request.
    const handled =
      path === EDGE_HEALTH_PATH && edgeFunction
        ? viewers.handle(req, res, false)
        : path.startsWith('/_edge/')
          ? handleAdmin(req, res, path, admin)
          : viewers.handle(req, res);
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
    warm: warmCache,
    resetStats,
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
}

function missingKvs(name: string): KeyValueReader {
  throw new Error(`The edge ${name} runs the edge function but was given no KeyValueStore.`);
}
