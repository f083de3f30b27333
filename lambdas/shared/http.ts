/**
 * The HTTP side of a handler, as middy middleware: body limits and JSON parsing, zod
 * validation helpers, and one error mapping for every route.
 */
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import { MAX_BODY_BYTES } from '#contracts/routes.ts';
import { BadRequestError, DomainError, PayloadTooLargeError } from './errors.ts';
import { logger } from './logger.ts';

export interface HttpRequest {
  readonly event: APIGatewayProxyEvent;
  /** Parsed JSON body, `undefined` when there is none. */
  readonly body: unknown;
}

export type HttpHandler = (request: HttpRequest, context: Context) => Promise<APIGatewayProxyResult>;

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/** Parses a value with a zod schema, or fails with a 400 that names the first bad field. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  code = 'INVALID_REQUEST',
): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new BadRequestError(code, `${where}${issue?.message ?? 'invalid request'}`);
  }
  return result.data;
}

/** A path parameter, validated. */
export function pathParam<S extends z.ZodType>(
  event: APIGatewayProxyEvent,
  name: string,
  schema: S,
): z.infer<S> {
  return parseWith(
    schema,
    event.pathParameters?.[name],
    `INVALID_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`,
  );
}

/** The query string, validated (absent means `{}`). Unknown parameters are refused by `.strict()` schemas. */
export function queryWith<S extends z.ZodType>(event: APIGatewayProxyEvent, schema: S): z.infer<S> {
  return parseWith(schema, event.queryStringParameters ?? {}, 'INVALID_QUERY');
}

function readBody(event: APIGatewayProxyEvent): unknown {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(`The body is larger than ${MAX_BODY_BYTES} bytes.`);
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new BadRequestError('MALFORMED_JSON', 'The body is not valid JSON.');
  }
}

const errorMapping: MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> = {
  onError: (request) => {
    const { error } = request;
    if (error instanceof DomainError) {
      request.response = json(error.status, errorBody(error.code, error.message));
      return;
    }
    const correlationId = request.context.awsRequestId;
    logger.error('unhandled error', { error: error as Error, correlationId });
    request.response = json(
      500,
      errorBody('INTERNAL_ERROR', `Something went wrong on our side (ref ${correlationId}).`),
    );
  },
};

/** Wraps a route handler: parse the body, run, map errors. */
export function httpHandler(handler: HttpHandler) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(errorMapping)
    .handler(async (event, context) => handler({ event, body: readBody(event) }, context));
}
