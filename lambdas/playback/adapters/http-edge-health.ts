/**
 * Edge health over HTTP: `GET <edge>/_edge/health` on every edge at once, healthy when it answers
 * 2xx within the timeout. The local edges serve the path themselves; on AWS the edge function
 * answers it at the distribution, so the check covers the way viewers reach the edge.
 */
import type { EdgeHealth } from '../domain/ports.ts';

/** Path each edge answers its health on. */
export const EDGE_HEALTH_PATH = '/_edge/health';

/** An edge slower than this counts as unhealthy: players would stall on it too. */
export const EDGE_HEALTH_TIMEOUT_MS = 300;

export function httpEdgeHealth(options: { readonly timeoutMs?: number } = {}): EdgeHealth {
  const timeoutMs = options.timeoutMs ?? EDGE_HEALTH_TIMEOUT_MS;
  return {
    async healthOf(pathways) {
      const answers = await Promise.all(
        pathways.map(async (pathway) => {
          try {
            const response = await fetch(`${pathway.baseUrl}${EDGE_HEALTH_PATH}`, {
              signal: AbortSignal.timeout(timeoutMs),
              headers: { accept: 'application/json' },
            });
            // Drain the body so the connection can be reused.
            await response.arrayBuffer();
            return [pathway.id, response.ok] as const;
          } catch {
            return [pathway.id, false] as const;
          }
        }),
      );
      return new Map(answers);
    },
  };
}
