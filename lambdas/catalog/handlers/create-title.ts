/** POST /v1/admin/titles: a movie, a series, or an episode of an existing series. */
import { randomUUID } from 'node:crypto';
import { tableName } from '#shared/env.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { dynamoTitlesTable } from '../adapters/titles-table.ts';
import { createTitle } from '../domain/admin.ts';

const deps = { titles: dynamoTitlesTable(tableName('catalog')), ids: randomUUID };

export const handler = routeHandler('createTitle', async ({ body }) => createTitle(deps, body, new Date()));
