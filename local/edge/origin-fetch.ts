/**
 * An edge's way to its origin: whole objects (never a range), the headers it keeps, the TTL the
 * cache rules give them, and request collapsing: concurrent misses for one object share one
 * origin fetch, as on CloudFront, and a cacheable answer is stored once for all of them.
 */
import { cacheTtlSec } from './cache-rules.ts';
import type { EdgeCache } from './edge-cache.ts';

export interface OriginAnswer {
  status: number;
  /** The kept headers (`KEPT_HEADERS`). */
  headers: Record<string, string>;
  body: Buffer;
  /** `undefined`: must not be stored. */
  ttlMs: number | undefined;
}

export interface OriginFetchOptions {
  /** Base URL that serves `/media/…` and `/artwork/…`. */
  originUrl: string;
  /** TTL of an answer that gives no lifetime. */
  defaultTtlSec: number;
  timeoutMs: number;
  /** Where cacheable answers go. */
  cache: EdgeCache;
}

/** Origin headers an edge passes on and keeps with a cached object. */
const KEPT_HEADERS = ['content-type', 'cache-control', 'etag', 'last-modified', 'content-encoding'] as const;

export class OriginFetch {
  readonly #originUrl: string;
  readonly #defaultTtlSec: number;
  readonly #timeoutMs: number;
  readonly #cache: EdgeCache;
  readonly #inflight = new Map<string, Promise<OriginAnswer>>();

  constructor(options: OriginFetchOptions) {
    this.#originUrl = options.originUrl.replace(/\/+$/, '');
    this.#defaultTtlSec = options.defaultTtlSec;
    this.#timeoutMs = options.timeoutMs;
    this.#cache = options.cache;
  }

  /** One request to the origin, conditional when `etag` is given; rejects when it is unreachable. */
  async fetch(uri: string, etag?: string): Promise<OriginAnswer> {
    const response = await fetch(`${this.#originUrl}${uri}`, {
      headers: etag ? { 'if-none-match': etag } : {},
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    const body = Buffer.from(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    const ttlSec = cacheTtlSec(response.headers.get('cache-control'), this.#defaultTtlSec);
    return {
      status: response.status,
      headers,
      body,
      ttlMs: ttlSec === undefined ? undefined : ttlSec * 1000,
    };
  }

  /**
   * Fetches `uri` into the cache, or joins the fetch already under way for it (`shared`): one
   * origin fetch per object at a time.
   */
  collapsed(uri: string): { answer: Promise<OriginAnswer>; shared: boolean } {
    const pending = this.#inflight.get(uri);
    if (pending) return { answer: pending, shared: true };
    const answer = this.fetch(uri).then((result) => {
      this.storeIfCacheable(uri, result);
      return result;
    });
    this.#inflight.set(uri, answer);
    const forget = () => this.#inflight.delete(uri);
    answer.then(forget, forget);
    return { answer, shared: false };
  }

  storeIfCacheable(uri: string, answer: OriginAnswer): void {
    if (isCacheable(answer))
      this.#cache.store(uri, { headers: answer.headers, body: answer.body, ttlMs: answer.ttlMs });
  }
}

/** A 200 the cache rules let an edge keep. */
export function isCacheable(answer: OriginAnswer): answer is OriginAnswer & { ttlMs: number } {
  return answer.status === 200 && answer.ttlMs !== undefined;
}
