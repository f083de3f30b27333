/** Checks on a card that need no processor: refused with 400 before anyone is asked to pay. */
import type { Card } from '#contracts/api/subscriptions.ts';
import { BadRequestError } from '#shared/errors.ts';

/** The Luhn (mod 10) check digit test every card number passes. */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The card network, from the number's prefix (IIN ranges). */
export function cardBrand(digits: string): string {
  if (/^4/.test(digits)) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(digits)) return 'mastercard';
  if (/^3[47]/.test(digits)) return 'amex';
  if (/^(6011|65|64[4-9])/.test(digits)) return 'discover';
  return 'unknown';
}

/**
 * Refuses (400 `INVALID_CARD`) a number that fails the Luhn check or a card whose expiry month,
 * when given, has passed. Anything subtler is the processor's call (402).
 */
export function assertCardUsable(card: Card, now: Date): void {
  if (!isLuhnValid(card.number)) {
    throw new BadRequestError('INVALID_CARD', 'card.number: not a valid card number (check digit).');
  }
  if (card.expYear !== undefined && card.expMonth !== undefined) {
    const expiry = card.expYear * 12 + (card.expMonth - 1);
    const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
    if (expiry < current) {
      const month = String(card.expMonth).padStart(2, '0');
      throw new BadRequestError('INVALID_CARD', `card: the card expired in ${month}/${card.expYear}.`);
    }
  }
}
