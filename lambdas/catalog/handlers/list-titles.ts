/** GET /v1/titles: movies and series live in the viewer's country (and, with `profileId`, allowed for that profile). */
import { viewerCountry } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { profilesService } from '../adapters/profiles-service.ts';
import { dynamoTitlesTable } from '../adapters/titles-table.ts';
import { listTitles } from '../domain/browse.ts';

const deps = { titles: dynamoTitlesTable(tableName('catalog')), profiles: profilesService() };

export const handler = routeHandler('listTitles', async ({ caller, query, event }) =>
  listTitles(deps, {
    accountId: caller.accountId,
    country: viewerCountry(event, caller),
    now: new Date(),
    ...query,
  }),
);
