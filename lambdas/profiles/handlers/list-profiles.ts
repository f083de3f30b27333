/** GET /v1/profiles: the caller's profiles, oldest first. */
import { tableName } from '#shared/env.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { dynamoProfileStore } from '../adapters/profiles-table.ts';
import { listProfiles } from '../domain/profiles.ts';

const deps = { profiles: dynamoProfileStore(tableName('profiles')) };

export const handler = routeHandler('listProfiles', async ({ caller }) => ({
  items: await listProfiles(deps, caller.accountId),
}));
