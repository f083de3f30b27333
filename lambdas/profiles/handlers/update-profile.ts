/** PATCH /v1/profiles/{profileId}: renames a profile or changes its maturity or language. */
import { profileIdSchema } from '#contracts/api/common.ts';
import { updateProfileRequestSchema } from '#contracts/api/profiles.ts';
import { caller } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { httpHandler, json, parseWith, pathParam } from '#shared/http.ts';
import { dynamoProfileStore } from '../adapters/profiles-table.ts';
import { updateProfile } from '../domain/profiles.ts';

const profiles = dynamoProfileStore(tableName('profiles'));
const clock = () => new Date();

export const handler = httpHandler(async ({ event, body }) => {
  const { accountId } = caller(event);
  const profileId = pathParam(event, 'profileId', profileIdSchema);
  const changes = parseWith(updateProfileRequestSchema, body);
  return json(200, await updateProfile({ profiles, clock }, accountId, profileId, changes));
});
