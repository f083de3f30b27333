/** DELETE /v1/profiles/{profileId}/history/{titleId}: forgets a title (204, also when it was not there). */
import { profileIdSchema, titleIdSchema } from '#contracts/api/common.ts';
import { caller } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { httpHandler, pathParam } from '#shared/http.ts';
import { dynamoHistoryStore } from '../adapters/history-table.ts';
import { lambdaProfileDirectory } from '../adapters/profiles-client.ts';
import { cachingProfileDirectory } from '../domain/cache.ts';
import { forgetTitle } from '../domain/history.ts';

const history = dynamoHistoryStore(tableName('history'));
const profiles = cachingProfileDirectory(lambdaProfileDirectory(), { now: Date.now });

export const handler = httpHandler(async ({ event }) => {
  const who = caller(event);
  const profileId = pathParam(event, 'profileId', profileIdSchema);
  const titleId = pathParam(event, 'titleId', titleIdSchema);
  await forgetTitle({ profiles, history }, { accountId: who.accountId, profileId }, titleId);
  return { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' };
});
