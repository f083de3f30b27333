/** DELETE /v1/profiles/{profileId}: removes a profile and frees its slot. */
import { tableName } from '#shared/env.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { dynamoProfileStore } from '../adapters/profiles-table.ts';
import { deleteProfile } from '../domain/profiles.ts';

const deps = { profiles: dynamoProfileStore(tableName('profiles')) };

export const handler = routeHandler('deleteProfile', async ({ caller, params }) => {
  await deleteProfile(deps, caller.accountId, params.profileId);
  return undefined;
});
