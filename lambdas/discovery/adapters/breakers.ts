/**
 * Circuit breakers of the home page's dependencies (cockatiel), one per dependency and execution
 * environment, as Hystrix keeps one per instance: each call has a timeout; after
 * `failuresToOpen` consecutive failures the breaker opens and calls fail at once (no waiting on
 * a sick dependency) until `halfOpenAfterMs` has passed, when one trial call decides.
 * https://github.com/connor4312/cockatiel#circuitbreaker
 */
import {
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
  isBrokenCircuitError,
  isTaskCancelledError,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import type { Guard, GuardedDependency } from '../domain/home.ts';

export interface BreakerOptions {
  /** Longest a call may take. */
  readonly timeoutMs: number;
  /** Consecutive failures that open the breaker. */
  readonly failuresToOpen: number;
  /** How long it stays open before a trial call. */
  readonly halfOpenAfterMs: number;
}

export const HOME_BREAKER_OPTIONS: BreakerOptions = {
  timeoutMs: 2500,
  failuresToOpen: 3,
  halfOpenAfterMs: 15_000,
};

export function breakerGuard(options: BreakerOptions = HOME_BREAKER_OPTIONS): Guard {
  const policies = new Map<GuardedDependency, ReturnType<typeof policyFor>>();
  function policyFor() {
    return wrap(
      circuitBreaker(handleAll, {
        halfOpenAfter: options.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(options.failuresToOpen),
      }),
      // Aggressive: the page stops waiting at the deadline, whatever the call does after it.
      timeout(options.timeoutMs, TimeoutStrategy.Aggressive),
    );
  }
  return async (dependency, call) => {
    let policy = policies.get(dependency);
    if (!policy) {
      policy = policyFor();
      policies.set(dependency, policy);
    }
    try {
      return { ok: true, value: await policy.execute(() => call()) };
    } catch (error) {
      if (isBrokenCircuitError(error)) return { ok: false, cause: 'OPEN', error };
      if (isTaskCancelledError(error)) return { ok: false, cause: 'TIMEOUT', error };
      return { ok: false, cause: 'ERROR', error };
    }
  };
}
