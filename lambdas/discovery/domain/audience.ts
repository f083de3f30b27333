/** Who a discovery answer is for: the viewer's country and, with `?profileId=`, the profile's maturity. */
import type { Maturity } from '#contracts/api/common.ts';
import { NotFoundError } from '#shared/errors.ts';
import type { Audience } from './catalog-view.ts';

export interface ProfileLookup {
  /** The profile if it belongs to the account, else `null`. */
  getProfile(accountId: string, profileId: string): Promise<{ profileId: string; maturity: Maturity } | null>;
}

/** The audience; 404 PROFILE_NOT_FOUND when the profile is not the caller's (another account's looks the same). */
export async function audienceFor(
  profiles: ProfileLookup,
  request: { accountId: string; profileId?: string | undefined; country: string; now: Date },
): Promise<Audience> {
  if (request.profileId === undefined) return { country: request.country, now: request.now };
  const profile = await profiles.getProfile(request.accountId, request.profileId);
  if (!profile)
    throw new NotFoundError('PROFILE_NOT_FOUND', `No profile ${request.profileId} on this account.`);
  return { country: request.country, maturity: profile.maturity, now: request.now };
}
