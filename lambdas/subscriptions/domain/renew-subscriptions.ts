/**
 * The renewal job: charges every due subscription (ACTIVE or PAST_DUE with `renewsAt <= now`) for
 * its next period. Each one is claimed first (a conditional write of the version read), then
 * charged with a key derived from the period, then updated while the claim holds: two overlapping
 * runs charge a subscription once, and a run that dies after charging is replayed by the
 * processor, not charged again, when the next run retries under the same key.
 */

import { underClaim } from './claims.ts';
import { CURRENCY, type PaymentProvider } from './payments.ts';
import {
  chargeKeys,
  claim,
  hasLiveClaim,
  priceOf,
  releaseClaim,
  renewalDeclined,
  renewalSucceeded,
  type SubscriptionRecord,
  type SubscriptionRepository,
} from './subscription.ts';

export interface RenewSubscriptionsDeps {
  readonly subscriptions: SubscriptionRepository;
  readonly payments: PaymentProvider;
  /** Mints claim ids. */
  readonly ids: () => string;
  /** Told about a charge whose outcome is unknown (the processor failed); the next run retries. */
  readonly onError?: (accountId: string, error: unknown) => void;
}

export interface RenewSubscriptionsOptions {
  /** The run's instant: what is due, when grace starts (the scheduled event's `time`). */
  readonly now: Date;
  readonly graceDays: number;
  /**
   * A declined subscription is retried at most this often, however often the job runs.
   * @default 23 hours (a daily schedule that fires a little early still retries daily)
   */
  readonly retryIntervalMs?: number;
  /** How long a run may hold one subscription while charging it. @default 5 minutes */
  readonly claimMs?: number;
  /** Subscriptions charged at the same time. @default 8 */
  readonly concurrency?: number;
}

/** What a run did; the handler returns it. */
export interface RenewalSummary {
  /** Charges that went through: ACTIVE for another period. */
  charged: number;
  /** Charges declined: PAST_DUE (or still PAST_DUE). */
  failed: number;
  /** Of `failed`, those whose grace is over: playback is refused until the customer pays. */
  pastDueExpired: number;
  /** Due but not charged by this run: another run holds it, or a declined one was retried recently. */
  skipped: number;
  /** The processor failed and the outcome is unknown; retried by the next run under the same key. */
  errors: number;
}

type Outcome = 'charged' | 'failed' | 'pastDueExpired' | 'skipped' | 'errors';

export async function renewDueSubscriptions(
  deps: RenewSubscriptionsDeps,
  options: RenewSubscriptionsOptions,
): Promise<RenewalSummary> {
  const summary: RenewalSummary = { charged: 0, failed: 0, pastDueExpired: 0, skipped: 0, errors: 0 };
  const concurrency = options.concurrency ?? 8;
  const count = (outcome: Outcome) => {
    summary[outcome]++;
    if (outcome === 'pastDueExpired') summary.failed++;
  };
  // PAST_DUE first: an ACTIVE one declined by this run must not be retried by the same run.
  for (const status of ['PAST_DUE', 'ACTIVE'] as const) {
    let batch: SubscriptionRecord[] = [];
    const flush = async () => {
      const outcomes = await Promise.all(batch.map((record) => renewOne(deps, options, record)));
      outcomes.forEach(count);
      batch = [];
    };
    for await (const record of deps.subscriptions.due(status, options.now.toISOString())) {
      batch.push(record);
      if (batch.length >= concurrency) await flush();
    }
    await flush();
  }
  return summary;
}

function renewable(record: SubscriptionRecord, options: RenewSubscriptionsOptions): boolean {
  const { now } = options;
  if (record.status !== 'ACTIVE' && record.status !== 'PAST_DUE') return false;
  if (record.renewsAt > now.toISOString() || hasLiveClaim(record, now)) return false;
  if (record.status === 'PAST_DUE' && record.lastAttemptAt !== undefined) {
    const retryInterval = options.retryIntervalMs ?? 23 * 3_600_000;
    if (now.getTime() - Date.parse(record.lastAttemptAt) < retryInterval) return false;
  }
  return true;
}

async function renewOne(
  deps: RenewSubscriptionsDeps,
  options: RenewSubscriptionsOptions,
  listed: SubscriptionRecord,
): Promise<Outcome> {
  const { now } = options;
  const claimId = deps.ids();
  const until = new Date(now.getTime() + (options.claimMs ?? 300_000));
  // The index is eventually consistent: when the claim fails, look at the item itself once.
  let record: SubscriptionRecord | undefined = listed;
  let claimed: SubscriptionRecord | undefined;
  for (let attempt = 1; attempt <= 2 && record && !claimed; attempt++) {
    if (!renewable(record, options)) return 'skipped';
    const candidate = claim(record, claimId, until, now);
    if (await deps.subscriptions.save(candidate)) claimed = candidate;
    else record = await deps.subscriptions.get(listed.accountId);
  }
  if (!claimed) return 'skipped';

  const { accountId } = claimed;
  let result: Awaited<ReturnType<PaymentProvider['charge']>>;
  try {
    result = await deps.payments.charge({
      accountId,
      paymentMethodId: claimed.paymentMethodId,
      amountCents: priceOf(claimed.plan),
      currency: CURRENCY,
      idempotencyKey: chargeKeys.renewal(accountId, claimed.renewsAt, claimed.renewalAttempts + 1),
      offSession: true,
    });
  } catch (error) {
    deps.onError?.(accountId, error);
    await underClaim(deps.subscriptions, accountId, claimId, (r) => releaseClaim(r, now));
    return 'errors';
  }
  if (result.status === 'succeeded') {
    await underClaim(deps.subscriptions, accountId, claimId, (r) => renewalSucceeded(r, now));
    return 'charged';
  }
  const decline = result;
  const declined = await underClaim(deps.subscriptions, accountId, claimId, (r) =>
    renewalDeclined(r, decline, now, options.graceDays),
  );
  const graceUntil = declined?.graceUntil;
  return graceUntil !== undefined && graceUntil <= now.toISOString() ? 'pastDueExpired' : 'failed';
}
