/**
 * Revocations for the local edges: `revoked:<sessionId>` in the local KeyValueStore file the
 * edges read their keys and revocations from (`local/edge/key-value-store.ts`), as PutKey would
 * write it into CloudFront's KeyValueStore.
 */

import { basename, dirname } from 'node:path';
import { EDGE_REVOKED_VALUE, edgeRevocationEntry } from '#contracts/edge.ts';
import { LocalKeyValueStore } from '../../../local/edge/key-value-store.ts';
import type { Revocations } from '../domain/ports.ts';

/** `file` is the store's JSON file (`<dir>/<name>.json`), shared with the local edges. */
export function localKeyValueStoreRevocations(file: string): Revocations {
  const store = new LocalKeyValueStore({ dir: dirname(file), name: basename(file, '.json') });
  return {
    async revoke(sessionId) {
      store.put(edgeRevocationEntry(sessionId), EDGE_REVOKED_VALUE);
    },
  };
}
