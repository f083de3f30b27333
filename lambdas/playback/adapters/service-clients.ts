/**
 * The profiles, catalog and subscriptions services, asked through their internal functions
 * (Lambda `Invoke`, scoped by `invokes` in the function's declaration).
 */
import { describeTitles, getEntitlement, getProfile } from '#shared/services.ts';
import type { EntitlementSource, ProfileDirectory, TitleDirectory } from '../domain/ports.ts';

export function lambdaProfileDirectory(): ProfileDirectory {
  return { getProfile };
}

export function lambdaTitleDirectory(): TitleDirectory {
  return { describeTitles };
}

export function lambdaEntitlements(): EntitlementSource {
  return { getEntitlement };
}
