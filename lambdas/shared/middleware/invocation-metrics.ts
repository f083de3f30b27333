/**
 * Metrics of every invocation, added before Powertools flushes them: its latency, a 4xx answer
 * (`ClientErrors`) or a 5xx answer or failure (`Faults`), and on success the business metric the
 * declaration names (`countAs`). Registered after `logMetrics`, so its `after`/`onError` run
 * first and the flush includes them; after the error mapping's answer is set for routes.
 */
import type { MiddlewareObj } from '@middy/core';
import { METRIC } from '#contracts/metrics.ts';
import { AuthorizerRefusal } from '../errors.ts';
import { countMetric, MetricUnit, metrics } from '../metrics.ts';

const started = new WeakMap<object, number>();

export function invocationMetrics(options: { countAs?: string }): MiddlewareObj {
  const finish = (request: { context: object; response: unknown; error: unknown }) => {
    const start = started.get(request.context);
    if (start !== undefined)
      metrics.addMetric(METRIC.LATENCY, MetricUnit.Milliseconds, performance.now() - start);
    const status = request.error instanceof AuthorizerRefusal ? 401 : statusOf(request.response);
    if (status !== undefined && status >= 400 && status < 500) countMetric(METRIC.CLIENT_ERRORS);
    else if ((status !== undefined && status >= 500) || (status === undefined && request.error)) {
      countMetric(METRIC.FAULTS);
    } else if (options.countAs) countMetric(options.countAs);
  };
  return {
    before: (request) => {
      started.set(request.context, performance.now());
    },
    after: finish,
    onError: finish,
  };
}

function statusOf(response: unknown): number | undefined {
  const status = (response as { statusCode?: unknown } | null | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
