/** PUT /v1/profiles/{profileId}/history/{titleId}: a heartbeat; answers the stored position. */
import { viewerCountry } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { lambdaTitleDirectory } from '../adapters/catalog-client.ts';
import { dynamoHistoryStore } from '../adapters/history-table.ts';
import { lambdaProfileDirectory } from '../adapters/profiles-client.ts';
import { cachingProfileDirectory, cachingTitleDirectory } from '../domain/cache.ts';
import { recordHeartbeat } from '../domain/history.ts';

const deps = {
  history: dynamoHistoryStore(tableName('history')),
  // Module scope: a warm environment asks about a profile or a title once a minute, not per beat.
  profiles: cachingProfileDirectory(lambdaProfileDirectory(), { now: Date.now }),
  titles: cachingTitleDirectory(lambdaTitleDirectory(), { now: Date.now }),
  clock: () => new Date(),
};

export const handler = routeHandler('putHeartbeat', async ({ caller, params, body, event }) =>
  recordHeartbeat(
    deps,
    { accountId: caller.accountId, profileId: params.profileId, country: viewerCountry(event, caller) },
    params.titleId,
    body,
  ),
);
