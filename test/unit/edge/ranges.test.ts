import { describe, expect, it } from 'vitest';
import { parseRange } from '#local/edge/ranges.ts';

describe('edge ranges', () => {
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

    it.each(['bytes=0-', 'bytes=-1'])('finds %s unsatisfiable on an empty body', (header) => {
      expect(parseRange(header, 0)).toBe('unsatisfiable');
    });

    it.each([
      undefined,
      'bytes=0-1,5-9',
      'bytes=0-1,5000-',
      'items=0-1',
      'bytes=9-1',
      'bytes=-',
      'bytes=',
      'bytes=a-b',
    ])('ignores %s (the whole body is sent)', (header) => {
      expect(parseRange(header, 1000)).toBeUndefined();
    });
  });
});
