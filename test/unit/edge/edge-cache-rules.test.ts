import { describe, expect, it } from 'vitest';
import { cacheTtlSec } from '#local/edge/cache-rules.ts';

/** Distinct from every lifetime below, so that a fallback to it cannot pass for one of them. */
const DEFAULT_TTL_SEC = 86_400;

describe('edge cache rules', () => {
  describe('cacheTtlSec', () => {
    it.each([
      ['public, max-age=31536000, immutable', 31_536_000],
      ['public, max-age=2', 2],
      ['max-age=60, s-maxage=600', 600],
      ['MAX-AGE=5', 5],
    ])('keeps "%s" for %i s', (header, seconds) => {
      expect(cacheTtlSec(header, DEFAULT_TTL_SEC)).toBe(seconds);
    });

    it.each([
      'no-store',
      'no-cache',
      'private, max-age=60',
      'max-age=0',
      'max-age=abc',
      's-maxage=0, max-age=60',
    ])('does not store "%s"', (header) => {
      expect(cacheTtlSec(header, DEFAULT_TTL_SEC)).toBeUndefined();
    });

    it('falls back to the default TTL without Cache-Control or without a lifetime', () => {
      expect(cacheTtlSec(null, DEFAULT_TTL_SEC)).toBe(DEFAULT_TTL_SEC);
      expect(cacheTtlSec('public', DEFAULT_TTL_SEC)).toBe(DEFAULT_TTL_SEC);
      expect(cacheTtlSec('immutable', 120)).toBe(120);
    });

    it("prefers the origin's lifetime to the default TTL, longer or shorter", () => {
      expect(cacheTtlSec('max-age=10', 120)).toBe(10);
      expect(cacheTtlSec('max-age=600', 120)).toBe(600);
    });
  });
});
