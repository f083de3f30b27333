/**
 * The OpenAPI document built from the route declaration: valid OpenAPI 3.1, and for every route
 * its parameters, request body, success answer and every error it may answer, with schemas.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { pathParameterNames, ROUTES, type RouteDeclaration } from '#contracts/routes.ts';
import * as z from '#contracts/zod.ts';
import { buildOpenApi } from '../../../lambdas/platform/domain/openapi.ts';

interface Operation {
  parameters: { name: string; in: string; required: boolean; schema: object }[];
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
}

const document = buildOpenApi(ROUTES, { version: '1' });
const name = (route: RouteDeclaration) => `${route.method} ${route.path}`;
const operationOf = (route: RouteDeclaration) =>
  (document.paths[route.path] as unknown as Record<string, Operation>)[
    route.method.toLowerCase()
  ] as Operation;
const each = ROUTES.map((route) => [name(route), route] as const);

describe('the route declaration', () => {
  it.each(each)('%s declares a schema for each of its path parameters, and only those', (_, route) => {
    const declared = route.params
      ? Object.keys(
          (z.toJSONSchema(route.params, { io: 'input' }) as { properties?: object }).properties ?? {},
        )
      : [];

    expect(declared.sort()).toEqual(pathParameterNames(route.path).sort());
  });
});

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 with one operation per route', async () => {
    const result = await new Validator().validate(structuredClone(document));

    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    const operations = Object.values(document.paths).flatMap((ops) => Object.keys(ops));
    expect(operations).toHaveLength(ROUTES.length);
  });

  it.each(each)('%s: its success answer, with a schema unless it has no body', (_, route) => {
    const success = operationOf(route).responses[String(route.response.status)];

    expect(success).toBeDefined();
    if (route.response.schema === null) expect(success?.content).toBeUndefined();
    else expect(Object.values(success?.content ?? {})[0]?.schema).toBeTypeOf('object');
  });

  it.each(each)(
    '%s: its request body schema when it takes one, its path and query parameters',
    (_, route) => {
      const operation = operationOf(route);

      expect(Boolean(operation.requestBody?.content['application/json']?.schema)).toBe(Boolean(route.body));
      const inPath = operation.parameters.filter((p) => p.in === 'path').map((p) => p.name);
      expect(inPath.sort()).toEqual(pathParameterNames(route.path).sort());
      for (const parameter of operation.parameters) expect(parameter.schema).toBeTypeOf('object');
    },
  );

  it.each(each)('%s: every error it may answer, in the house error shape', (_, route) => {
    const responses = operationOf(route).responses;
    const expected = new Set([
      ...Object.keys(route.errors),
      ...(route.params || route.query || route.body ? ['400'] : []),
      ...(route.body ? ['413'] : []),
      ...(route.auth !== 'none' ? ['401'] : []),
      ...(route.auth === 'admin' ? ['403'] : []),
      '429',
    ]);

    const errors = Object.keys(responses).filter((status) => Number(status) >= 400);
    expect(errors.sort()).toEqual([...expected].sort());
    for (const status of errors) {
      expect(responses[status]?.content?.['application/json']?.schema.$ref).toBe(
        '#/components/schemas/Error',
      );
    }
  });

  it('lists the refusals of the routes that have them (402, 404, 409, 503)', () => {
    const statuses = new Set(ROUTES.flatMap((route) => Object.keys(operationOf(route).responses)));

    for (const status of ['402', '404', '409', '503']) expect(statuses).toContain(status);
  });
});
