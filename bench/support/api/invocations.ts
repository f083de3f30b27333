/**
 * The platform's Lambda invocations, counted by function id: routes, the authorizer (cache
 * misses) and internal calls between services all go through `platform.lambda.invoke`. Observed,
 * never altered: a warm run shows the route's function only.
 */
import type { Platform } from '#local/platform.ts';

export type InvocationCounts = Record<string, number>;

/** Starts counting; the answer reads the counts so far. */
export function countInvocations(platform: Platform): () => InvocationCounts {
  const counts: InvocationCounts = {};
  const invoke = platform.lambda.invoke.bind(platform.lambda);
  platform.lambda.invoke = (arnOrName, event) => {
    const id = platform.lambda.find(arnOrName)?.functionId ?? arnOrName;
    counts[id] = (counts[id] ?? 0) + 1;
    return invoke(arnOrName, event);
  };
  return () => ({ ...counts });
}

/** Adds to `into` the invocations made between the `before` and `after` readings. */
export function addCounts(into: InvocationCounts, before: InvocationCounts, after: InvocationCounts): void {
  for (const [id, n] of Object.entries(after)) {
    const since = n - (before[id] ?? 0);
    if (since > 0) into[id] = (into[id] ?? 0) + since;
  }
}

/** Calls between services (`profilesInternal`, `catalogInternal`, …): a cache entry was missing. */
export function internalCalls(counts: InvocationCounts): number {
  return Object.entries(counts).reduce((sum, [id, n]) => sum + (id.endsWith('Internal') ? n : 0), 0);
}
