/**
 * The local stand-in for a CloudFront KeyValueStore: string keys and values in a Map, persisted
 * to one JSON file in the format CloudFront imports a store from (`{ "data": [{ "key", "value" }] }`,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/kvs-with-functions-create-s3-kvp.html),
 * with the same size limits. The local edges read it through the function runner's
 * `cf.kvs()`; the playback service's local adapter writes keys and revocations with `put` and
 * `delete`. Reads pick up writes made by another process (a Lambda worker) to the same file.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { EdgeKeyValueStore } from '../../lambdas/playback/domain/ports.ts';

/** CloudFront's limits on one key value store. */
export const KVS_LIMITS = { keyChars: 512, valueChars: 1024, totalBytes: 5 * 1024 * 1024 } as const;

export interface KeyValueStoreOptions {
  /** Folder of the JSON file; omitted: in memory only (tests). */
  dir?: string;
  /** File name without `.json`. @default 'edge-kvs' */
  name?: string;
}

interface KvsFile {
  data: { key: string; value: string }[];
}

export class LocalKeyValueStore {
  /** The JSON file, or `undefined` for a store in memory. */
  readonly file: string | undefined;
  #entries = new Map<string, string>();
  /** mtime and size of the file as last read or written: a change means another writer. */
  #seen = '';

  constructor(options: KeyValueStoreOptions = {}) {
    if (options.dir === undefined) {
      this.file = undefined;
      return;
    }
    mkdirSync(options.dir, { recursive: true });
    this.file = join(options.dir, `${options.name ?? 'edge-kvs'}.json`);
    this.#reload();
  }

  /** The value, or `undefined` when the key is absent (the function's `get()` rejects then). */
  get(key: string): string | undefined {
    this.#reload();
    return this.#entries.get(key);
  }

  has(key: string): boolean {
    this.#reload();
    return this.#entries.has(key);
  }

  /** Adds or replaces a key, as the KeyValueStore API's PutKey does. */
  put(key: string, value: string): void {
    if (key.length === 0 || key.length > KVS_LIMITS.keyChars) {
      throw new RangeError(`A key value store key has 1 to ${KVS_LIMITS.keyChars} characters.`);
    }
    if (value.length > KVS_LIMITS.valueChars) {
      throw new RangeError(`A key value store value has at most ${KVS_LIMITS.valueChars} characters.`);
    }
    this.#reload();
    const previous = this.#entries.get(key);
    this.#entries.set(key, value);
    if (this.#byteSize() > KVS_LIMITS.totalBytes) {
      if (previous === undefined) this.#entries.delete(key);
      else this.#entries.set(key, previous);
      throw new RangeError(`A key value store holds at most ${KVS_LIMITS.totalBytes} bytes.`);
    }
    this.#save();
  }

  /** Removes a key; `false` when it was absent. */
  delete(key: string): boolean {
    this.#reload();
    const removed = this.#entries.delete(key);
    if (removed) this.#save();
    return removed;
  }

  keys(): string[] {
    this.#reload();
    return [...this.#entries.keys()];
  }

  #byteSize(): number {
    let total = 0;
    for (const [key, value] of this.#entries) total += Buffer.byteLength(key) + Buffer.byteLength(value);
    return total;
  }

  #stamp(): string {
    if (this.file === undefined) return '';
    try {
      const stat = statSync(this.file, { bigint: true });
      return `${stat.mtimeNs}:${stat.size}:${stat.ino}`;
    } catch {
      return 'absent';
    }
  }

  #reload(): void {
    if (this.file === undefined) return;
    const stamp = this.#stamp();
    if (stamp === this.#seen) return;
    this.#entries = new Map();
    if (stamp !== 'absent') {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as KvsFile;
      for (const entry of parsed.data) this.#entries.set(entry.key, entry.value);
    }
    this.#seen = stamp;
  }

  /** Write to a temporary file and rename: readers never see half a file. */
  #save(): void {
    if (this.file === undefined) return;
    const body: KvsFile = { data: [...this.#entries].map(([key, value]) => ({ key, value })) };
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(body, null, 2)}\n`);
    renameSync(temporary, this.file);
    this.#seen = this.#stamp();
  }
}

/**
 * The store behind playback's `EdgeKeyValueStore` port: what PutKey and UpdateKeys do to
 * CloudFront's store on AWS. The local platform stands it in for the functions that revoke
 * sessions (`local/lambda/stand-ins.ts`).
 */
export function edgeKeyValueStorePort(store: LocalKeyValueStore): EdgeKeyValueStore {
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

/** The port over the store in `file` (`<dir>/<name>.json`), shared with the local edges. */
export function edgeKeyValueStoreFile(file: string): EdgeKeyValueStore {
  return edgeKeyValueStorePort(new LocalKeyValueStore({ dir: dirname(file), name: basename(file, '.json') }));
}
