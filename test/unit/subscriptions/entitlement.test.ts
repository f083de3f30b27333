import { describe, expect, it } from 'vitest';
import { entitlementOf } from '../../../lambdas/subscriptions/domain/entitlement.ts';
import type { SubscriptionRecord } from '../../../lambdas/subscriptions/domain/subscription.ts';

const NOW = new Date('2026-12-05T10:00:00.000Z');

function record(overrides: Partial<SubscriptionRecord> = {}): SubscriptionRecord {
  return {
    accountId: 'acct-1',
    plan: 'standard',
    status: 'ACTIVE',
    renewsAt: '2026-12-01T10:00:00.000Z',
    paymentMethodId: 'pm_sandbox_4242_0123456789abcdef',
    cardLast4: '4242',
    cardBrand: 'visa',
    cardFingerprint: '0123456789abcdef',
    renewalAttempts: 0,
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-01T10:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

describe('entitlement', () => {
  it('lets an ACTIVE account play within its plan', () => {
    expect(entitlementOf(record(), NOW)).toEqual({
      playable: true,
      plan: 'standard',
      maxStreams: 2,
      maxHeight: 1080,
    });
  });

  it('lets a PAST_DUE account play until its grace ends', () => {
    const pastDue = record({ status: 'PAST_DUE', graceUntil: '2026-12-05T10:00:00.001Z' });

    expect(entitlementOf(pastDue, NOW)).toMatchObject({ playable: true });
  });

  it('refuses a PAST_DUE account at the end of its grace with PAYMENT_PAST_DUE', () => {
    const pastDue = record({ status: 'PAST_DUE', graceUntil: NOW.toISOString() });

    expect(entitlementOf(pastDue, NOW)).toEqual({
      playable: false,
      reasonCode: 'PAYMENT_PAST_DUE',
      plan: 'standard',
      maxStreams: 2,
      maxHeight: 1080,
    });
  });

  it('refuses a canceled subscription with SUBSCRIPTION_CANCELED', () => {
    expect(entitlementOf(record({ status: 'CANCELED' }), NOW)).toMatchObject({
      playable: false,
      reasonCode: 'SUBSCRIPTION_CANCELED',
    });
  });

  it('refuses an account without a subscription with NO_SUBSCRIPTION and no streams', () => {
    expect(entitlementOf(undefined, NOW)).toEqual({
      playable: false,
      reasonCode: 'NO_SUBSCRIPTION',
      maxStreams: 0,
      maxHeight: 0,
    });
  });
});
