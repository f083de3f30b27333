/**
 * The body, as JSON: refused above `maxBytes` (413 PAYLOAD_TOO_LARGE) or when it does not parse
 * (400 MALFORMED_JSON), before any validation. An empty body is `undefined`.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BadRequestError, PayloadTooLargeError } from '../errors.ts';
import { routeInput } from './route-input.ts';

export function jsonBody(options: { maxBytes: number }): MiddlewareObj<APIGatewayProxyEvent> {
  return {
    before: (request) => {
      routeInput(request.event).rawBody = parseBody(request.event, options.maxBytes);
    },
  };
}

function parseBody(event: APIGatewayProxyEvent, maxBytes: number): unknown {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw, 'utf8') > maxBytes) {
    throw new PayloadTooLargeError(`The body is larger than ${maxBytes} bytes.`);
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new BadRequestError('MALFORMED_JSON', 'The body is not valid JSON.');
  }
}
