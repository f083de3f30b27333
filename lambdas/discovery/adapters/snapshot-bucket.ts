/**
 * The discovery bucket: the catalog snapshot and the search index the indexer writes, read by
 * every discovery function. A reader keeps the last copy in the execution environment and asks
 * S3 again at most every `maxAgeMs`, with `If-None-Match`, so a warm function pays nothing for an
 * unchanged catalog and sees a changed one within seconds.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CATALOG_SNAPSHOT_KEY, SEARCH_INDEX_KEY } from '#contracts/storage.ts';
import type { CatalogSnapshot } from '../domain/ports.ts';

/** How long a copy is used before S3 is asked whether it changed. */
export const SNAPSHOT_MAX_AGE_MS = 30_000;

interface Cached<T> {
  readonly value: T;
  readonly etag: string | undefined;
  readonly checkedAt: number;
}

/** A JSON object read through an in-function cache; `undefined` while the object does not exist. */
export function cachedObject<T>(
  s3: S3Client,
  bucket: string,
  key: string,
  parse: (text: string) => T,
  options: { maxAgeMs?: number; now?: () => number } = {},
): () => Promise<T | undefined> {
  const maxAgeMs = options.maxAgeMs ?? SNAPSHOT_MAX_AGE_MS;
  const now = options.now ?? Date.now;
  let cached: Cached<T> | undefined;
  let pending: Promise<T | undefined> | undefined;

  async function refresh(): Promise<T | undefined> {
    try {
      const object = await s3.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ...(cached?.etag ? { IfNoneMatch: cached.etag } : {}),
        }),
      );
      const text = (await object.Body?.transformToString('utf8')) ?? '';
      cached = { value: parse(text), etag: object.ETag, checkedAt: now() };
      return cached.value;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const name = (error as { name?: string }).name;
      if (status === 304 && cached) {
        cached = { ...cached, checkedAt: now() };
        return cached.value;
      }
      if (name === 'NoSuchKey' || status === 404) return undefined;
      throw error;
    }
  }

  return async () => {
    if (cached && now() - cached.checkedAt < maxAgeMs) return cached.value;
    pending ??= refresh().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}

export function snapshotReader(s3: S3Client, bucket: string): () => Promise<CatalogSnapshot | undefined> {
  return cachedObject(s3, bucket, CATALOG_SNAPSHOT_KEY, (text) => JSON.parse(text) as CatalogSnapshot);
}

export function searchIndexReader<T>(
  s3: S3Client,
  bucket: string,
  load: (serialized: string) => T,
): () => Promise<T | undefined> {
  return cachedObject(s3, bucket, SEARCH_INDEX_KEY, load);
}

/** The indexer's writes: the snapshot first, then the index built from it. */
export async function writeSnapshot(
  s3: S3Client,
  bucket: string,
  snapshot: CatalogSnapshot,
  serializedIndex: string,
): Promise<void> {
  const json = 'application/json';
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: CATALOG_SNAPSHOT_KEY,
      Body: JSON.stringify(snapshot),
      ContentType: json,
    }),
  );
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: SEARCH_INDEX_KEY, Body: serializedIndex, ContentType: json }),
  );
}
