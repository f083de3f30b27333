/**
 * A `RangeReader` over an S3 object: one HeadObject for the size, then ranged GetObjects. MediaInfo
 * asks for 256 KiB at a time and often steps back (the MP4 index sits at the end, then it returns
 * to the first frames), so reads go through a small cache of recently fetched ranges whose
 * read-ahead doubles while MediaInfo keeps reading forward: a probe costs a handful of requests,
 * not one per chunk.
 */
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { LRUCache } from 'lru-cache';
import type { RangeReader } from './media-probe.ts';

/** Read-ahead tuning; the defaults suit MediaInfo's access pattern. */
export interface S3RangeReaderOptions {
  /** Smallest GET; a read after a seek fetches this much. @default 1 MiB */
  readonly minFetchBytes?: number;
  /** Largest GET the doubling read-ahead grows to. @default 8 MiB */
  readonly maxFetchBytes?: number;
  /** Fetched ranges kept; memory stays under this × `maxFetchBytes`. @default 4 */
  readonly maxCachedRanges?: number;
}

/** What the reader cost, for logs and tests. */
export interface S3ReadStats {
  readonly requests: number;
  readonly bytesFetched: number;
}

/** A `RangeReader` that also reports its S3 traffic. */
export interface S3RangeReader extends RangeReader {
  /** The object's ETag at HeadObject time; every GET is conditional on it. */
  readonly etag: string | undefined;
  readonly stats: S3ReadStats;
}

/** The object was overwritten while it was being read: its bytes no longer belong together. */
export class SourceChangedError extends Error {
  override readonly name = 'SourceChangedError';
}

/** S3 answered a ranged GET with something other than the bytes asked for. */
export class SourceReadError extends Error {
  override readonly name = 'SourceReadError';
}

interface CachedRange {
  readonly start: number;
  readonly bytes: Uint8Array;
}

/**
 * Opens `s3://bucket/key` for ranged reads. S3 errors (NoSuchKey, AccessDenied, throttling)
 * propagate as the SDK raised them, so the caller's retry policy sees them unchanged.
 */
export async function s3RangeReader(
  s3: S3Client,
  bucket: string,
  key: string,
  options: S3RangeReaderOptions = {},
): Promise<S3RangeReader> {
  const minFetch = options.minFetchBytes ?? 1024 ** 2;
  const maxFetch = Math.max(minFetch, options.maxFetchBytes ?? 8 * 1024 ** 2);
  const maxCached = Math.max(1, options.maxCachedRanges ?? 4);

  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  if (head.ContentLength === undefined) {
    throw new SourceReadError(`HeadObject gave no size for s3://${bucket}/${key}`);
  }
  const size = head.ContentLength;
  const etag = head.ETag;
  const stats = { requests: 0, bytesFetched: 0 };
  // Fetched bytes by the offset they start at; a hit makes a range the most recently used.
  const cache = new LRUCache<number, Uint8Array>({ max: maxCached });

  async function fetchRange(start: number, end: number): Promise<Uint8Array> {
    stats.requests += 1;
    let body: Uint8Array | undefined;
    try {
      const response = await s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end - 1}`, IfMatch: etag }),
      );
      body = await response.Body?.transformToByteArray();
    } catch (error) {
      if (httpStatus(error) === 412) {
        throw new SourceChangedError(`s3://${bucket}/${key} changed while it was being read`, {
          cause: error,
        });
      }
      throw error;
    }
    if (body?.byteLength !== end - start) {
      throw new SourceReadError(
        `Asked s3://${bucket}/${key} for bytes ${start}-${end - 1}, got ${body?.byteLength ?? 'no'} bytes`,
      );
    }
    stats.bytesFetched += body.byteLength;
    return body;
  }

  /** The cached range holding `position`, now the most recently used; ranges are few (`maxCached`). */
  function cachedAt(position: number): CachedRange | undefined {
    for (const [start, bytes] of cache.entries()) {
      if (position >= start && position < start + bytes.length) {
        cache.get(start);
        return { start, bytes };
      }
    }
    return undefined;
  }

  /** The cached range that ends where `position` starts, without touching its recency. */
  function endingAt(position: number): CachedRange | undefined {
    for (const [start, bytes] of cache.entries()) {
      if (start + bytes.length === position) return { start, bytes };
    }
    return undefined;
  }

  return {
    size,
    etag,
    stats,
    async read(offset, length) {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
        throw new RangeError(`Invalid read of ${length} bytes at ${offset}`);
      }
      const end = Math.min(offset + length, size);
      const parts: Uint8Array[] = [];
      let position = offset;
      while (position < end) {
        const hit = cachedAt(position);
        if (hit !== undefined) {
          const upTo = Math.min(end, hit.start + hit.bytes.length);
          parts.push(hit.bytes.subarray(position - hit.start, upTo - hit.start));
          position = upTo;
          continue;
        }
        // A read that picks up where a fetched range ends is a forward scan: fetch twice as much
        // as last time. After a seek, start small again.
        const continued = endingAt(position);
        const fetchBytes =
          continued === undefined
            ? minFetch
            : Math.min(maxFetch, Math.max(minFetch, 2 * continued.bytes.length));
        const fetchEnd = Math.min(size, Math.max(end, position + fetchBytes));
        cache.set(position, await fetchRange(position, fetchEnd));
      }
      return parts.length === 1 && parts[0] !== undefined ? parts[0] : concat(parts);
    },
  };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  return metadata?.httpStatusCode;
}
