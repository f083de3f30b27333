/** The profiles service through its internal function (`profilesInternal`). */
import { getProfile } from '#shared/services.ts';
import type { ProfileDirectory } from '../domain/ports.ts';

export function profilesService(): ProfileDirectory {
  return {
    maturityOf: async (accountId, profileId) => (await getProfile(accountId, profileId))?.maturity,
  };
}
