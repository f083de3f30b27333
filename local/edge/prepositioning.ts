/**
 * Prepositioning: objects fetched into an edge's cache before any viewer asks, without a token
 * and off the viewers' counters (`docs/prepositioning.md`).
 */
import type { EdgeCache } from './edge-cache.ts';
import type { EdgeCounters } from './edge-stats.ts';
import { isCacheable, type OriginFetch } from './origin-fetch.ts';

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

/** Origin fetches at a time. */
const WARM_CONCURRENCY = 8;

/** Fetches `uris` (`/media/…` or `media/…`) into `cache` through `origin`. */
export async function warm(
  uris: readonly string[],
  { cache, origin, counters }: { cache: EdgeCache; origin: OriginFetch; counters: EdgeCounters },
): Promise<WarmReport> {
  const report: WarmReport = { filled: 0, bytes: 0, alreadyCached: 0, failed: [] };
  const queue = uris.map((uri) => (uri.startsWith('/') ? uri : `/${uri}`));
  const worker = async () => {
    for (let uri = queue.shift(); uri !== undefined; uri = queue.shift()) {
      const cached = cache.get(uri);
      if (cached && cache.isFresh(cached)) {
        report.alreadyCached += 1;
        continue;
      }
      try {
        const { answer, shared } = origin.collapsed(uri);
        const result = await answer;
        if (!isCacheable(result)) {
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
  await Promise.all(Array.from({ length: Math.min(WARM_CONCURRENCY, queue.length) }, worker));
  return report;
}
