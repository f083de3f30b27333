/**
 * Small in-memory caches for answers of other services. They live in module scope, so a warm
 * Lambda environment asks `profilesInternal` and `catalogInternal` about a profile or a title
 * once a minute instead of on every heartbeat (the hottest route). Only positive answers are
 * kept: a profile just created or a title just licensed shows up at once.
 */
import { LRUCache } from 'lru-cache';
import type { Maturity } from '#contracts/api/common.ts';
import type { TitleFacts } from '#contracts/internal.ts';
import type { ProfileDirectory, ProfileFacts, TitleDirectory } from './ports.ts';

/** How long an answer is trusted. A renamed profile or a changed rating shows within this. */
export const CACHE_TTL_MS = 60_000;
/** Bounds the memory of a long-lived environment; the least recently used entries go first. */
export const CACHE_MAX_ENTRIES = 5_000;

export interface CacheOptions {
  /** Milliseconds since the epoch, now (whole milliseconds, as `Date.now`). */
  readonly now: () => number;
  /** A whole number of milliseconds, at least 2. @default CACHE_TTL_MS */
  readonly ttlMs?: number;
  /** @default CACHE_MAX_ENTRIES */
  readonly maxEntries?: number;
}

export interface ExpiringCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
}

/**
 * An `lru-cache` whose entries expire once their age reaches `ttlMs` on the injected clock.
 *
 * lru-cache counts an entry stale once its age *exceeds* its ttl, and takes a start time of 0
 * for "no expiry". So it reads our clock one millisecond on (a test clock may start at 0) and
 * gets `ttlMs - 1`: on whole milliseconds, `age > ttlMs - 1` is `age >= ttlMs`. It reads the
 * clock on every check (`ttlResolution: 0`): its default memo of `now` runs on a real timer.
 */
export function expiringCache<V extends {}>(options: CacheOptions): ExpiringCache<V> {
  const ttlMs = options.ttlMs ?? CACHE_TTL_MS;
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 2) {
    throw new RangeError(`ttlMs must be a whole number of milliseconds, at least 2, not ${ttlMs}.`);
  }
  return new LRUCache<string, V>({
    max: options.maxEntries ?? CACHE_MAX_ENTRIES,
    ttl: ttlMs - 1,
    perf: { now: () => Math.floor(options.now()) + 1 },
    ttlResolution: 0,
  });
}

/** Remembers which profiles belong to which account (not the absence of one). */
export function cachingProfileDirectory(
  directory: ProfileDirectory,
  options: CacheOptions,
): ProfileDirectory {
  const cache = expiringCache<ProfileFacts>(options);
  return {
    async getProfile(accountId, profileId) {
      const key = `${accountId}#${profileId}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const profile = await directory.getProfile(accountId, profileId);
      if (profile) cache.set(key, profile);
      return profile;
    },
  };
}

/**
 * Remembers the facts of titles visible for a country and maturity; asks the catalog only about
 * the others, in one call. `nextEpisode` is not cached: it is asked for far less often.
 */
export function cachingTitleDirectory(titles: TitleDirectory, options: CacheOptions): TitleDirectory {
  const cache = expiringCache<TitleFacts>(options);
  const keyOf = (titleId: string, country: string, maturity: Maturity) => `${country}|${maturity}|${titleId}`;
  return {
    async describeTitles(titleIds, country, maturity) {
      const known = new Map<string, TitleFacts>();
      const missing: string[] = [];
      for (const id of new Set(titleIds)) {
        const cached = cache.get(keyOf(id, country, maturity));
        if (cached) known.set(id, cached);
        else missing.push(id);
      }
      if (missing.length > 0) {
        for (const facts of await titles.describeTitles(missing, country, maturity)) {
          cache.set(keyOf(facts.titleId, country, maturity), facts);
          known.set(facts.titleId, facts);
        }
      }
      return [...new Set(titleIds)].flatMap((id) => {
        const facts = known.get(id);
        return facts ? [facts] : [];
      });
    },
    nextEpisode: (titleId, country, maturity) => titles.nextEpisode(titleId, country, maturity),
  };
}
