/**
 * Test doubles for the subscriptions service: an in-memory repository with the same conditional
 * write as the DynamoDB adapter, and a recording wrapper around any payment provider (the sandbox,
 * usually) that counts what it was asked to charge.
 */
import type { Card } from '../../../lambdas/contracts/api/subscriptions.ts';
import type {
  ChargeRequest,
  ChargeResult,
  PaymentProvider,
} from '../../../lambdas/subscriptions/domain/payments.ts';
import type {
  SubscriptionRecord,
  SubscriptionRepository,
} from '../../../lambdas/subscriptions/domain/subscription.ts';

export interface MemorySubscriptions extends SubscriptionRepository {
  /** What is stored, as stored. */
  readonly items: Map<string, SubscriptionRecord>;
}

export function memorySubscriptions(): MemorySubscriptions {
  const items = new Map<string, SubscriptionRecord>();
  // Every call yields once, so concurrent use cases interleave as they would over a network.
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    items,
    async get(accountId) {
      await tick();
      const item = items.get(accountId);
      return item ? structuredClone(item) : undefined;
    },
    async save(record) {
      await tick();
      const stored = items.get(record.accountId);
      if ((stored?.version ?? 0) !== record.version - 1) return false;
      items.set(record.accountId, structuredClone(record));
      return true;
    },
    async *due(status, dueBy) {
      await tick();
      const due = [...items.values()]
        .filter((r) => r.status === status && r.renewsAt <= dueBy)
        .sort((a, b) => a.renewsAt.localeCompare(b.renewsAt));
      for (const record of due) yield structuredClone(record);
    },
  };
}

export interface RecordingPayments extends PaymentProvider {
  readonly charges: ChargeRequest[];
  readonly savedCards: Card[];
  /** Charges that went through, by idempotency key: what a processor would actually bill. */
  billedKeys(): Set<string>;
  /** The next `count` charges throw (an outage: the outcome is unknown to the caller). */
  failNext(count: number): void;
}

/** Wraps `provider`, recording every call; `delayMs` holds each charge so concurrent runs overlap. */
export function recordingPayments(
  provider: PaymentProvider,
  options: { delayMs?: number } = {},
): RecordingPayments {
  const charges: ChargeRequest[] = [];
  const savedCards: Card[] = [];
  const succeeded: ChargeRequest[] = [];
  let failures = 0;
  return {
    charges,
    savedCards,
    billedKeys: () => new Set(succeeded.map((c) => c.idempotencyKey)),
    failNext(count) {
      failures = count;
    },
    async saveCard(accountId, card) {
      savedCards.push(card);
      return provider.saveCard(accountId, card);
    },
    async charge(request): Promise<ChargeResult> {
      charges.push(request);
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      if (failures > 0) {
        failures--;
        throw new Error('processor unavailable');
      }
      const result = await provider.charge(request);
      if (result.status === 'succeeded') succeeded.push(request);
      return result;
    },
  };
}

/** Stripe's test numbers, as the sandbox knows them. */
export const CARDS = {
  succeeds: { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2030, cvc: '123' },
  declined: { number: '4000 0000 0000 0002' },
  failsAtRenewal: { number: '4000 0000 0000 0341' },
  /** Passes the Luhn check, but the sandbox does not know it. */
  unknown: { number: '4111 1111 1111 1111' },
  /** Fails the Luhn check. */
  notLuhn: { number: '4242 4242 4242 4241' },
} as const;
