/**
 * The correlation id that ties together the logs of one request across functions: the caller's
 * `X-Correlation-Id` header when it is a sane token, else API Gateway's request id; for an
 * internal call, the one the calling function passed in the Lambda client context
 * (`invokeInternal`); for an EventBridge event, the event id; else the invocation's request id.
 */
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '../logger.ts';

export const CORRELATION_HEADER = 'x-correlation-id';
const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

/** The key under which `invokeInternal` passes the correlation id in the client context's `custom`. */
export const CORRELATION_CLIENT_CONTEXT_KEY = 'correlationId';

export function correlationIdOf(event: unknown, context: Context): string {
  const e = (typeof event === 'object' && event !== null ? event : {}) as {
    headers?: Record<string, string | undefined> | null;
    requestContext?: { requestId?: unknown };
    'detail-type'?: unknown;
    id?: unknown;
  };
  const header = Object.entries(e.headers ?? {}).find(
    ([name]) => name.toLowerCase() === CORRELATION_HEADER,
  )?.[1];
  if (header && SANE.test(header)) return header;
  if (typeof e.requestContext?.requestId === 'string' && SANE.test(e.requestContext.requestId)) {
    return e.requestContext.requestId;
  }
  const custom = clientContextCustom(context);
  const passed = custom?.[CORRELATION_CLIENT_CONTEXT_KEY];
  if (typeof passed === 'string' && SANE.test(passed)) return passed;
  if (typeof e['detail-type'] === 'string' && typeof e.id === 'string' && SANE.test(e.id)) return e.id;
  return context.awsRequestId;
}

/** The client context's custom values (`custom`, as sent; the typings call it `Custom`). */
function clientContextCustom(context: Context): Record<string, unknown> | undefined {
  const clientContext = context.clientContext as unknown as
    | { custom?: Record<string, unknown>; Custom?: Record<string, unknown> }
    | undefined;
  return clientContext?.custom ?? clientContext?.Custom;
}

/** The correlation id of the invocation being served, for calls it makes to other functions. */
export function currentCorrelationId(): string | undefined {
  const id = logger.getCorrelationId();
  return typeof id === 'string' ? id : undefined;
}

/** Sets the logger's correlation id for the invocation (after `injectLambdaContext`). */
export function correlation(): MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    before: (request) => {
      logger.setCorrelationId(correlationIdOf(request.event, request.context));
    },
  };
}
