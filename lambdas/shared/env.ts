/** One explicit way to read configuration: fail loudly at module load, not mid-request. */
import { type EnvName, tableEnv } from '#contracts/env.ts';
import type { TableId } from '#contracts/tables.ts';

export function requireEnv(name: EnvName): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Environment variable ${name} is not set: the function's stack must provide it.`);
  }
  return value;
}

export function optionalEnv(name: EnvName): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

export function numberEnv(name: EnvName): number {
  const raw = requireEnv(name);
  const value = Number(raw);
  if (!Number.isFinite(value))
    throw new Error(`Environment variable ${name} must be a number, got "${raw}".`);
  return value;
}

/** The physical name of a declared table the function was granted (`tables` in its declaration). */
export function tableName(tableId: TableId): string {
  return requireEnv(tableEnv(tableId));
}
