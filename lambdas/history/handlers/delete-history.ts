/** DELETE /v1/profiles/{profileId}/history/{titleId}: forgets a title (204, also when it was not there). */
import { tableName } from '#shared/env.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { dynamoHistoryStore } from '../adapters/history-table.ts';
import { lambdaProfileDirectory } from '../adapters/profiles-client.ts';
import { cachingProfileDirectory } from '../domain/cache.ts';
import { forgetTitle } from '../domain/history.ts';

const deps = {
  history: dynamoHistoryStore(tableName('history')),
  profiles: cachingProfileDirectory(lambdaProfileDirectory(), { now: Date.now }),
};

export const handler = routeHandler('deleteHistory', async ({ caller, params }) => {
  await forgetTitle(deps, { accountId: caller.accountId, profileId: params.profileId }, params.titleId);
  return undefined;
});
