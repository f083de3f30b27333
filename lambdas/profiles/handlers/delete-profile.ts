/** DELETE /v1/profiles/{profileId}: removes a profile and frees its slot. */
import { profileIdSchema } from '#contracts/api/common.ts';
import { caller } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { httpHandler, pathParam } from '#shared/http.ts';
import { dynamoProfileStore } from '../adapters/profiles-table.ts';
import { deleteProfile } from '../domain/profiles.ts';

const profiles = dynamoProfileStore(tableName('profiles'));

export const handler = httpHandler(async ({ event }) => {
  const { accountId } = caller(event);
  const profileId = pathParam(event, 'profileId', profileIdSchema);
  await deleteProfile({ profiles }, accountId, profileId);
  return { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' };
});
