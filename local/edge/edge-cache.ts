/**
 * An edge's memory cache: whole objects by URI, least recently used evicted past a byte budget
 * (`lru-cache`). Freshness is kept on each object against the edge's clock rather than as an
 * `lru-cache` TTL, because a stale object must stay for revalidation (`If-None-Match`) and its
 * `Age` is counted from when it was stored.
 */
import { LRUCache } from 'lru-cache';

export interface CachedObject {
  /** The origin headers the edge keeps and passes on. */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** Edge clock, milliseconds. */
  readonly storedAt: number;
  readonly ttlMs: number;
}

export interface EdgeCacheOptions {
  /** The byte budget of the bodies. */
  maxBytes: number;
  /** Milliseconds. */
  clock: () => number;
}

export class EdgeCache {
  readonly #objects: LRUCache<string, CachedObject>;
  readonly #clock: () => number;

  constructor(options: EdgeCacheOptions) {
    this.#clock = options.clock;
    this.#objects = new LRUCache({
      maxSize: options.maxBytes,
      // lru-cache sizes must be positive: an empty object counts as one byte.
      sizeCalculation: (object) => Math.max(1, object.body.length),
    });
  }

  /** Number of objects held, fresh or stale. */
  get objects(): number {
    return this.#objects.size;
  }

  /** Their body bytes. */
  get bytes(): number {
    return this.#objects.calculatedSize;
  }

  /** The object, fresh or stale, now the most recently used. */
  get(uri: string): CachedObject | undefined {
    return this.#objects.get(uri);
  }

  /** Stores `body` from now on for `ttlMs`; an object larger than the budget is not kept. */
  store(uri: string, object: { headers: Record<string, string>; body: Buffer; ttlMs: number }): CachedObject {
    const stored = { ...object, storedAt: this.#clock() };
    this.#objects.set(uri, stored);
    return stored;
  }

  isFresh(object: CachedObject): boolean {
    return this.#clock() - object.storedAt < object.ttlMs;
  }

  /** Whole seconds since the object was stored (the `Age` header). */
  ageSec(object: CachedObject): number {
    return Math.max(0, Math.floor((this.#clock() - object.storedAt) / 1000));
  }

  clear(): void {
    this.#objects.clear();
  }
}
