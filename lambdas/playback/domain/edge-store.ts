/**
 * What playback keeps in the edge KeyValueStore, over the `EdgeKeyValueStore` port: revocations
 * that expire (`revoked:<sessionId>` → the epoch its tokens die at) and the signing keys copied
 * from their source (`key:<kid>` → base64 secret). Pure: the store and the time are given.
 */
import {
  EDGE_KEY_ENTRY_PREFIX,
  EDGE_REVOCATION_ENTRY_PREFIX,
  edgeKeyEntry,
  edgeRevocationEntry,
  edgeRevocationValue,
  revokedUntil,
} from '#contracts/edge.ts';
import type { EdgeKeyValueStore, Revocations, SigningKey } from './ports.ts';

/**
 * A revocation is kept this long past its tokens' expiry before a sweep deletes it: the edges'
 * clocks and the sweeper's may differ by a little, and a deleted revocation of a token the edge
 * still finds unexpired would let it play again.
 */
export const REVOCATION_SWEEP_MARGIN_SEC = 300;

/** Revocations as entries of the edge KeyValueStore, swept once their tokens have expired. */
export function revocationsIn(store: EdgeKeyValueStore): Revocations {
  return {
    async revoke(sessionId, untilEpoch) {
      await store.put(edgeRevocationEntry(sessionId), edgeRevocationValue(untilEpoch));
    },
    async sweep(nowEpoch) {
      const entries = await store.list(EDGE_REVOCATION_ENTRY_PREFIX);
      const expired = entries
        .filter((entry) => {
          const until = revokedUntil(entry.value);
          return until === undefined || until + REVOCATION_SWEEP_MARGIN_SEC <= nowEpoch;
        })
        .map((entry) => entry.key);
      if (expired.length > 0) await store.remove(expired);
      return expired.length;
    },
  };
}

export interface SigningKeySync {
  /** Key ids written (new, or with a changed secret). */
  readonly put: readonly string[];
  /** Key ids deleted: in the store, but in no version of the source. */
  readonly removed: readonly string[];
}

/**
 * Makes the store's `key:<kid>` entries exactly `keys`: puts the missing or changed ones first,
 * then deletes the ones no longer listed (a retired key: tokens signed with it are refused from
 * then on). Throws, before writing anything, when one key id comes with two secrets.
 */
export async function syncSigningKeys(
  store: EdgeKeyValueStore,
  keys: readonly SigningKey[],
): Promise<SigningKeySync> {
  if (keys.length === 0)
    throw new Error('No signing keys to provision: the store would be left without any.');
  const wanted = new Map<string, string>();
  for (const key of keys) {
    const entry = edgeKeyEntry(key.kid);
    const known = wanted.get(entry);
    if (known !== undefined && known !== key.secret) {
      throw new Error(`The signing key ${key.kid} has two different secrets: give the new one a new key id.`);
    }
    wanted.set(entry, key.secret);
  }
  const existing = new Map((await store.list(EDGE_KEY_ENTRY_PREFIX)).map((e) => [e.key, e.value]));
  const put: string[] = [];
  for (const [entry, secret] of wanted) {
    if (existing.get(entry) === secret) continue;
    await store.put(entry, secret);
    put.push(entry.slice(EDGE_KEY_ENTRY_PREFIX.length));
  }
  const stale = [...existing.keys()].filter((entry) => !wanted.has(entry));
  if (stale.length > 0) await store.remove(stale);
  return { put, removed: stale.map((entry) => entry.slice(EDGE_KEY_ENTRY_PREFIX.length)) };
}
