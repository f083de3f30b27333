import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KVS_LIMITS, LocalKeyValueStore } from '#local/edge/key-value-store.ts';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edge-kvs-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('local KeyValueStore', () => {
  it('keeps entries in the JSON format CloudFront imports a store from', () => {
    const store = new LocalKeyValueStore({ dir, name: 'keys' });

    store.put('key:k1', 'c2VjcmV0');
    store.put('revoked:s1', '1');

    expect(JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8'))).toEqual({
      data: [
        { key: 'key:k1', value: 'c2VjcmV0' },
        { key: 'revoked:s1', value: '1' },
      ],
    });
  });

  it('survives a restart: a new instance reads what the last one wrote', () => {
    new LocalKeyValueStore({ dir }).put('key:k1', 'c2VjcmV0');

    expect(new LocalKeyValueStore({ dir }).get('key:k1')).toBe('c2VjcmV0');
  });

  it('sees puts and deletes made through another instance of the same file (another process)', () => {
    const edge = new LocalKeyValueStore({ dir });
    const playback = new LocalKeyValueStore({ dir });
    expect(edge.has('revoked:s1')).toBe(false);

    playback.put('revoked:s1', '1');
    expect(edge.has('revoked:s1')).toBe(true);

    playback.delete('revoked:s1');
    expect(edge.has('revoked:s1')).toBe(false);
  });

  it('answers undefined for an absent key and false when deleting one', () => {
    const store = new LocalKeyValueStore();

    expect(store.get('nope')).toBeUndefined();
    expect(store.delete('nope')).toBe(false);
  });

  it('refuses keys and values beyond CloudFront limits', () => {
    const store = new LocalKeyValueStore();

    expect(() => store.put('k'.repeat(KVS_LIMITS.keyChars + 1), 'v')).toThrow(RangeError);
    expect(() => store.put('', 'v')).toThrow(RangeError);
    expect(() => store.put('k', 'v'.repeat(KVS_LIMITS.valueChars + 1))).toThrow(RangeError);
    expect(store.keys()).toEqual([]);
  });
});
