/**
 * Typed calls to the other services' internal functions, in one place. Each service adapts
 * these to its own domain port (`ProfileDirectory`, `TitleDirectory`, …); the function's
 * declaration must list the callee in `invokes`.
 */
import type { Maturity } from '#contracts/api/common.ts';
import {
  catalogInternalResponseSchema,
  type Entitlement,
  entitlementSchema,
  type ProfilesInternalResponse,
  profilesInternalResponseSchema,
  resumePositionSchema,
  type TitleFacts,
} from '#contracts/internal.ts';
import { invokeInternal } from './invoke.ts';

/** The profile if it belongs to the account, else `null`. */
export async function getProfile(
  accountId: string,
  profileId: string,
): Promise<ProfilesInternalResponse['profile']> {
  const { profile } = await invokeInternal(
    'profilesInternal',
    { op: 'getProfile', accountId, profileId },
    profilesInternalResponseSchema,
  );
  return profile;
}

/** The titles visible in `country` now (and allowed for `maturity`); invisible ones are left out. */
export async function describeTitles(
  titleIds: readonly string[],
  country: string,
  maturity?: Maturity,
): Promise<TitleFacts[]> {
  if (titleIds.length === 0) return [];
  const { titles } = await invokeInternal(
    'catalogInternal',
    { op: 'describeTitles', titleIds: [...titleIds], country, maturity },
    catalogInternalResponseSchema,
  );
  return titles;
}

/** The next visible episode after `titleId` in its series, if any. */
export async function nextEpisode(
  titleId: string,
  country: string,
  maturity?: Maturity,
): Promise<TitleFacts | undefined> {
  const { titles } = await invokeInternal(
    'catalogInternal',
    { op: 'nextEpisode', titleId, country, maturity },
    catalogInternalResponseSchema,
  );
  return titles[0];
}

/** Any title, regardless of its windows (admin flows). */
export async function titleForAdmin(titleId: string): Promise<TitleFacts | undefined> {
  const { titles } = await invokeInternal(
    'catalogInternal',
    { op: 'getTitleForAdmin', titleId },
    catalogInternalResponseSchema,
  );
  return titles[0];
}

/** What the account may play now. */
export function getEntitlement(accountId: string): Promise<Entitlement> {
  return invokeInternal('subscriptionsInternal', { op: 'getEntitlement', accountId }, entitlementSchema);
}

/** Where the profile left off in the title (0: from the start). */
export async function resumePosition(accountId: string, profileId: string, titleId: string): Promise<number> {
  const { positionSec } = await invokeInternal(
    'historyInternal',
    { op: 'resumePosition', accountId, profileId, titleId },
    resumePositionSchema,
  );
  return positionSec;
}
