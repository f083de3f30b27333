import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * X-Ray tracing (the functions run with active tracing): the handler chain opens a subsegment
 * per invocation; `traced` adds one per AWS SDK call. Outside Lambda (the local platform, tests)
 * Powertools leaves tracing off and `traced` returns the client as it is.
 */
export const tracer = new Tracer();

/** The SDK v3 client, its calls traced. */
export function traced<T>(client: T): T {
  return tracer.captureAWSv3Client(client);
}
