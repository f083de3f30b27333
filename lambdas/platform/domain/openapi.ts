/**
 * The OpenAPI 3.1 document, generated from the route declaration and its zod schemas (zod 4's
 * JSON Schema output is draft 2020-12, which OpenAPI 3.1 uses as its schema dialect). Nothing
 * here is written by hand per route, so the document cannot drift from what the API validates:
 * path, query and body schemas, the success answer with its content type, and every error the
 * route declares plus those its kind may answer (the handler chain's own: `routeHandler`).
 */
import { errorBodySchema } from '#contracts/api/common.ts';
import { type ErrorStatus, pathParameterNames, type RouteDeclaration } from '#contracts/routes.ts';
import * as z from '#contracts/zod.ts';

type JsonObject = Record<string, unknown>;

/** What the handler chain and the gateway answer by themselves, by the kind of route. */
const CHAIN_ERRORS = {
  input: { 400: 'Malformed or invalid request: `error.code` names what (INVALID_REQUEST, INVALID_QUERY …)' },
  body: { 413: 'Body too large (PAYLOAD_TOO_LARGE)' },
  user: { 401: 'Missing or invalid access token (UNAUTHORIZED)' },
  admin: { 403: 'Not a member of the admin group (FORBIDDEN)' },
  any: { 429: 'Throttled (THROTTLED)' },
} as const satisfies Record<string, Partial<Record<ErrorStatus, string>>>;

function schemaOf(schema: z.core.$ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  return json;
}

/** One parameter per property of an object schema (path or query). */
function parametersOf(schema: z.core.$ZodType, where: 'path' | 'query'): JsonObject[] {
  const json = schemaOf(schema, 'input') as { properties?: Record<string, JsonObject>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required?.includes(name) ?? false),
    schema: property,
  }));
}

/** The error statuses a route may answer, with when. */
export function errorsOf(route: RouteDeclaration): Partial<Record<ErrorStatus, string>> {
  const hasInput = Boolean(route.params || route.query || route.body);
  const errors: Partial<Record<ErrorStatus, string>> = {
    ...(hasInput ? CHAIN_ERRORS.input : {}),
    ...(route.body ? CHAIN_ERRORS.body : {}),
    ...(route.auth !== 'none' ? CHAIN_ERRORS.user : {}),
    ...(route.auth === 'admin' ? CHAIN_ERRORS.admin : {}),
    ...CHAIN_ERRORS.any,
  };
  for (const [status, description] of Object.entries(route.errors) as [`${ErrorStatus}`, string][]) {
    const chain = errors[Number(status) as ErrorStatus];
    errors[Number(status) as ErrorStatus] = chain ? `${chain}; ${description}` : description;
  }
  return errors;
}

function successResponse(route: RouteDeclaration): JsonObject {
  const { schema, contentType = 'application/json' } = route.response;
  return {
    description: route.summary,
    ...(schema
      ? { content: { [contentType.split(';')[0] as string]: { schema: schemaOf(schema, 'output') } } }
      : {}),
  };
}

export function buildOpenApi(
  routes: readonly RouteDeclaration[],
  info: { version: string; serverUrl?: string },
) {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    const declared = route.params ? parametersOf(route.params, 'path') : [];
    // A path parameter the route left undeclared would still reach its function: list it anyway.
    const undeclared = pathParameterNames(route.path)
      .filter((name) => !declared.some((p) => p.name === name))
      .map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    const operation: JsonObject = {
      operationId: route.function,
      summary: route.summary,
      tags: [route.path.split('/')[2] ?? 'v1'],
      parameters: [...declared, ...undeclared, ...(route.query ? parametersOf(route.query, 'query') : [])],
      responses: {
        [String(route.response.status)]: successResponse(route),
        ...Object.fromEntries(
          Object.entries(errorsOf(route)).map(([status, description]) => [
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
