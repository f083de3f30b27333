/**
 * The payment port: everything the subscriptions service asks of a payment processor. It is the
 * extension point for a real processor — write an adapter that implements `PaymentProvider` and
 * wire it in the handlers in place of the sandbox. `docs/payments.md` maps each method onto
 * Stripe's API.
 */
import type { Card } from '#contracts/api/subscriptions.ts';

/** Prices in `PLANS` are in cents of this currency. */
export const CURRENCY = 'usd';

/** A card the processor accepted and stored; only this reference is kept, never the number. */
export interface SavedCard {
  /** The processor's reference to the stored card, used for every later charge. */
  readonly paymentMethodId: string;
  readonly last4: string;
  /** `visa`, `mastercard`, `amex`, `discover` or `unknown`. */
  readonly brand: string;
  /**
   * Stable for one card number however many times it is saved (Stripe's `card.fingerprint`).
   * Part of the idempotency key of a charge made while the customer is present, so the same
   * card submitted twice for the same period is charged once.
   */
  readonly fingerprint: string;
}

/** The processor refused: the API answers 402 `PAYMENT_DECLINED`. */
export interface Declined {
  readonly status: 'declined';
  /** The processor's reason (`card_declined`, `incorrect_number`, `insufficient_funds` …). */
  readonly declineCode: string;
  /** A message fit to show the customer. */
  readonly message: string;
}

export type SaveCardResult = ({ readonly status: 'saved' } & SavedCard) | Declined;

export interface ChargeRequest {
  readonly accountId: string;
  readonly paymentMethodId: string;
  /** A positive whole number of cents. */
  readonly amountCents: number;
  readonly currency: typeof CURRENCY;
  /**
   * The processor must charge at most once per key and answer a repeated key with the first
   * outcome (Stripe's `Idempotency-Key` header). See `chargeKeys` in `subscription.ts`.
   */
  readonly idempotencyKey: string;
  /**
   * `true` when the customer is not there to authenticate (the renewal job): Stripe's
   * `off_session`. Some cards only fail then.
   */
  readonly offSession: boolean;
}

export type ChargeResult = { readonly status: 'succeeded'; readonly chargeId: string } | Declined;

/**
 * A payment processor. A refusal is a result (`declined`), not an exception: the caller turns it
 * into a 402 or a PAST_DUE subscription. Throw only when the outcome is unknown (network,
 * processor outage): the caller then retries with the same idempotency key, so a charge that did
 * happen is not made twice.
 */
export interface PaymentProvider {
  /** Validates and stores a card for the account; declines cards the processor refuses. */
  saveCard(accountId: string, card: Card): Promise<SaveCardResult>;
  /** Charges a saved card. */
  charge(request: ChargeRequest): Promise<ChargeResult>;
}
