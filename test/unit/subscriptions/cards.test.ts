import { describe, expect, it } from 'vitest';
import { assertCardUsable, cardBrand, isLuhnValid } from '../../../lambdas/subscriptions/domain/cards.ts';

const NOW = new Date('2026-11-15T00:00:00.000Z');

describe('card checks', () => {
  it.each([
    '4242424242424242',
    '4000000000000002',
    '4000000000000341',
    '5555555555554444',
    '378282246310005',
    '6011111111111117',
  ])('accepts the check digit of %s', (number) => {
    expect(isLuhnValid(number)).toBe(true);
  });

  it.each(['4242424242424241', '4000000000000003', '1234567890123', 'abcd'])(
    'rejects the check digit of %s',
    (number) => {
      expect(isLuhnValid(number)).toBe(false);
    },
  );

  it.each([
    ['4242424242424242', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['2223003122003222', 'mastercard'],
    ['378282246310005', 'amex'],
    ['6011111111111117', 'discover'],
    ['3056930009020004', 'unknown'],
  ])('names the network of %s: %s', (number, brand) => {
    expect(cardBrand(number)).toBe(brand);
  });

  it('refuses a number that fails the check digit with INVALID_CARD', () => {
    expect(() => assertCardUsable({ number: '4242424242424241' }, NOW)).toThrow(
      expect.objectContaining({ code: 'INVALID_CARD', status: 400 }),
    );
  });

  it('refuses a card that expired last month, and accepts one that expires this month', () => {
    expect(() => assertCardUsable({ number: '4242424242424242', expMonth: 10, expYear: 2026 }, NOW)).toThrow(
      expect.objectContaining({ code: 'INVALID_CARD' }),
    );
    expect(() =>
      assertCardUsable({ number: '4242424242424242', expMonth: 11, expYear: 2026 }, NOW),
    ).not.toThrow();
  });
});
