import { describe, expect, it } from 'vitest';
import { EdgeCache } from '#local/edge/edge-cache.ts';

const object = (bytes: number, ttlMs = 60_000) => ({ headers: {}, body: Buffer.alloc(bytes), ttlMs });

describe('edge cache', () => {
  it('evicts the least recently used objects past its byte budget', () => {
    const cache = new EdgeCache({ maxBytes: 5000, clock: () => 0 });
    cache.store('/a', object(2000));
    cache.store('/b', object(2000));
    cache.get('/a');

    cache.store('/c', object(2000));

    expect(cache.get('/a')).toBeDefined();
    expect(cache.get('/b')).toBeUndefined();
    expect(cache.get('/c')).toBeDefined();
    expect({ objects: cache.objects, bytes: cache.bytes }).toEqual({ objects: 2, bytes: 4000 });
  });

  it('keeps no object larger than the budget, and drops the one it replaces', () => {
    const cache = new EdgeCache({ maxBytes: 5000, clock: () => 0 });
    cache.store('/a', object(1000));

    cache.store('/a', object(6000));

    expect(cache.get('/a')).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });

  it('tells fresh from stale and counts the age on its clock', () => {
    let now = 1_000_000;
    const cache = new EdgeCache({ maxBytes: 5000, clock: () => now });
    const stored = cache.store('/a', object(10, 2000));

    now += 1999;
    const fresh = cache.isFresh(stored);
    const age = cache.ageSec(stored);
    now += 1;

    expect(fresh).toBe(true);
    expect(age).toBe(1);
    expect(cache.isFresh(stored)).toBe(false);
    expect(cache.get('/a')).toBe(stored);
  });

  it('empties on clear', () => {
    const cache = new EdgeCache({ maxBytes: 5000, clock: () => 0 });
    cache.store('/a', object(10));

    cache.clear();

    expect({ objects: cache.objects, bytes: cache.bytes }).toEqual({ objects: 0, bytes: 0 });
  });
});
