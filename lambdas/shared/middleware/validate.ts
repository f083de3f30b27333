/**
 * Validates the path, query and body with the route's declared zod schemas, in that order, and
 * answers the first bad field as a 400: `INVALID_<PARAM>` for a path parameter (`INVALID_TITLE_ID`),
 * `INVALID_QUERY` for the query, and for the body the code the route declares for the field
 * (`bodyErrorCodes`) or `INVALID_REQUEST`. A route that declares no query ignores the query.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { RouteShape } from '#contracts/routes.ts';
import * as z from '#contracts/zod.ts';
import { BadRequestError } from '../errors.ts';
import { routeInput } from './route-input.ts';

export function validateRequest(
  route: Pick<RouteShape, 'params' | 'query' | 'body' | 'bodyErrorCodes'>,
): MiddlewareObj<APIGatewayProxyEvent> {
  return {
    before: (request) => {
      const input = routeInput(request.event);
      if (route.params) {
        input.params = check(route.params, request.event.pathParameters ?? {}, (field) =>
          field === undefined ? 'INVALID_PATH' : `INVALID_${screamingSnake(field)}`,
        );
      }
      if (route.query) {
        input.query = check(route.query, request.event.queryStringParameters ?? {}, () => 'INVALID_QUERY');
      }
      if (route.body) {
        input.body = check(
          route.body,
          input.rawBody,
          (field) => (field !== undefined && route.bodyErrorCodes?.[field]) || 'INVALID_REQUEST',
        );
      }
    },
  };
}

/** The parsed value, or a 400 naming the first bad field; `codeFor` gets its top-level name. */
function check<S extends z.core.$ZodType>(
  schema: S,
  value: unknown,
  codeFor: (field: string | undefined) => string,
): z.output<S> {
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  const where = path.length > 0 ? `${path.join('.')}: ` : '';
  const field = typeof path[0] === 'string' ? path[0] : undefined;
  throw new BadRequestError(codeFor(field), `${where}${issue?.message ?? 'invalid request'}`);
}

function screamingSnake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}
