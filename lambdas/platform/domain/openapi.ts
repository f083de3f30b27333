/**
 * The OpenAPI 3.1 document, generated from the route declaration and its zod schemas (zod 4's
 * JSON Schema output is draft 2020-12, which OpenAPI 3.1 uses as its schema dialect). Nothing
 * here is written by hand per route, so the document cannot drift from what the API validates.
 */
import { z } from 'zod';
import { errorBodySchema } from '#contracts/api/common.ts';
import type { RouteDeclaration } from '#contracts/routes.ts';

type JsonObject = Record<string, unknown>;

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'Malformed or invalid request',
  '401': 'Missing or invalid access token',
  '403': 'Not allowed (admin routes)',
  '404': 'Not found (or not visible in your country or to this profile)',
  '413': 'Body too large',
  '429': 'Throttled',
};

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  return json;
}

function queryParameters(schema: z.ZodType): JsonObject[] {
  const json = schemaOf(schema, 'input') as { properties?: Record<string, JsonObject>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

export function buildOpenApi(
  routes: readonly RouteDeclaration[],
  info: { version: string; serverUrl?: string },
) {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    }));
    const operation: JsonObject = {
      operationId: route.function,
      summary: route.summary,
      tags: [route.path.split('/')[2] ?? 'v1'],
      parameters: [...pathParameters, ...(route.query ? queryParameters(route.query) : [])],
      responses: {
        [String(route.response.status)]: {
          description: route.summary,
          ...(route.response.schema
            ? { content: { 'application/json': { schema: schemaOf(route.response.schema, 'output') } } }
            : {}),
        },
        ...Object.fromEntries(
          Object.entries(ERROR_RESPONSES)
            .filter(([status]) => route.auth !== 'none' || (status !== '401' && status !== '403'))
            .map(([status, description]) => [
              status,
              {
                description,
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
              },
            ]),
        ),
      },
      ...(route.auth === 'none' ? { security: [] } : {}),
      ...(route.auth === 'admin' ? { 'x-showrunner-admin-only': true } : {}),
    };
    if (route.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: schemaOf(route.body, 'input') } },
      };
    }
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, JsonObject>)[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Showrunner API',
      version: info.version,
      description: 'Control plane of Showrunner. Errors are `{ "error": { "code", "message" } }`.',
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: schemaOf(errorBodySchema, 'output') },
    },
    paths,
  };
}
