/**
 * The benches' knobs: positive integers read from the environment once, at start-up, so a typo
 * fails before anything is started.
 */

/** `name` as a positive integer, or `undefined` when it is unset or empty. */
export function optionalPositiveIntEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, not "${raw}".`);
  return value;
}

/** `name` as a positive integer, `fallback` when it is unset or empty. */
export function positiveIntEnv(name: string, fallback: number): number {
  return optionalPositiveIntEnv(name) ?? fallback;
}
