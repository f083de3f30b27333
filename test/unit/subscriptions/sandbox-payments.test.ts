import { describe, expect, it } from 'vitest';
import { SANDBOX_CARDS, sandboxPayments } from '../../../lambdas/subscriptions/adapters/sandbox-payments.ts';
import type { ChargeRequest, SavedCard } from '../../../lambdas/subscriptions/domain/payments.ts';

const sandbox = sandboxPayments();

async function saved(number: string): Promise<SavedCard> {
  const result = await sandbox.saveCard('acct-1', { number });
  if (result.status !== 'saved') throw new Error(`sandbox refused ${number}: ${result.declineCode}`);
  return result;
}

function chargeOf(card: SavedCard, overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  return {
    accountId: 'acct-1',
    paymentMethodId: card.paymentMethodId,
    amountCents: 799,
    currency: 'usd',
    idempotencyKey: 'acct-1#2026-12-01T10:00:00.000Z',
    offSession: false,
    ...overrides,
  };
}

describe('sandbox payments', () => {
  it('saves 4242 4242 4242 4242 as a visa reference without its number', async () => {
    const card = await saved('4242424242424242');

    expect(card).toMatchObject({ status: 'saved', last4: '4242', brand: 'visa' });
    expect(card.paymentMethodId).toMatch(/^pm_sandbox_4242_[0-9a-f]{16}$/);
    expect(JSON.stringify(card)).not.toContain('424242424242');
  });

  it('charges 4242 on and off session', async () => {
    const card = await saved('4242424242424242');

    const present = await sandbox.charge(chargeOf(card));
    const renewal = await sandbox.charge(chargeOf(card, { offSession: true, idempotencyKey: 'k2' }));

    expect(present).toMatchObject({ status: 'succeeded', chargeId: expect.stringMatching(/^ch_sandbox_/) });
    expect(renewal.status).toBe('succeeded');
  });

  it('declines 4000 0000 0000 0002 with card_declined', async () => {
    const result = await sandbox.saveCard('acct-1', { number: '4000000000000002' });

    expect(result).toEqual({
      status: 'declined',
      declineCode: 'card_declined',
      message: 'Your card was declined.',
    });
  });

  it('accepts 4000 0000 0000 0341 and its charge with the customer present, but declines every renewal', async () => {
    const card = await saved('4000000000000341');

    const first = await sandbox.charge(chargeOf(card));
    const renewal = await sandbox.charge(chargeOf(card, { offSession: true }));
    const retry = await sandbox.charge(chargeOf(card, { offSession: true, idempotencyKey: 'k#retry-2' }));

    expect(first.status).toBe('succeeded');
    expect(renewal).toMatchObject({ status: 'declined', declineCode: 'card_declined' });
    expect(retry).toMatchObject({ status: 'declined', declineCode: 'card_declined' });
  });

  it('declines any other well-formed number with incorrect_number: it knows only its test cards', async () => {
    const result = await sandbox.saveCard('acct-1', { number: '5555555555554444' });

    expect(result).toMatchObject({ status: 'declined', declineCode: 'incorrect_number' });
  });

  it('declines a number that fails the Luhn check with invalid_number', async () => {
    const result = await sandbox.saveCard('acct-1', { number: '4242424242424241' });

    expect(result).toMatchObject({ status: 'declined', declineCode: 'invalid_number' });
  });

  it('gives the same reference for the same card in any container, and different ones for different cards', async () => {
    const first = await saved('4242424242424242');
    const again = await sandboxPayments().saveCard('acct-2', { number: '4242424242424242' });
    const other = await saved('4000000000000341');

    expect(again).toEqual(first);
    expect(other.fingerprint).not.toBe(first.fingerprint);
  });

  it('answers a repeated idempotency key with the same charge id, and a new key with a new one', async () => {
    const card = await saved('4242424242424242');

    const first = await sandbox.charge(chargeOf(card));
    const repeated = await sandboxPayments().charge(chargeOf(card));
    const next = await sandbox.charge(chargeOf(card, { idempotencyKey: 'acct-1#2027-01-01T10:00:00.000Z' }));

    expect(repeated).toEqual(first);
    expect(next).not.toEqual(first);
  });

  it('declines a payment method it did not issue', async () => {
    const result = await sandbox.charge({
      accountId: 'acct-1',
      paymentMethodId: 'pm_sandbox_4242_0000000000000000',
      amountCents: 799,
      currency: 'usd',
      idempotencyKey: 'k',
      offSession: true,
    });

    expect(result).toMatchObject({ status: 'declined', declineCode: 'payment_method_unknown' });
  });

  it('refuses to charge an amount that is not a positive whole number of cents', async () => {
    const card = await saved('4242424242424242');

    await expect(sandbox.charge(chargeOf(card, { amountCents: 7.99 }))).rejects.toThrow(RangeError);
    await expect(sandbox.charge(chargeOf(card, { amountCents: 0 }))).rejects.toThrow(RangeError);
  });

  it('lists exactly the three documented test cards', () => {
    expect(SANDBOX_CARDS).toEqual({
      '4242424242424242': 'succeeds',
      '4000000000000002': 'declined',
      '4000000000000341': 'failsAtRenewal',
    });
  });
});
