/** The service's configuration, read once at module load (a bad value fails the cold start). */
import { DEFAULT_GRACE_PERIOD_DAYS } from '#contracts/api/subscriptions.ts';
import { ENV } from '#contracts/env.ts';
import { optionalEnv } from '#shared/env.ts';

/** Days a PAST_DUE subscription may still play: `ENV.GRACE_PERIOD_DAYS`, else the default. */
export function gracePeriodDays(): number {
  const raw = optionalEnv(ENV.GRACE_PERIOD_DAYS);
  if (raw === undefined) return DEFAULT_GRACE_PERIOD_DAYS;
  const days = Number(raw);
  if (!Number.isFinite(days) || days < 0) {
    throw new Error(
      `Environment variable ${ENV.GRACE_PERIOD_DAYS} must be a number of days >= 0, got "${raw}".`,
    );
  }
  return days;
}
