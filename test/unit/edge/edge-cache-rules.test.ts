import { describe, expect, it } from 'vitest';
import { cacheTtlSec, parseRange } from '#local/edge/edge-server.ts';

describe('edge cache rules', () => {
  describe('cacheTtlSec', () => {
    it.each([
      ['public, max-age=31536000, immutable', 31_536_000],
      ['public, max-age=2', 2],
      ['max-age=60, s-maxage=600', 600],
      ['MAX-AGE=5', 5],
    ])('keeps "%s" for %i s', (header, seconds) => {
      expect(cacheTtlSec(header)).toBe(seconds);
    });

    it.each(['no-store', 'no-cache', 'private, max-age=60', 'max-age=0', 'max-age=abc'])(
      'does not store "%s"',
      (header) => {
        expect(cacheTtlSec(header)).toBeUndefined();
      },
    );

    it('falls back to the default TTL without Cache-Control or without a lifetime', () => {
      expect(cacheTtlSec(null)).toBe('default');
      expect(cacheTtlSec('public')).toBe('default');
    });
  });

  describe('parseRange', () => {
    it.each([
      ['bytes=0-99', { start: 0, end: 99 }],
      ['bytes=100-', { start: 100, end: 999 }],
      ['bytes=-100', { start: 900, end: 999 }],
      ['bytes=990-2000', { start: 990, end: 999 }],
      ['bytes=-5000', { start: 0, end: 999 }],
    ])('reads %s of 1000 bytes', (header, range) => {
      expect(parseRange(header, 1000)).toEqual(range);
    });

    it.each(['bytes=1000-', 'bytes=5000-6000', 'bytes=-0'])(
      'finds %s unsatisfiable on 1000 bytes',
      (header) => {
        expect(parseRange(header, 1000)).toBe('unsatisfiable');
      },
    );

    it.each([undefined, 'bytes=0-1,5-9', 'items=0-1', 'bytes=9-1', 'bytes=-'])(
      'ignores %s (the whole body is sent)',
      (header) => {
        expect(parseRange(header, 1000)).toBeUndefined();
      },
    );
  });
});
