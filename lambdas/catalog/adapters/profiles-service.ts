/** The profiles service through its internal function (`profilesInternal`). */
import { profilesInternalResponseSchema } from '#contracts/internal.ts';
import { invokeInternal } from '#shared/invoke.ts';
import type { ProfileDirectory } from '../domain/ports.ts';

export function profilesService(): ProfileDirectory {
  return {
    async maturityOf(accountId, profileId) {
      const { profile } = await invokeInternal(
        'profilesInternal',
        { op: 'getProfile', accountId, profileId },
        profilesInternalResponseSchema,
      );
      return profile?.maturity;
    },
  };
}
