/**
 * The middy chain every function runs in, from its declaration: Powertools Logger with the Lambda
 * context and a correlation id, Powertools Metrics (EMF, flushed per invocation) with latency,
 * errors and the declared business metric, and Powertools Tracer (a subsegment per invocation).
 * `routeHandler` adds the HTTP middlewares on top; `functionHandler` the typed-error logging.
 *
 * Order matters: middy runs `before` in the order of `.use()` and `after`/`onError` in reverse,
 * so the metrics this chain adds (`invocationMetrics`) are in before `logMetrics` flushes, and
 * see the status the error mapping chose.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from './logger.ts';
import { metrics } from './metrics.ts';
import { correlation } from './middleware/correlation.ts';
import { invocationMetrics } from './middleware/invocation-metrics.ts';
import { tracer } from './tracer.ts';

export function baseChain<TEvent, TResult>(options: { countAs?: string }) {
  return (
    middy<TEvent, TResult, Error, Context>()
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .use(correlation())
      .use(logMetrics(metrics))
      // Answers may carry tokens and playlists: traces keep timings and errors, not bodies.
      .use(captureLambdaHandler(tracer, { captureResponse: false }))
      .use(invocationMetrics(options))
  );
}
