/**
 * HLS Content Steering: the steering manifest tells a player which pathway (edge) to use, in
 * priority order, and when to ask again. Healthy edges keep their configured order; unhealthy
 * ones go last, so a player moves off a failing edge within one TTL without stopping.
 * https://developer.apple.com/streaming/HLSContentSteeringSpecification.pdf
 */
import { LRUCache } from 'lru-cache';
import type { EdgeHealth, Pathway } from './ports.ts';

/** Seconds a player waits before reloading the steering manifest. */
export const STEERING_TTL_SEC = 10;

/** How long an edge's health answer is reused: one check per edge every 2 s, whatever the traffic. */
export const EDGE_HEALTH_CACHE_MS = 2_000;

/** Edges whose answers are kept at most; far more than any deployment configures. */
export const EDGE_HEALTH_CACHE_MAX = 100;

export interface SteeringManifest {
  readonly VERSION: 1;
  readonly TTL: number;
  readonly 'RELOAD-URI': string;
  readonly 'PATHWAY-PRIORITY': readonly string[];
}

/** Pathway ids, healthy ones first; each group keeps the configured order. */
export function pathwayPriority(
  pathways: readonly Pathway[],
  health: ReadonlyMap<string, boolean>,
): string[] {
  const healthy = pathways.filter((p) => health.get(p.id) === true);
  const unhealthy = pathways.filter((p) => health.get(p.id) !== true);
  return [...healthy, ...unhealthy].map((p) => p.id);
}

export function steeringManifest(
  pathways: readonly Pathway[],
  health: ReadonlyMap<string, boolean>,
  reloadUri: string,
): SteeringManifest {
  return {
    VERSION: 1,
    TTL: STEERING_TTL_SEC,
    'RELOAD-URI': reloadUri,
    'PATHWAY-PRIORITY': pathwayPriority(pathways, health),
  };
}

/**
 * Reuses each edge's answer for `ttlMs`. It lives in module scope: a warm function checks each
 * edge at most once per `ttlMs`, and concurrent requests share one check in flight.
 *
 * The answers sit in an `lru-cache` on the injected clock. lru-cache counts an entry stale once
 * its age *exceeds* its ttl and takes a start time of 0 for "no expiry", so it reads the clock
 * one millisecond on and gets `ttlMs - 1`: on whole milliseconds (`Date.now`), an answer is
 * stale once its age reaches `ttlMs`. `ttlResolution: 0`: its default memo of `now` runs on a
 * real timer.
 */
export function cachingEdgeHealth(
  inner: EdgeHealth,
  options: { readonly now: () => number; readonly ttlMs?: number },
): EdgeHealth {
  const ttlMs = options.ttlMs ?? EDGE_HEALTH_CACHE_MS;
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 2) {
    throw new RangeError(`ttlMs must be a whole number of milliseconds, at least 2, not ${ttlMs}.`);
  }
  const cache = new LRUCache<string, Promise<boolean>>({
    max: EDGE_HEALTH_CACHE_MAX,
    ttl: ttlMs - 1,
    perf: { now: () => Math.floor(options.now()) + 1 },
    ttlResolution: 0,
  });
  return {
    async healthOf(pathways) {
      const answers = new Map<string, Promise<boolean>>();
      const stale: Pathway[] = [];
      for (const p of pathways) {
        const cached = cache.get(p.id);
        if (cached) answers.set(p.id, cached);
        else stale.push(p);
      }
      if (stale.length > 0) {
        const answer = inner.healthOf(stale);
        for (const p of stale) {
          const healthy = answer.then(
            (health) => health.get(p.id) === true,
            () => false,
          );
          cache.set(p.id, healthy);
          answers.set(p.id, healthy);
        }
      }
      const result = new Map<string, boolean>();
      for (const p of pathways) result.set(p.id, (await answers.get(p.id)) ?? false);
      return result;
    },
  };
}
