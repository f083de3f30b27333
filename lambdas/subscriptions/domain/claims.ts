/**
 * Charge claims: before money moves on an existing subscription, the charger takes a claim
 * (a conditional write of the version it read), charges, then applies the outcome while it still
 * holds the claim. Two chargers cannot both hold it, so a period is charged once.
 */
import type { SubscriptionRecord, SubscriptionRepository } from './subscription.ts';

/** Writes that may slip in between (a plan change, a new card) before the claim holder gives up. */
const MAX_ATTEMPTS = 5;

/**
 * Applies `change` to the current record as long as `claimId` still holds the claim, retrying when
 * an unrelated write (a plan change) got in between. `undefined` when the claim was lost.
 */
export async function underClaim(
  subscriptions: SubscriptionRepository,
  accountId: string,
  claimId: string,
  change: (record: SubscriptionRecord) => SubscriptionRecord,
): Promise<SubscriptionRecord | undefined> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await subscriptions.get(accountId);
    if (!current || current.claimId !== claimId) return undefined;
    const changed = change(current);
    if (await subscriptions.save(changed)) return changed;
  }
  return undefined;
}
