/**
 * The one retry policy of the adapters, over `p-retry`: a bound on the tries, a jittered
 * exponential backoff between them, and a predicate naming the failures worth another try.
 * Each adapter states its own policy next to the operation it retries.
 *
 * This is for answers the AWS SDK takes as final but that another try can change: a
 * transaction cancelled by a concurrent one, keys a BatchGetItem left unprocessed, a write that
 * named an ETag the store has moved past. Throttling, 5xx and network errors of a single request
 * are the SDK's own retry strategy's job (standard mode, 3 attempts), beneath this one; it
 * resends the same request, which cannot help with any of the cases above.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 * https://github.com/sindresorhus/p-retry
 */
import pRetry from 'p-retry';

export interface RetryPolicy {
  /** Tries in all, the first one included. */
  readonly maxAttempts: number;
  /**
   * The wait before the first retry, doubled for each retry after it. Each wait is drawn between
   * it and twice it (p-retry's `randomize`), so concurrent writers that collided spread apart.
   * 0: retry at once (tests).
   */
  readonly baseDelayMs: number;
  /** The longest single wait. @default Infinity */
  readonly maxDelayMs?: number;
  /**
   * Whether a failure is worth another try; any other one surfaces at once, as it was thrown.
   * (p-retry never retries a `TypeError` other than a network one, whatever this says.)
   */
  readonly retryable: (error: unknown) => boolean;
}

/**
 * Runs `operation` until it resolves, a failure is not `retryable`, or `maxAttempts` tries have
 * failed. It rejects with the last failure, unchanged; `operation` gets the try's number, from 1.
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
): Promise<T> {
  if (!Number.isSafeInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be a positive integer, not ${policy.maxAttempts}.`);
  }
  return pRetry(operation, {
    retries: policy.maxAttempts - 1,
    factor: 2,
    minTimeout: policy.baseDelayMs,
    maxTimeout: policy.maxDelayMs ?? Number.POSITIVE_INFINITY,
    randomize: true,
    shouldRetry: ({ error }) => policy.retryable(error),
  });
}
