/**
 * One error mapping for every route: a typed domain error becomes its status and the house body
 * `{ error: { code, message } }`; anything else is a 500 that reveals nothing but a reference
 * (the correlation id) and is logged whole.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { DomainError } from '../errors.ts';
import { json } from '../http.ts';
import { logger } from '../logger.ts';
import { currentCorrelationId } from './correlation.ts';

export function httpErrors(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  return {
    onError: (request) => {
      const { error } = request;
      if (error instanceof DomainError) {
        request.response = json(error.status, { error: { code: error.code, message: error.message } });
        return;
      }
      const ref = currentCorrelationId() ?? request.context.awsRequestId;
      logger.error('unhandled error', { error: error ?? undefined });
      request.response = json(500, {
        error: { code: 'INTERNAL_ERROR', message: `Something went wrong on our side (ref ${ref}).` },
      });
    },
  };
}
