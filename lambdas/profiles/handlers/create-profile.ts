/** POST /v1/profiles: adds a profile; the sixth is refused with 409 PROFILE_LIMIT_REACHED. */
import { randomUUID } from 'node:crypto';
import { tableName } from '#shared/env.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { dynamoProfileStore } from '../adapters/profiles-table.ts';
import { createProfile } from '../domain/profiles.ts';

const deps = {
  profiles: dynamoProfileStore(tableName('profiles')),
  clock: () => new Date(),
  ids: randomUUID,
};

export const handler = routeHandler('createProfile', async ({ caller, body }) =>
  createProfile(deps, caller.accountId, body),
);
