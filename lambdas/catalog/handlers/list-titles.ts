/** GET /v1/titles: movies and series live in the viewer's country (and, with `profileId`, allowed for that profile). */
import { listTitlesQuerySchema } from '#contracts/api/catalog.ts';
import { caller, viewerCountry } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { httpHandler, json, queryWith } from '#shared/http.ts';
import { profilesService } from '../adapters/profiles-service.ts';
import { dynamoTitlesTable } from '../adapters/titles-table.ts';
import { listTitles } from '../domain/browse.ts';

const deps = { titles: dynamoTitlesTable(tableName('catalog')), profiles: profilesService() };

export const handler = httpHandler(async ({ event }) => {
  const who = caller(event);
  const query = queryWith(event, listTitlesQuerySchema);
  const page = await listTitles(deps, {
    accountId: who.accountId,
    country: viewerCountry(event, who),
    now: new Date(),
    ...query,
  });
  return json(200, page);
});
