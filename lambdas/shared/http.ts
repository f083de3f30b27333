/** The HTTP answers handlers and middlewares build: JSON with the house headers. */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { CORRELATION_HEADER, currentCorrelationId } from './middleware/correlation.ts';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Headers of every answer: the correlation id, so a caller can quote it. */
export function baseHeaders(): Record<string, string> {
  const correlationId = currentCorrelationId();
  return correlationId ? { [CORRELATION_HEADER]: correlationId } : {};
}

export function json(
  statusCode: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = { 'cache-control': 'no-store' },
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': JSON_CONTENT_TYPE, ...headers, ...baseHeaders() },
    body: JSON.stringify(body),
  };
}
