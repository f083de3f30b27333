/** POST /v1/admin/titles: a movie, a series, or an episode of an existing series. */
import { randomUUID } from 'node:crypto';
import { createTitleRequestSchema } from '#contracts/api/catalog.ts';
import { requireAdmin } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { httpHandler, json, parseWith } from '#shared/http.ts';
import { dynamoTitlesTable } from '../adapters/titles-table.ts';
import { createTitle } from '../domain/admin.ts';

const deps = { titles: dynamoTitlesTable(tableName('catalog')), ids: randomUUID };

export const handler = httpHandler(async ({ event, body }) => {
  requireAdmin(event);
  const request = parseWith(createTitleRequestSchema, body);
  return json(201, await createTitle(deps, request, new Date()));
});
