/**
 * Fills every execution environment's module-scope caches (the profile, the titles) and the
 * gateway's authorizer cache before an endpoint is measured, judged by the internal calls the
 * platform makes.
 */
import type { BenchTitle } from './fixtures.ts';
import { addCounts, type InvocationCounts, internalCalls } from './invocations.ts';

/** Execution environments per function in the local runtime (`maxConcurrency` in local/lambda/runtime.ts). */
const ENVIRONMENTS_PER_FUNCTION = 4;
const MAX_WARM_PASSES = 5;

/**
 * Each pass sends, per title, as many simultaneous requests as the function has environments,
 * so each environment serves one; passes repeat until one makes no internal call. Returns the
 * passes it took.
 */
export async function warmCaches(
  titles: readonly BenchTitle[],
  send: (title: BenchTitle) => Promise<unknown>,
  invocations: () => InvocationCounts,
  log: (message: string) => void,
): Promise<number> {
  for (let pass = 1; pass <= MAX_WARM_PASSES; pass += 1) {
    const before = invocations();
    for (const title of titles) {
      await Promise.all(Array.from({ length: ENVIRONMENTS_PER_FUNCTION }, () => send(title)));
    }
    const made: InvocationCounts = {};
    addCounts(made, before, invocations());
    if (internalCalls(made) === 0) return pass;
  }
  log(`caches still missing after ${MAX_WARM_PASSES} passes: the run will include internal calls`);
  return MAX_WARM_PASSES;
}
