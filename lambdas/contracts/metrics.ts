/**
 * CloudWatch metrics the functions emit (Embedded Metric Format, through Powertools Metrics):
 * the namespace and the names every handler's chain uses, so dashboards and alarms (CDK) and
 * the code name them once. Business metrics a route counts are declared on the route
 * (`countAs` in `routes.ts`) or on the function (`countAs` in `functions.ts`).
 */
export const METRICS_NAMESPACE = 'Showrunner';

export const METRIC = {
  /** Milliseconds from the chain's first middleware to the answer, per function (dimension `service`). */
  LATENCY: 'Latency',
  /** Answers with a 4xx status (the caller's fault), per function. */
  CLIENT_ERRORS: 'ClientErrors',
  /** Answers with a 5xx status, or a non-HTTP invocation that failed, per function. */
  FAULTS: 'Faults',
} as const;
