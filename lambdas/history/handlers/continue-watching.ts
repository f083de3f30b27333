/** GET /v1/profiles/{profileId}/continue-watching: titles to resume and next episodes. */
import { viewerCountry } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { lambdaTitleDirectory } from '../adapters/catalog-client.ts';
import { dynamoHistoryStore } from '../adapters/history-table.ts';
import { lambdaProfileDirectory } from '../adapters/profiles-client.ts';
import { cachingProfileDirectory, cachingTitleDirectory } from '../domain/cache.ts';
import { continueWatching } from '../domain/continue-watching.ts';

const deps = {
  history: dynamoHistoryStore(tableName('history')),
  profiles: cachingProfileDirectory(lambdaProfileDirectory(), { now: Date.now }),
  titles: cachingTitleDirectory(lambdaTitleDirectory(), { now: Date.now }),
};

export const handler = routeHandler('continueWatching', async ({ caller, params, event }) =>
  continueWatching(deps, {
    accountId: caller.accountId,
    profileId: params.profileId,
    country: viewerCountry(event, caller),
  }),
);
