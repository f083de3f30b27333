/**
 * Ports a host may put in place of an AWS service before it loads a handler. The embedded
 * platform's Lambda worker registers its local stand-ins here (its `lambda/stand-ins.ts`: the
 * local edges' KeyValueStore for the functions that revoke sessions), so Lambda code uses them
 * without importing local code, and no AWS bundle can contain it. On AWS nothing is registered
 * and each adapter talks to its service.
 */

/** The ports a host can stand in for, by name. */
export type StandInName = 'edgeKeyValueStore';

const REGISTRY = Symbol.for('showrunner.stand-ins');

function registry(): Map<StandInName, unknown> {
  const global = globalThis as { [REGISTRY]?: Map<StandInName, unknown> };
  global[REGISTRY] ??= new Map();
  return global[REGISTRY];
}

/** The host's stand-in for a port, if it registered one; the caller names the port's type. */
export function standIn<T>(name: StandInName): T | undefined {
  return registry().get(name) as T | undefined;
}

/** For hosts (the local platform, tests): `value` stands in for `name` from now on. */
export function registerStandIn<T>(name: StandInName, value: T): void {
  registry().set(name, value);
}
