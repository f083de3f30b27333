/**
 * HLS Content Steering: the steering manifest tells a player which pathway (edge) to use, in
 * priority order, and when to ask again. Healthy edges keep their configured order; unhealthy
 * ones go last, so a player moves off a failing edge within one TTL without stopping.
 * https://developer.apple.com/streaming/HLSContentSteeringSpecification.pdf
 */
import type { EdgeHealth, Pathway } from './ports.ts';

/** Seconds a player waits before reloading the steering manifest. */
export const STEERING_TTL_SEC = 10;

/** How long an edge's health answer is reused: one check per edge every 2 s, whatever the traffic. */
export const EDGE_HEALTH_CACHE_MS = 2_000;

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
 */
export function cachingEdgeHealth(
  inner: EdgeHealth,
  options: { readonly now: () => number; readonly ttlMs?: number },
): EdgeHealth {
  const ttlMs = options.ttlMs ?? EDGE_HEALTH_CACHE_MS;
  const cache = new Map<string, { healthy: Promise<boolean>; until: number }>();
  return {
    async healthOf(pathways) {
      const now = options.now();
      const stale = pathways.filter((p) => {
        const entry = cache.get(p.id);
        return !entry || entry.until <= now;
      });
      if (stale.length > 0) {
        const answer = inner.healthOf(stale);
        for (const p of stale) {
          cache.set(p.id, {
            healthy: answer.then(
              (health) => health.get(p.id) === true,
              () => false,
            ),
            until: now + ttlMs,
          });
        }
      }
      const result = new Map<string, boolean>();
      for (const p of pathways) result.set(p.id, (await cache.get(p.id)?.healthy) ?? false);
      return result;
    },
  };
}
