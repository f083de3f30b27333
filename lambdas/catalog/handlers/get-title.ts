/** GET /v1/titles/{titleId}: one title the viewer may see; a series with its seasons of visible episodes. */
import { viewerCountry } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { profilesService } from '../adapters/profiles-service.ts';
import { dynamoTitlesTable } from '../adapters/titles-table.ts';
import { getTitle } from '../domain/browse.ts';

const deps = { titles: dynamoTitlesTable(tableName('catalog')), profiles: profilesService() };

export const handler = routeHandler('getTitle', async ({ caller, params, query, event }) =>
  getTitle(deps, {
    accountId: caller.accountId,
    country: viewerCountry(event, caller),
    now: new Date(),
    titleId: params.titleId,
    ...query,
  }),
);
