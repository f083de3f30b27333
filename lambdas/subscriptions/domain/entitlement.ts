/** What an account may play now: the answer playback asks for before opening a session. */
import { PLANS } from '#contracts/api/subscriptions.ts';
import type { Entitlement } from '#contracts/internal.ts';
import type { SubscriptionRecord } from './subscription.ts';

/**
 * ACTIVE plays. PAST_DUE plays until its grace ends (`now < graceUntil`), then is refused with
 * `PAYMENT_PAST_DUE`. CANCELED and no subscription are refused. The plan's limits are reported
 * whenever there is a plan, so playback can explain what the plan would allow; 0 without one.
 */
export function entitlementOf(record: SubscriptionRecord | undefined, now: Date): Entitlement {
  if (!record) return { playable: false, reasonCode: 'NO_SUBSCRIPTION', maxStreams: 0, maxHeight: 0 };
  const limits = {
    plan: record.plan,
    maxStreams: PLANS[record.plan].maxStreams,
    maxHeight: PLANS[record.plan].maxHeight,
  };
  switch (record.status) {
    case 'ACTIVE':
      return { playable: true, ...limits };
    case 'PAST_DUE': {
      const inGrace = record.graceUntil !== undefined && now.getTime() < Date.parse(record.graceUntil);
      return inGrace
        ? { playable: true, ...limits }
        : { playable: false, reasonCode: 'PAYMENT_PAST_DUE', ...limits };
    }
    case 'CANCELED':
      return { playable: false, reasonCode: 'SUBSCRIPTION_CANCELED', ...limits };
  }
}
