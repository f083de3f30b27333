/** The profiles service, asked through its internal function (`profilesInternal`). */
import { profilesInternalResponseSchema } from '#contracts/internal.ts';
import { invokeInternal } from '#shared/invoke.ts';
import type { ProfileDirectory } from '../domain/ports.ts';

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
