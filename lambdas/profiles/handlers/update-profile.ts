/** PATCH /v1/profiles/{profileId}: renames a profile or changes its maturity or language. */
import { tableName } from '#shared/env.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { dynamoProfileStore } from '../adapters/profiles-table.ts';
import { updateProfile } from '../domain/profiles.ts';

const deps = { profiles: dynamoProfileStore(tableName('profiles')), clock: () => new Date() };

export const handler = routeHandler('updateProfile', async ({ caller, params, body }) =>
  updateProfile(deps, caller.accountId, params.profileId, body),
);
