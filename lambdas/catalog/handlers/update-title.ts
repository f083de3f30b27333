/** PATCH /v1/admin/titles/{titleId}: edit fields and windows; answers the whole title as admins see it. */
import { updateTitleRequestSchema } from '#contracts/api/catalog.ts';
import { titleIdSchema } from '#contracts/api/common.ts';
import { requireAdmin } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { httpHandler, json, parseWith, pathParam } from '#shared/http.ts';
import { dynamoTitlesTable } from '../adapters/titles-table.ts';
import { givenChanges, updateTitle } from '../domain/admin.ts';

const deps = { titles: dynamoTitlesTable(tableName('catalog')) };

export const handler = httpHandler(async ({ event, body }) => {
  requireAdmin(event);
  const titleId = pathParam(event, 'titleId', titleIdSchema);
  const changes = givenChanges(parseWith(updateTitleRequestSchema, body), body);
  return json(200, await updateTitle(deps, titleId, changes, new Date()));
});
