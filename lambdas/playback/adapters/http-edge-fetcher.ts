/**
 * Fetches through an edge as a player would (prepositioning): a GET, the whole body read so the
 * edge caches the object, and the edge's verdict from `x-cache` (`Hit from cloudfront`,
 * `Miss from edge-a`, `RefreshHit …`).
 */
import type { EdgeFetcher } from '../domain/preposition.ts';

/** Longest wait for one object; CloudFront's own origin timeout is 30 s. */
const REQUEST_TIMEOUT_MS = 30_000;

export function httpEdgeFetcher(): EdgeFetcher {
  return {
    async get(url) {
      const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const body = await response.arrayBuffer();
      const verdict = (response.headers.get('x-cache') ?? '').split(' ')[0]?.toLowerCase();
      const cache =
        verdict === 'miss' ? 'miss' : verdict === 'hit' || verdict === 'refreshhit' ? 'hit' : 'unknown';
      return { status: response.status, bytes: body.byteLength, cache };
    },
  };
}
