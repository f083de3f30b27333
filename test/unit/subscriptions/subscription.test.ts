import { describe, expect, it } from 'vitest';
import { PLANS, putSubscriptionRequestSchema } from '../../../lambdas/contracts/api/subscriptions.ts';
import { sandboxPayments } from '../../../lambdas/subscriptions/adapters/sandbox-payments.ts';
import { entitlementOf } from '../../../lambdas/subscriptions/domain/entitlement.ts';
import { putSubscription } from '../../../lambdas/subscriptions/domain/put-subscription.ts';
import { renewDueSubscriptions } from '../../../lambdas/subscriptions/domain/renew-subscriptions.ts';
import { addDays, type SubscriptionRecord } from '../../../lambdas/subscriptions/domain/subscription.ts';
import { CARDS, memorySubscriptions, recordingPayments } from './fakes.ts';

const ACCOUNT = 'acct-1';
const T0 = new Date('2026-11-01T10:00:00.000Z');
const GRACE_DAYS = 7;

function setup(options: Parameters<typeof recordingPayments>[1] = {}) {
  const subscriptions = memorySubscriptions();
  const payments = recordingPayments(sandboxPayments(), options);
  let n = 0;
  const deps = { subscriptions, payments, ids: () => `claim-${++n}` };
  return {
    subscriptions,
    payments,
    put: (body: unknown, now = T0, accountId = ACCOUNT) =>
      putSubscription(deps, { accountId, request: putSubscriptionRequestSchema.parse(body), now }),
    renew: (now: Date, extra: { retryIntervalMs?: number } = {}) =>
      renewDueSubscriptions(deps, { now, graceDays: GRACE_DAYS, ...extra }),
    stored: (accountId = ACCOUNT) => subscriptions.items.get(accountId),
  };
}

/** Resolves to the error a promise rejects with (fails the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<{ code: string; status: number }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; status: number };
  }
  throw new Error('expected a rejection');
}

const RENEWS_AT = addDays(T0, 30);

describe('subscribing', () => {
  it('starts ACTIVE on the chosen plan, charging its price once and renewing in 30 days', async () => {
    const { put, payments } = setup();

    const view = await put({ plan: 'standard', card: CARDS.succeeds });

    expect(view).toEqual({
      plan: 'standard',
      status: 'ACTIVE',
      renewsAt: '2026-12-01T10:00:00.000Z',
      maxStreams: 2,
      maxHeight: 1080,
      cardLast4: '4242',
    });
    expect(payments.charges).toEqual([
      expect.objectContaining({
        accountId: ACCOUNT,
        amountCents: PLANS.standard.priceCents,
        currency: 'usd',
        offSession: false,
      }),
    ]);
  });

  it('keeps a payment method reference and the last four digits, never the card number', async () => {
    const { put, stored } = setup();

    await put({ plan: 'basic', card: CARDS.succeeds });

    const record = stored();
    expect(record?.paymentMethodId).toMatch(/^pm_sandbox_4242_[0-9a-f]{16}$/);
    expect(record?.cardLast4).toBe('4242');
    expect(JSON.stringify(record)).not.toContain('4242424242424242');
  });

  it('needs a card to start', async () => {
    const { put, payments, stored } = setup();

    const error = await failure(put({ plan: 'basic' }));

    expect(error).toMatchObject({ code: 'CARD_REQUIRED', status: 400 });
    expect(stored()).toBeUndefined();
    expect(payments.charges).toHaveLength(0);
  });

  it('answers a declined card with 402 PAYMENT_DECLINED and stores nothing', async () => {
    const { put, payments, stored } = setup();

    const error = await failure(put({ plan: 'premium', card: CARDS.declined }));

    expect(error).toMatchObject({ code: 'PAYMENT_DECLINED', status: 402 });
    expect(stored()).toBeUndefined();
    expect(payments.charges).toHaveLength(0);
  });

  it('declines a well-formed number the sandbox does not know', async () => {
    const { put, stored } = setup();

    const error = await failure(put({ plan: 'basic', card: CARDS.unknown }));

    expect(error).toMatchObject({ code: 'PAYMENT_DECLINED', status: 402 });
    expect((error as unknown as Error).message).toContain('incorrect_number');
    expect(stored()).toBeUndefined();
  });

  it('refuses a number that fails the Luhn check with 400 INVALID_CARD, without asking the processor', async () => {
    const { put, payments } = setup();

    const error = await failure(put({ plan: 'basic', card: CARDS.notLuhn }));

    expect(error).toMatchObject({ code: 'INVALID_CARD', status: 400 });
    expect(payments.savedCards).toHaveLength(0);
  });

  it('refuses an expired card with 400 INVALID_CARD', async () => {
    const { put } = setup();

    const error = await failure(
      put({ plan: 'basic', card: { ...CARDS.succeeds, expMonth: 10, expYear: 2026 } }),
    );

    expect(error).toMatchObject({ code: 'INVALID_CARD', status: 400 });
  });

  it('starts afresh on a canceled subscription, with a new period and a new charge', async () => {
    const { put, subscriptions, payments, stored } = setup();
    await put({ plan: 'basic', card: CARDS.succeeds });
    const canceled = { ...(stored() as SubscriptionRecord), status: 'CANCELED' as const, version: 2 };
    subscriptions.items.set(ACCOUNT, canceled);
    const later = addDays(T0, 90);

    const view = await put({ plan: 'premium', card: CARDS.succeeds }, later);

    expect(view).toMatchObject({
      plan: 'premium',
      status: 'ACTIVE',
      renewsAt: addDays(later, 30).toISOString(),
    });
    expect(payments.charges).toHaveLength(2);
    expect(payments.billedKeys().size).toBe(2);
  });

  it('needs a card again to restart a canceled subscription', async () => {
    const { put, subscriptions, stored } = setup();
    await put({ plan: 'basic', card: CARDS.succeeds });
    subscriptions.items.set(ACCOUNT, { ...(stored() as SubscriptionRecord), status: 'CANCELED' });

    const error = await failure(put({ plan: 'basic' }));

    expect(error).toMatchObject({ code: 'CARD_REQUIRED' });
  });
});

describe('changing a subscription', () => {
  it('changes the plan now without a card, keeping renewsAt and charging nothing (no proration)', async () => {
    const { put, payments } = setup();
    await put({ plan: 'basic', card: CARDS.succeeds });

    const view = await put({ plan: 'premium' }, addDays(T0, 10));

    expect(view).toMatchObject({ plan: 'premium', status: 'ACTIVE', maxStreams: 4, maxHeight: 2160 });
    expect(view.renewsAt).toBe(RENEWS_AT.toISOString());
    expect(payments.charges).toHaveLength(1);
  });

  it('puts a new card on file without charging an ACTIVE subscription', async () => {
    const { put, payments, stored } = setup();
    await put({ plan: 'basic', card: CARDS.failsAtRenewal });

    const view = await put({ plan: 'basic', card: CARDS.succeeds }, addDays(T0, 3));

    expect(view.cardLast4).toBe('4242');
    expect(stored()?.paymentMethodId).toMatch(/^pm_sandbox_4242_/);
    expect(payments.charges).toHaveLength(1);
  });

  it('keeps the old card when the new one is declined', async () => {
    const { put, stored } = setup();
    await put({ plan: 'basic', card: CARDS.succeeds });
    const before = stored();

    const error = await failure(put({ plan: 'premium', card: CARDS.declined }));

    expect(error).toMatchObject({ code: 'PAYMENT_DECLINED' });
    expect(stored()).toEqual(before);
  });
});

describe('renewal', () => {
  it('charges a due subscription off-session under accountId#renewsAt and renews it for 30 days', async () => {
    const { put, renew, payments, stored } = setup();
    await put({ plan: 'standard', card: CARDS.succeeds });
    const runAt = addDays(RENEWS_AT, 0.01);

    const summary = await renew(runAt);

    expect(summary).toEqual({ charged: 1, failed: 0, pastDueExpired: 0, skipped: 0, errors: 0 });
    expect(payments.charges[1]).toMatchObject({
      amountCents: PLANS.standard.priceCents,
      offSession: true,
      idempotencyKey: `${ACCOUNT}#${RENEWS_AT.toISOString()}`,
    });
    expect(stored()).toMatchObject({ status: 'ACTIVE', renewsAt: addDays(RENEWS_AT, 30).toISOString() });
  });

  it('leaves a subscription that is not yet due alone', async () => {
    const { put, renew, payments } = setup();
    await put({ plan: 'basic', card: CARDS.succeeds });

    const summary = await renew(addDays(RENEWS_AT, -0.5));

    expect(summary.charged).toBe(0);
    expect(payments.charges).toHaveLength(1);
  });

  it('charges the plan in force at renewal', async () => {
    const { put, renew, payments } = setup();
    await put({ plan: 'basic', card: CARDS.succeeds });
    await put({ plan: 'premium' }, addDays(T0, 5));

    await renew(RENEWS_AT);

    expect(payments.charges[1]?.amountCents).toBe(PLANS.premium.priceCents);
  });

  it('makes a declined renewal PAST_DUE with grace until the first failure plus the grace days', async () => {
    const { put, renew, stored } = setup();
    await put({ plan: 'basic', card: CARDS.failsAtRenewal });

    const summary = await renew(RENEWS_AT);

    expect(summary).toEqual({ charged: 0, failed: 1, pastDueExpired: 0, skipped: 0, errors: 0 });
    expect(stored()).toMatchObject({
      status: 'PAST_DUE',
      renewsAt: RENEWS_AT.toISOString(),
      graceUntil: addDays(RENEWS_AT, GRACE_DAYS).toISOString(),
      lastDeclineCode: 'card_declined',
    });
  });

  it('still lets a PAST_DUE account play within its grace', async () => {
    const { put, renew, stored } = setup();
    await put({ plan: 'standard', card: CARDS.failsAtRenewal });
    await renew(RENEWS_AT);

    const entitlement = entitlementOf(stored(), addDays(RENEWS_AT, GRACE_DAYS - 0.01));

    expect(entitlement).toEqual({ playable: true, plan: 'standard', maxStreams: 2, maxHeight: 1080 });
  });

  it('refuses playback with PAYMENT_PAST_DUE once the grace is over', async () => {
    const { put, renew, stored } = setup();
    await put({ plan: 'standard', card: CARDS.failsAtRenewal });
    await renew(RENEWS_AT);

    const entitlement = entitlementOf(stored(), addDays(RENEWS_AT, GRACE_DAYS));

    expect(entitlement).toMatchObject({ playable: false, reasonCode: 'PAYMENT_PAST_DUE' });
  });

  it('retries a PAST_DUE subscription under a new key, keeping the first grace, and reports expiry', async () => {
    const { put, renew, payments, stored } = setup();
    await put({ plan: 'basic', card: CARDS.failsAtRenewal });
    await renew(RENEWS_AT);

    const second = await renew(addDays(RENEWS_AT, 1));
    const third = await renew(addDays(RENEWS_AT, GRACE_DAYS + 1));

    expect(second).toMatchObject({ failed: 1, pastDueExpired: 0 });
    expect(third).toMatchObject({ failed: 1, pastDueExpired: 1 });
    expect(stored()).toMatchObject({
      graceUntil: addDays(RENEWS_AT, GRACE_DAYS).toISOString(),
      renewalAttempts: 3,
    });
    expect(payments.charges.slice(1).map((c) => c.idempotencyKey)).toEqual([
      `${ACCOUNT}#${RENEWS_AT.toISOString()}`,
      `${ACCOUNT}#${RENEWS_AT.toISOString()}#retry-2`,
      `${ACCOUNT}#${RENEWS_AT.toISOString()}#retry-3`,
    ]);
  });

  it('retries a declined subscription at most once a day however often the job runs', async () => {
    const { put, renew, payments } = setup();
    await put({ plan: 'basic', card: CARDS.failsAtRenewal });
    await renew(RENEWS_AT);

    const again = await renew(addDays(RENEWS_AT, 1 / 24));

    expect(again).toMatchObject({ failed: 0, skipped: 1 });
    expect(payments.charges).toHaveLength(2);
  });

  it('brings a PAST_DUE subscription back to ACTIVE when a retry goes through, clearing the grace', async () => {
    const { put, renew, subscriptions, stored } = setup();
    await put({ plan: 'basic', card: CARDS.failsAtRenewal });
    await renew(RENEWS_AT);
    // The card on file starts working (the sandbox's 4242 behind the same record).
    const working = await sandboxPayments().saveCard(ACCOUNT, { number: '4242424242424242' });
    if (working.status !== 'saved') throw new Error('sandbox refused 4242');
    const record = stored() as SubscriptionRecord;
    subscriptions.items.set(ACCOUNT, { ...record, paymentMethodId: working.paymentMethodId });

    const summary = await renew(addDays(RENEWS_AT, 2));

    expect(summary.charged).toBe(1);
    expect(stored()).toMatchObject({ status: 'ACTIVE', renewsAt: addDays(RENEWS_AT, 30).toISOString() });
    expect(stored()?.graceUntil).toBeUndefined();
  });

  it('starts the new period now rather than charge for one that has already ended', async () => {
    const { put, renew, stored } = setup();
    await put({ plan: 'basic', card: CARDS.succeeds });
    const muchLater = addDays(RENEWS_AT, 45);

    await renew(muchLater);

    expect(stored()?.renewsAt).toBe(addDays(muchLater, 30).toISOString());
  });
});

describe('recovery with a new card', () => {
  it('charges the due amount now and returns to ACTIVE with a new period from now', async () => {
    const { put, renew, payments } = setup();
    await put({ plan: 'basic', card: CARDS.failsAtRenewal });
    await renew(RENEWS_AT);
    const paidAt = addDays(RENEWS_AT, 3);

    const view = await put({ plan: 'basic', card: CARDS.succeeds }, paidAt);

    expect(view).toEqual({
      plan: 'basic',
      status: 'ACTIVE',
      renewsAt: addDays(paidAt, 30).toISOString(),
      maxStreams: 1,
      maxHeight: 720,
      cardLast4: '4242',
    });
    expect(payments.charges.at(-1)).toMatchObject({ amountCents: PLANS.basic.priceCents, offSession: false });
  });

  it('lets playback resume after the grace had run out', async () => {
    const { put, renew, stored } = setup();
    await put({ plan: 'basic', card: CARDS.failsAtRenewal });
    await renew(RENEWS_AT);
    const paidAt = addDays(RENEWS_AT, GRACE_DAYS + 2);
    expect(entitlementOf(stored(), paidAt).playable).toBe(false);

    await put({ plan: 'premium', card: CARDS.succeeds }, paidAt);

    expect(entitlementOf(stored(), paidAt)).toEqual({
      playable: true,
      plan: 'premium',
      maxStreams: 4,
      maxHeight: 2160,
    });
  });

  it('changes nothing when the new card is declined', async () => {
    const { put, renew, stored } = setup();
    await put({ plan: 'basic', card: CARDS.failsAtRenewal });
    await renew(RENEWS_AT);
    const before = stored();

    const error = await failure(put({ plan: 'basic', card: CARDS.declined }, addDays(RENEWS_AT, 1)));

    expect(error).toMatchObject({ code: 'PAYMENT_DECLINED', status: 402 });
    expect(stored()).toEqual(before);
  });

  it('changes the plan of a PAST_DUE subscription without a card, leaving it PAST_DUE', async () => {
    const { put, renew, payments } = setup();
    await put({ plan: 'premium', card: CARDS.failsAtRenewal });
    await renew(RENEWS_AT);

    const view = await put({ plan: 'basic' }, addDays(RENEWS_AT, 1));

    expect(view).toMatchObject({
      plan: 'basic',
      status: 'PAST_DUE',
      graceUntil: addDays(RENEWS_AT, GRACE_DAYS).toISOString(),
    });
    expect(payments.charges).toHaveLength(2);
  });

  it('answers 409 PAYMENT_IN_PROGRESS while the renewal job is charging the same subscription', async () => {
    const { put, renew, subscriptions, stored, payments } = setup();
    await put({ plan: 'basic', card: CARDS.failsAtRenewal });
    await renew(RENEWS_AT);
    const at = addDays(RENEWS_AT, 1);
    const record = stored() as SubscriptionRecord;
    subscriptions.items.set(ACCOUNT, {
      ...record,
      claimId: 'run-2',
      claimUntil: addDays(at, 0.001).toISOString(),
    });

    const error = await failure(put({ plan: 'basic', card: CARDS.succeeds }, at));

    expect(error).toMatchObject({ code: 'PAYMENT_IN_PROGRESS', status: 409 });
    expect(payments.charges).toHaveLength(2);
  });
});

describe('idempotency', () => {
  it('charges one key when the same first PUT arrives twice at once, and stores one subscription', async () => {
    const { put, payments, stored } = setup();

    const [a, b] = await Promise.all([
      put({ plan: 'basic', card: CARDS.succeeds }),
      put({ plan: 'basic', card: CARDS.succeeds }),
    ]);

    expect(payments.billedKeys().size).toBe(1);
    expect(a).toEqual(b);
    expect(stored()?.version).toBe(1);
  });

  it('charges each due subscription once when two renewal runs overlap', async () => {
    const { put, renew, payments } = setup({ delayMs: 5 });
    for (const accountId of ['acct-a', 'acct-b', 'acct-c']) {
      await put({ plan: 'basic', card: CARDS.succeeds }, T0, accountId);
    }

    const [first, second] = await Promise.all([renew(RENEWS_AT), renew(RENEWS_AT)]);

    const renewals = payments.charges.filter((c) => c.offSession);
    expect(renewals.map((c) => c.accountId).sort()).toEqual(['acct-a', 'acct-b', 'acct-c']);
    expect(first.charged + second.charged).toBe(3);
    expect(first.skipped + second.skipped).toBe(3);
  });

  it('retries a charge whose outcome was unknown under the same key on the next run', async () => {
    const { put, renew, payments, stored } = setup();
    await put({ plan: 'basic', card: CARDS.succeeds });
    payments.failNext(1);

    const outage = await renew(RENEWS_AT);
    const nextRun = await renew(addDays(RENEWS_AT, 1));

    expect(outage).toMatchObject({ charged: 0, errors: 1 });
    expect(nextRun).toMatchObject({ charged: 1, errors: 0 });
    const renewalKeys = payments.charges.filter((c) => c.offSession).map((c) => c.idempotencyKey);
    expect(renewalKeys).toEqual([
      `${ACCOUNT}#${RENEWS_AT.toISOString()}`,
      `${ACCOUNT}#${RENEWS_AT.toISOString()}`,
    ]);
    expect(stored()).toMatchObject({ status: 'ACTIVE', renewsAt: addDays(RENEWS_AT, 30).toISOString() });
    expect(stored()?.claimId).toBeUndefined();
  });
});
