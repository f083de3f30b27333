/** What an edge counts, for `/_edge/stats`, the benchmarks and the steering tests. */

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

/** The counters the request handlers add to; the cache reports the rest. */
export type EdgeCounters = Omit<EdgeStats, 'cachedObjects' | 'cachedBytes'>;

export function zeroCounters(): EdgeCounters {
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
