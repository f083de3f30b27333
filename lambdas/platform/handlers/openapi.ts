/** GET /v1/openapi.json: the OpenAPI 3.1 document of this API, built from the route declaration. */
import { ROUTES } from '#contracts/routes.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { buildOpenApi } from '../domain/openapi.ts';

const document = buildOpenApi(ROUTES, { version: '1' });

export const handler = routeHandler('openapi', async () => document);
