/**
 * Failures of functions no HTTP caller waits on (internal calls, pipeline steps, schedules,
 * events): logged once with their code and cause, then rethrown so that Lambda reports them to
 * the caller, Step Functions (Retry/Catch by `errorType`) or EventBridge (retries, DLQ).
 */
import type { MiddlewareObj } from '@middy/core';
import { AuthorizerRefusal, DomainError, PipelineError } from '../errors.ts';
import { logger } from '../logger.ts';

export function typedErrors(): MiddlewareObj {
  return {
    onError: (request) => {
      const error = request.error;
      // A refused token is the authorizer's answer, logged where it is decided.
      if (error instanceof AuthorizerRefusal) return;
      const code = error instanceof DomainError || error instanceof PipelineError ? error.code : undefined;
      logger.error('invocation failed', { error: error ?? undefined, ...(code ? { code } : {}) });
    },
  };
}
