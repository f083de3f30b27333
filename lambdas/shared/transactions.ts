/** DynamoDB transactions, as the adapters need to read their failures. */
import { TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import type { RetryPolicy } from './retry.ts';

/**
 * Codes of a cancelled transaction, one per item (`None` for items that were fine), or
 * `undefined` when `error` is not a cancelled transaction.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html#API_TransactWriteItems_Errors
 */
export function cancellationReasons(error: unknown): string[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

/**
 * Another try for a transaction that collided with a concurrent one on the same item (a popular
 * title's counter, an account's stream map): it is cancelled with `TransactionConflict`, and the
 * SDK's own retries, which resend the same request at once, rarely help.
 */
export const TRANSACTION_CONFLICT_RETRY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 10,
  retryable: (error) =>
    error instanceof TransactionConflictException ||
    cancellationReasons(error)?.includes('TransactionConflict') === true,
};
