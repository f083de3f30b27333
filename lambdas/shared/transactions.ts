/** DynamoDB transactions, as the adapters need to read their failures. */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/**
 * Codes of a cancelled transaction, one per item (`None` for items that were fine), or
 * `undefined` when `error` is not a cancelled transaction.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html#API_TransactWriteItems_Errors
 */
export function cancellationReasons(error: unknown): string[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}
