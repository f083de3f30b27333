/**
 * The shipped `PaymentProvider`: a payment sandbox that knows only Stripe's test card numbers and
 * never moves money. It is deterministic and keeps no state (any Lambda container gives the same
 * answer): a card's behaviour follows from its number, and the payment method reference it hands
 * out (`pm_sandbox_<last4>_<fingerprint>`) is enough to find that behaviour again at charge time.
 * The card number itself is never stored or returned. See `docs/payments.md`.
 */
import { createHash } from 'node:crypto';
import { cardBrand, isLuhnValid } from '../domain/cards.ts';
import type { ChargeResult, Declined, PaymentProvider, SaveCardResult } from '../domain/payments.ts';

/** How a sandbox test card behaves. */
export type SandboxBehaviour =
  /** Saved, and every charge succeeds. */
  | 'succeeds'
  /** Refused when saved (`card_declined`), as Stripe refuses to attach it. */
  | 'declined'
  /**
   * The card that fails at renewal: saved, and charges made while the customer is present (the
   * PUT that starts a subscription or pays a past-due one) succeed, but every off-session charge
   * (the renewal job) is declined with `card_declined`. Stripe's 4000 0000 0000 0341 fails every
   * charge once attached; the sandbox lets the first one pass so that a failed renewal can be
   * exercised end to end.
   */
  | 'failsAtRenewal';

/** The sandbox's cards (Stripe's test numbers). Any other well-formed number is `incorrect_number`. */
export const SANDBOX_CARDS: Readonly<Record<string, SandboxBehaviour>> = {
  '4242424242424242': 'succeeds',
  '4000000000000002': 'declined',
  '4000000000000341': 'failsAtRenewal',
};

const CARD_DECLINED: Declined = {
  status: 'declined',
  declineCode: 'card_declined',
  message: 'Your card was declined.',
};

/** Stable per number, reveals nothing useful about it beyond the sandbox's own test cards. */
function fingerprintOf(number: string): string {
  return createHash('sha256').update(`showrunner-sandbox-card:${number}`).digest('hex').slice(0, 16);
}

function paymentMethodIdOf(number: string): string {
  return `pm_sandbox_${number.slice(-4)}_${fingerprintOf(number)}`;
}

/** Payment method reference → behaviour, computed once from the test cards. */
const BY_PAYMENT_METHOD = new Map(
  Object.entries(SANDBOX_CARDS).map(([number, behaviour]) => [paymentMethodIdOf(number), behaviour]),
);

export function sandboxPayments(): PaymentProvider {
  return {
    async saveCard(_accountId, card): Promise<SaveCardResult> {
      const number = card.number.replace(/[\s-]/g, '');
      if (!isLuhnValid(number)) {
        return { status: 'declined', declineCode: 'invalid_number', message: 'Your card number is invalid.' };
      }
      const behaviour = SANDBOX_CARDS[number];
      if (behaviour === undefined) {
        return {
          status: 'declined',
          declineCode: 'incorrect_number',
          message: 'Your card number is incorrect: the sandbox accepts only its test cards.',
        };
      }
      if (behaviour === 'declined') return CARD_DECLINED;
      return {
        status: 'saved',
        paymentMethodId: paymentMethodIdOf(number),
        last4: number.slice(-4),
        brand: cardBrand(number),
        fingerprint: fingerprintOf(number),
      };
    },

    async charge(request): Promise<ChargeResult> {
      if (!Number.isInteger(request.amountCents) || request.amountCents <= 0) {
        throw new RangeError(`amountCents must be a positive integer, got ${request.amountCents}`);
      }
      const behaviour = BY_PAYMENT_METHOD.get(request.paymentMethodId);
      if (behaviour === undefined) {
        return {
          status: 'declined',
          declineCode: 'payment_method_unknown',
          message: 'The sandbox does not know this payment method.',
        };
      }
      if (behaviour === 'declined' || (behaviour === 'failsAtRenewal' && request.offSession)) {
        return CARD_DECLINED;
      }
      // Same key, same charge id: what a processor answers to a repeated idempotency key.
      const chargeId = `ch_sandbox_${createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 24)}`;
      return { status: 'succeeded', chargeId };
    },
  };
}
