/** GET /v1/profiles/{profileId}/history: what the profile watched, newest first, by pages. */
import { viewerCountry } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { lambdaTitleDirectory } from '../adapters/catalog-client.ts';
import { dynamoHistoryStore } from '../adapters/history-table.ts';
import { lambdaProfileDirectory } from '../adapters/profiles-client.ts';
import { cachingProfileDirectory, cachingTitleDirectory } from '../domain/cache.ts';
import { listHistory } from '../domain/history.ts';

const deps = {
  history: dynamoHistoryStore(tableName('history')),
  profiles: cachingProfileDirectory(lambdaProfileDirectory(), { now: Date.now }),
  titles: cachingTitleDirectory(lambdaTitleDirectory(), { now: Date.now }),
};

export const handler = routeHandler('listHistory', async ({ caller, params, query, event }) =>
  listHistory(
    deps,
    { accountId: caller.accountId, profileId: params.profileId, country: viewerCountry(event, caller) },
    { limit: query.limit, cursor: query.cursor },
  ),
);
