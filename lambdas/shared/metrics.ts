import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '#contracts/metrics.ts';

/**
 * CloudWatch metrics in Embedded Metric Format, flushed by the handler chain after each
 * invocation; the `service` dimension is the function id (POWERTOOLS_SERVICE_NAME).
 */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE });

/** Counts one occurrence of a business event (`PlaybackStarted`, `SourceRejected` …). */
export function countMetric(name: string, value = 1): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}

export { MetricUnit };
