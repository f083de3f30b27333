/** GET /v1/titles/{titleId}: one title the viewer may see; a series with its seasons of visible episodes. */
import { getTitleQuerySchema } from '#contracts/api/catalog.ts';
import { titleIdSchema } from '#contracts/api/common.ts';
import { caller, viewerCountry } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { httpHandler, json, pathParam, queryWith } from '#shared/http.ts';
import { profilesService } from '../adapters/profiles-service.ts';
import { dynamoTitlesTable } from '../adapters/titles-table.ts';
import { getTitle } from '../domain/browse.ts';

const deps = { titles: dynamoTitlesTable(tableName('catalog')), profiles: profilesService() };

export const handler = httpHandler(async ({ event }) => {
  const who = caller(event);
  const titleId = pathParam(event, 'titleId', titleIdSchema);
  const query = queryWith(event, getTitleQuerySchema);
  const title = await getTitle(deps, {
    accountId: who.accountId,
    country: viewerCountry(event, who),
    now: new Date(),
    titleId,
    ...query,
  });
  return json(200, title);
});
