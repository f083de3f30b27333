/** GET /v1/openapi.json: the OpenAPI 3.1 document of this API, built from the route declaration. */
import { ROUTES } from '#contracts/routes.ts';
import { httpHandler } from '#shared/http.ts';
import { buildOpenApi } from '../domain/openapi.ts';

const document = JSON.stringify(buildOpenApi(ROUTES, { version: '1' }));

export const handler = httpHandler(async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' },
  body: document,
}));
