/**
 * A subscription's state and its transitions, as pure functions of the stored record and the
 * time. Each transition returns the next record with `version + 1`: the repository writes it only
 * if the stored version is still the one that was read (optimistic concurrency), so two writers
 * that read the same state cannot both win.
 */
import {
  PLANS,
  type PlanId,
  RENEWAL_PERIOD_DAYS,
  type Subscription,
  type SubscriptionStatus,
} from '#contracts/api/subscriptions.ts';
import type { Declined, SavedCard } from './payments.ts';

/** One item per account in the subscriptions table. */
export interface SubscriptionRecord {
  readonly accountId: string;
  readonly plan: PlanId;
  readonly status: SubscriptionStatus;
  /** ISO instant (`toISOString()`, so string order is time order): the end of the paid period. */
  readonly renewsAt: string;
  readonly paymentMethodId: string;
  readonly cardLast4: string;
  readonly cardBrand: string;
  readonly cardFingerprint: string;
  /** PAST_DUE only: playback stops at this instant (first failed renewal + grace days). */
  readonly graceUntil?: string;
  /** Declined renewal attempts for the period ending at `renewsAt`. */
  readonly renewalAttempts: number;
  readonly lastAttemptAt?: string;
  readonly lastDeclineCode?: string;
  /**
   * A charge in flight: whoever set it (the renewal job, a PUT paying a past-due period) is the
   * only one charging this subscription until `claimUntil`. A claim left by a crashed run simply
   * expires; the next run charges with the same idempotency key.
   */
  readonly claimId?: string;
  readonly claimUntil?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Starts at 1; every write adds one. */
  readonly version: number;
}

/**
 * The subscriptions table. `save` is the only write: conditional on the version read, so no
 * invariant ever rests on a read followed by an unconditional write.
 */
export interface SubscriptionRepository {
  /** Strongly consistent read. */
  get(accountId: string): Promise<SubscriptionRecord | undefined>;
  /**
   * Writes `record` if the stored item is at `record.version - 1` (absent when `record.version`
   * is 1). `false` when another write got there first.
   */
  save(record: SubscriptionRecord): Promise<boolean>;
  /** Subscriptions in `status` with `renewsAt <= dueBy`, oldest first (the `byStatus` index). */
  due(status: SubscriptionStatus, dueBy: string): AsyncIterable<SubscriptionRecord>;
}

const DAY_MS = 86_400_000;

export function addDays(instant: Date | string, days: number): Date {
  return new Date(new Date(instant).getTime() + days * DAY_MS);
}

/** The amount charged for one period of `plan`. */
export function priceOf(plan: PlanId): number {
  return PLANS[plan].priceCents;
}

/**
 * Idempotency keys: one key per payment of one period, so whatever retries (a client resubmitting
 * a PUT, two overlapping renewal runs, a run that crashed after charging) the processor charges
 * once.
 */
export const chargeKeys = {
  /**
   * Starting a subscription: the period is "the start after version `version`" (0 when there was
   * no subscription), paid with one card. The same card twice is one charge; another card after a
   * decline is a new attempt (processors replay a keyed decline, and refuse a key reused with
   * different parameters).
   */
  start(accountId: string, previousVersion: number, fingerprint: string): string {
    return `${accountId}#start-v${previousVersion}#${fingerprint}`;
  },
  /**
   * The renewal job: the period is the one starting at `renewsAt`. A declined attempt is replayed
   * by a processor for the same key, so each retry after a decline gets its own key.
   */
  renewal(accountId: string, renewsAt: string, attempt: number): string {
    return attempt <= 1 ? `${accountId}#${renewsAt}` : `${accountId}#${renewsAt}#retry-${attempt}`;
  },
  /** The customer pays a past-due period with a card given in the PUT. */
  pastDue(accountId: string, renewsAt: string, fingerprint: string): string {
    return `${accountId}#${renewsAt}#card-${fingerprint}`;
  },
};

function cardFields(card: SavedCard) {
  return {
    paymentMethodId: card.paymentMethodId,
    cardLast4: card.last4,
    cardBrand: card.brand,
    cardFingerprint: card.fingerprint,
  };
}

/** A paid first period: ACTIVE until now + 30 days. Also a fresh start after CANCELED. */
export function startSubscription(input: {
  accountId: string;
  plan: PlanId;
  card: SavedCard;
  now: Date;
  previous?: SubscriptionRecord;
}): SubscriptionRecord {
  const at = input.now.toISOString();
  return {
    accountId: input.accountId,
    plan: input.plan,
    status: 'ACTIVE',
    renewsAt: addDays(input.now, RENEWAL_PERIOD_DAYS).toISOString(),
    ...cardFields(input.card),
    renewalAttempts: 0,
    createdAt: at,
    updatedAt: at,
    version: (input.previous?.version ?? 0) + 1,
  };
}

/**
 * The common tail of every transition: applies `changes` (an `undefined` value clears that field),
 * stamps the time and bumps the version.
 */
function next(
  record: SubscriptionRecord,
  now: Date,
  changes: Partial<SubscriptionRecord>,
): SubscriptionRecord {
  const merged = { ...record, ...changes, updatedAt: now.toISOString(), version: record.version + 1 };
  return Object.fromEntries(
    Object.entries(merged).filter(([, value]) => value !== undefined),
  ) as unknown as SubscriptionRecord;
}

/**
 * A new plan takes effect now and `renewsAt` stays: no proration, the next renewal charges the
 * new plan's price.
 */
export function changePlan(record: SubscriptionRecord, plan: PlanId, now: Date): SubscriptionRecord {
  return next(record, now, { plan });
}

/** A new card on file (nothing charged). */
export function replaceCard(record: SubscriptionRecord, card: SavedCard, now: Date): SubscriptionRecord {
  return next(record, now, cardFields(card));
}

export function hasLiveClaim(record: SubscriptionRecord, now: Date): boolean {
  return record.claimUntil !== undefined && record.claimUntil > now.toISOString();
}

/** Takes the right to charge this subscription until `until`. */
export function claim(
  record: SubscriptionRecord,
  claimId: string,
  until: Date,
  now: Date,
): SubscriptionRecord {
  return next(record, now, { claimId, claimUntil: until.toISOString() });
}

/** Gives the claim back without changing anything else (a declined PUT, an unknown outcome). */
export function releaseClaim(record: SubscriptionRecord, now: Date): SubscriptionRecord {
  return next(record, now, { claimId: undefined, claimUntil: undefined });
}

/** A past-due period paid with a new card during a PUT: ACTIVE again, a new period from now. */
export function recoverWithCard(
  record: SubscriptionRecord,
  input: { plan: PlanId; card: SavedCard; now: Date },
): SubscriptionRecord {
  return next(record, input.now, {
    plan: input.plan,
    status: 'ACTIVE',
    renewsAt: addDays(input.now, RENEWAL_PERIOD_DAYS).toISOString(),
    ...cardFields(input.card),
    ...clearedRenewalState(),
  });
}

function clearedRenewalState(): Partial<SubscriptionRecord> {
  return {
    graceUntil: undefined,
    renewalAttempts: 0,
    lastDeclineCode: undefined,
    claimId: undefined,
    claimUntil: undefined,
  };
}

/**
 * The renewal charge went through: ACTIVE, `renewsAt` one period later. A period that would
 * already have ended (the job did not run for a month, or a long past-due spell) is not charged
 * for: the new period then starts now.
 */
export function renewalSucceeded(record: SubscriptionRecord, now: Date): SubscriptionRecord {
  let renewsAt = addDays(record.renewsAt, RENEWAL_PERIOD_DAYS);
  if (renewsAt <= now) renewsAt = addDays(now, RENEWAL_PERIOD_DAYS);
  return next(record, now, {
    status: 'ACTIVE',
    renewsAt: renewsAt.toISOString(),
    lastAttemptAt: now.toISOString(),
    ...clearedRenewalState(),
  });
}

/**
 * The renewal charge was declined: PAST_DUE, `renewsAt` unchanged (still due, retried by later
 * runs) and playback allowed until `graceUntil` — set at the first failure, kept on the next ones.
 */
export function renewalDeclined(
  record: SubscriptionRecord,
  decline: Declined,
  now: Date,
  graceDays: number,
): SubscriptionRecord {
  return next(record, now, {
    status: 'PAST_DUE',
    graceUntil: record.graceUntil ?? addDays(now, graceDays).toISOString(),
    renewalAttempts: record.renewalAttempts + 1,
    lastAttemptAt: now.toISOString(),
    lastDeclineCode: decline.declineCode,
    claimId: undefined,
    claimUntil: undefined,
  });
}

/** What `GET`/`PUT /v1/subscription` answer. */
export function toSubscriptionView(record: SubscriptionRecord): Subscription {
  const { maxStreams, maxHeight } = PLANS[record.plan];
  return {
    plan: record.plan,
    status: record.status,
    renewsAt: record.renewsAt,
    maxStreams,
    maxHeight,
    cardLast4: record.cardLast4,
    ...(record.status === 'PAST_DUE' && record.graceUntil ? { graceUntil: record.graceUntil } : {}),
  };
}
