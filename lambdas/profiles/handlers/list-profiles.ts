/** GET /v1/profiles: the caller's profiles, oldest first. */
import { emptySchema } from '#contracts/api/common.ts';
import { caller } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { httpHandler, json, queryWith } from '#shared/http.ts';
import { dynamoProfileStore } from '../adapters/profiles-table.ts';
import { listProfiles } from '../domain/profiles.ts';

const profiles = dynamoProfileStore(tableName('profiles'));

export const handler = httpHandler(async ({ event }) => {
  const { accountId } = caller(event);
  queryWith(event, emptySchema);
  return json(200, { items: await listProfiles({ profiles }, accountId) });
});
