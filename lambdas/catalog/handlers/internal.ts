/** catalogInternal: invoked by other services (Lambda Invoke, JSON payload), never through the API. */
import type { CatalogInternalResponse, CatalogSnapshotPage } from '#contracts/internal.ts';
import { tableName } from '#shared/env.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { dynamoTitlesTable } from '../adapters/titles-table.ts';
import { catalogInternal } from '../domain/internal.ts';

const deps = { titles: dynamoTitlesTable(tableName('catalog')) };

export const handler = functionHandler(
  'catalogInternal',
  async (request): Promise<CatalogInternalResponse | CatalogSnapshotPage> =>
    catalogInternal(deps, request, new Date()),
);
