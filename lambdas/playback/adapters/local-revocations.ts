/**
 * The local edges' KeyValueStore (`local/edge/key-value-store.ts`, a JSON file the edges read
 * their keys and revocations from) behind the `EdgeKeyValueStore` port, and playback's
 * revocations in it: what PutKey and UpdateKeys do to CloudFront's store on AWS.
 */
import { basename, dirname } from 'node:path';
import { LocalKeyValueStore } from '../../../local/edge/key-value-store.ts';
import { revocationsIn } from '../domain/edge-store.ts';
import type { EdgeKeyValueStore, Revocations } from '../domain/ports.ts';

export function localEdgeKeyValueStore(store: LocalKeyValueStore): EdgeKeyValueStore {
  return {
    async list(prefix) {
      return store
        .keys()
        .filter((key) => key.startsWith(prefix))
        .map((key) => ({ key, value: store.get(key) ?? '' }));
    },
    async put(key, value) {
      store.put(key, value);
    },
    async remove(keys) {
      for (const key of keys) store.delete(key);
    },
  };
}

/** `file` is the store's JSON file (`<dir>/<name>.json`), shared with the local edges. */
export function localKeyValueStoreRevocations(file: string): Revocations {
  const store = new LocalKeyValueStore({ dir: dirname(file), name: basename(file, '.json') });
  return revocationsIn(localEdgeKeyValueStore(store));
}
