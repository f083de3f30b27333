/** catalogInternal: invoked by other services (Lambda Invoke, JSON payload), never through the API. */
import { type CatalogInternalResponse, catalogInternalRequestSchema } from '#contracts/internal.ts';
import { tableName } from '#shared/env.ts';
import { dynamoTitlesTable } from '../adapters/titles-table.ts';
import { catalogInternal } from '../domain/internal.ts';

const deps = { titles: dynamoTitlesTable(tableName('catalog')) };

export const handler = async (event: unknown): Promise<CatalogInternalResponse> => {
  const request = catalogInternalRequestSchema.parse(event);
  return catalogInternal(deps, request, new Date());
};
