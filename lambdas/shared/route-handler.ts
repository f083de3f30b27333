/**
 * A route's handler, made from its declaration (`#contracts/routes.ts`): the base chain (logger,
 * correlation id, metrics, tracer), then error mapping, the declared auth, the body as JSON within
 * the size limit, and validation of path, query and body with the declared schemas. The
 * implementation gets typed, validated input and answers the declared response's body; the chain
 * writes the status, content type and headers the route declares.
 *
 * ```ts
 * export const handler = routeHandler('getMe', async ({ caller }) => me(caller.accountId));
 * ```
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import {
  MAX_BODY_BYTES,
  ROUTE_DECLARATIONS,
  type RoutedFunctionId,
  type RouteShape,
} from '#contracts/routes.ts';
import type * as z from '#contracts/zod.ts';
import type { Caller } from './auth.ts';
import { baseChain } from './handler-chain.ts';
import { baseHeaders, JSON_CONTENT_TYPE, json } from './http.ts';
import { authorize } from './middleware/authorize.ts';
import { httpErrors } from './middleware/http-errors.ts';
import { jsonBody } from './middleware/json-body.ts';
import { routeInput } from './middleware/route-input.ts';
import { validateRequest } from './middleware/validate.ts';

type Parsed<S> = S extends z.core.$ZodType ? z.output<S> : undefined;
type Declared<R, K extends 'params' | 'query' | 'body'> = R extends { readonly [P in K]: infer S }
  ? Parsed<S>
  : undefined;

/** What the implementation of route `R` gets. */
export interface RouteRequest<R extends RouteShape> {
  /** The path parameters, validated. */
  readonly params: Declared<R, 'params'>;
  /** The query, validated. */
  readonly query: Declared<R, 'query'>;
  /** The body, validated. */
  readonly body: Declared<R, 'body'>;
  /** The signed-in caller (`user` and `admin` routes). */
  readonly caller: R['auth'] extends 'none' ? undefined : Caller;
  /** The raw event, for what no schema covers (headers: the viewer's country, the API's host). */
  readonly event: APIGatewayProxyEvent;
  readonly context: Context;
}

/** `T`, with its arrays and objects possibly read-only (domain code answers read-only views). */
type Viewable<T> = T extends readonly (infer E)[]
  ? readonly Viewable<E>[]
  : T extends object
    ? { readonly [K in keyof T]: Viewable<T[K]> }
    : T;

/** What the implementation of route `R` answers: the declared response's body (nothing for 204). */
export type RouteAnswer<R extends RouteShape> = R['response']['schema'] extends z.core.$ZodType
  ? Viewable<z.input<R['response']['schema']>>
  : undefined;

export type RouteImplementation<R extends RouteShape> = (request: RouteRequest<R>) => Promise<RouteAnswer<R>>;

export function routeHandler<K extends RoutedFunctionId>(
  functionId: K,
  implementation: RouteImplementation<(typeof ROUTE_DECLARATIONS)[K]>,
) {
  const route: RouteShape = ROUTE_DECLARATIONS[functionId];
  return baseChain<APIGatewayProxyEvent, APIGatewayProxyResult>({ countAs: route.countAs })
    .use(httpErrors())
    .use(authorize(route.auth))
    .use(jsonBody({ maxBytes: MAX_BODY_BYTES }))
    .use(validateRequest(route))
    .handler(async (event, context) => {
      const input = routeInput(event);
      const request = {
        params: input.params,
        query: input.query,
        body: input.body,
        caller: input.caller,
        event,
        context,
      } as RouteRequest<(typeof ROUTE_DECLARATIONS)[K]>;
      return answer(route, await implementation(request), input.query);
    });
}

/** The declared response around the implementation's body. */
function answer(route: RouteShape, body: unknown, query: unknown): APIGatewayProxyResult {
  const { status, schema, contentType = JSON_CONTENT_TYPE, sharedCache } = route.response;
  const personal = (sharedCache?.personalWith ?? []).some(
    (name) =>
      typeof query === 'object' && query !== null && (query as Record<string, unknown>)[name] !== undefined,
  );
  const headers =
    sharedCache && !personal ? { ...route.response.headers, ...sharedCache.headers } : route.response.headers;
  if (schema === null) {
    return {
      statusCode: status,
      headers: { 'cache-control': 'no-store', ...headers, ...baseHeaders() },
      body: '',
    };
  }
  if (contentType !== JSON_CONTENT_TYPE) {
    return {
      statusCode: status,
      headers: { 'content-type': contentType, 'cache-control': 'no-store', ...headers, ...baseHeaders() },
      body: String(body),
    };
  }
  return json(status, body, { 'cache-control': 'no-store', ...headers });
}
