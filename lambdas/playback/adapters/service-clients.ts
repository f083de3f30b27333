/**
 * The profiles, catalog and subscriptions services, asked through their internal functions
 * (Lambda `Invoke`, scoped by `invokes` in the function's declaration).
 */
import {
  catalogInternalResponseSchema,
  entitlementSchema,
  profilesInternalResponseSchema,
} from '#contracts/internal.ts';
import { invokeInternal } from '#shared/invoke.ts';
import type { EntitlementSource, ProfileDirectory, TitleDirectory } from '../domain/ports.ts';

export function lambdaProfileDirectory(): ProfileDirectory {
  return {
    async getProfile(accountId, profileId) {
      const { profile } = await invokeInternal(
        'profilesInternal',
        { op: 'getProfile', accountId, profileId },
        profilesInternalResponseSchema,
      );
      return profile;
    },
  };
}

export function lambdaTitleDirectory(): TitleDirectory {
  return {
    async describeTitles(titleIds, country, maturity) {
      if (titleIds.length === 0) return [];
      const { titles } = await invokeInternal(
        'catalogInternal',
        { op: 'describeTitles', titleIds: [...titleIds], country, maturity },
        catalogInternalResponseSchema,
      );
      return titles;
    },
  };
}

export function lambdaEntitlements(): EntitlementSource {
  return {
    getEntitlement: (accountId) =>
      invokeInternal('subscriptionsInternal', { op: 'getEntitlement', accountId }, entitlementSchema),
  };
}
