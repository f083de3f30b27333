/**
 * What playback keeps in the edge KeyValueStore — revocations that are swept once their tokens
 * have expired, and the signing keys synced from their source — over the local edges' store
 * (in memory, and its file as the local platform shares it with the edges).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { edgeKeyEntry } from '#contracts/edge.ts';
import {
  edgeKeyValueStoreFile,
  edgeKeyValueStorePort,
  LocalKeyValueStore,
} from '#local/edge/key-value-store.ts';
import {
  REVOCATION_SWEEP_MARGIN_SEC,
  revocationsIn,
  syncSigningKeys,
} from '../../../lambdas/playback/domain/edge-store.ts';

const NOW = 1_900_000_000;
const K1 = 'A'.repeat(44);
const K2 = 'B'.repeat(44);

let kvs: LocalKeyValueStore;

beforeEach(() => {
  kvs = new LocalKeyValueStore();
});

describe('revocations in the edge KeyValueStore', () => {
  it('revoke a session until its tokens expire: the key the edge checks, the epoch as value', async () => {
    await revocationsIn(edgeKeyValueStorePort(kvs)).revoke('sess-1', NOW + 3600);

    expect(kvs.get('revoked:sess-1')).toBe(String(NOW + 3600));
  });

  it('sweep the revocations whose tokens expired (with a margin for clocks), and nothing else', async () => {
    const revocations = revocationsIn(edgeKeyValueStorePort(kvs));
    kvs.put(edgeKeyEntry('k1'), K1);
    await revocations.revoke('long-gone', NOW - 86_400);
    await revocations.revoke('just-expired', NOW - 1);
    await revocations.revoke('past-margin', NOW - REVOCATION_SWEEP_MARGIN_SEC);
    await revocations.revoke('still-playing', NOW + 60);
    kvs.put('revoked:legacy', '1');

    const swept = await revocations.sweep(NOW);

    expect(swept).toBe(3);
    expect(kvs.keys().sort()).toEqual(['key:k1', 'revoked:just-expired', 'revoked:still-playing']);
  });

  it('sweep nothing from an empty store', async () => {
    expect(await revocationsIn(edgeKeyValueStorePort(kvs)).sweep(NOW)).toBe(0);
  });

  describe('in the file the local edges read', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'revocations-'));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('are written to and swept from that file', async () => {
      const file = join(dir, 'edge-kvs.json');
      const revocations = revocationsIn(edgeKeyValueStoreFile(file));

      await revocations.revoke('sess-1', NOW - 3600);
      await revocations.revoke('sess-2', NOW + 3600);
      const before = JSON.parse(readFileSync(file, 'utf8')) as { data: { key: string }[] };
      await revocations.sweep(NOW);

      expect(before.data.map((e) => e.key)).toEqual(['revoked:sess-1', 'revoked:sess-2']);
      expect(new LocalKeyValueStore({ dir, name: 'edge-kvs' }).keys()).toEqual(['revoked:sess-2']);
    });
  });
});

describe('signing keys in the edge KeyValueStore', () => {
  it('puts every key of the source as key:<kid>', async () => {
    const sync = await syncSigningKeys(edgeKeyValueStorePort(kvs), [
      { kid: 'k2', secret: K2 },
      { kid: 'k1', secret: K1 },
    ]);

    expect(sync).toEqual({ put: ['k2', 'k1'], removed: [] });
    expect(kvs.get('key:k2')).toBe(K2);
    expect(kvs.get('key:k1')).toBe(K1);
  });

  it('writes only what changed, and removes the keys the source no longer lists', async () => {
    kvs.put(edgeKeyEntry('k1'), K1);
    kvs.put(edgeKeyEntry('k0'), 'C'.repeat(44));
    kvs.put('revoked:sess-1', String(NOW));

    const sync = await syncSigningKeys(edgeKeyValueStorePort(kvs), [
      { kid: 'k2', secret: K2 },
      { kid: 'k1', secret: K1 },
    ]);

    expect(sync).toEqual({ put: ['k2'], removed: ['k0'] });
    expect(kvs.keys().sort()).toEqual(['key:k1', 'key:k2', 'revoked:sess-1']);
  });

  it('accepts one key listed twice with the same secret (AWSCURRENT and AWSPENDING)', async () => {
    const sync = await syncSigningKeys(edgeKeyValueStorePort(kvs), [
      { kid: 'k1', secret: K1 },
      { kid: 'k2', secret: K2 },
      { kid: 'k1', secret: K1 },
    ]);

    expect(sync.put).toEqual(['k1', 'k2']);
  });

  it('refuses, writing nothing, one key id with two secrets', async () => {
    kvs.put(edgeKeyEntry('k0'), 'C'.repeat(44));

    await expect(
      syncSigningKeys(edgeKeyValueStorePort(kvs), [
        { kid: 'k1', secret: K1 },
        { kid: 'k1', secret: K2 },
      ]),
    ).rejects.toThrow(/k1 has two different secrets/);
    expect(kvs.keys()).toEqual(['key:k0']);
  });

  it('refuses to leave the store without keys', async () => {
    await expect(syncSigningKeys(edgeKeyValueStorePort(kvs), [])).rejects.toThrow(/No signing keys/);
  });
});
