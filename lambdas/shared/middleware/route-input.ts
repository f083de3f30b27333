/**
 * What the route middlewares establish about a request (who calls, the validated path, query and
 * body), kept per event for the handler at the end of the chain.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Caller } from '../auth.ts';

export interface RouteInput {
  caller?: Caller;
  /** The body as parsed JSON, before validation. */
  rawBody?: unknown;
  params?: unknown;
  query?: unknown;
  body?: unknown;
}

const inputs = new WeakMap<APIGatewayProxyEvent, RouteInput>();

export function routeInput(event: APIGatewayProxyEvent): RouteInput {
  let input = inputs.get(event);
  if (!input) {
    input = {};
    inputs.set(event, input);
  }
  return input;
}
