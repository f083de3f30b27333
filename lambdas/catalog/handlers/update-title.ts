/** PATCH /v1/admin/titles/{titleId}: edit fields and windows; answers the whole title as admins see it. */
import { tableName } from '#shared/env.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { dynamoTitlesTable } from '../adapters/titles-table.ts';
import { updateTitle } from '../domain/admin.ts';

const deps = { titles: dynamoTitlesTable(tableName('catalog')) };

export const handler = routeHandler('updateTitle', async ({ params, body }) =>
  updateTitle(deps, params.titleId, body, new Date()),
);
