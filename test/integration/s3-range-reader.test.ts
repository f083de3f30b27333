import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '#media-pipeline/adapters/media-probe.ts';
import { s3RangeReader } from '#media-pipeline/adapters/s3-range-reader.ts';
import { validateSource } from '#media-pipeline/domain/validation.ts';
import { makeClip } from '../support/clips.ts';
import { fileRangeReader } from '../support/file-range-reader.ts';
import { s3rverClient, startS3rver } from '../support/s3rver.ts';

const BUCKET = 'ingest';

let dir: string;
let server: ChildProcess | undefined;
let s3: S3Client;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'showrunner-s3-range-'));
  const started = await startS3rver(join(dir, 's3'));
  server = started.process;
  s3 = s3rverClient(started.port);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  s3?.destroy();
  server?.kill();
  await rm(dir, { recursive: true, force: true });
});

async function upload(key: string, path: string): Promise<Uint8Array> {
  const body = new Uint8Array(await readFile(path));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  return body;
}

describe('s3RangeReader', () => {
  it('returns exactly the bytes of the object at any offset, clipped at its end', async () => {
    const path = await makeClip(dir, { durationSec: 4 });
    const bytes = await upload('sources/job-bytes/clip.mp4', path);
    const reader = await s3RangeReader(s3, BUCKET, 'sources/job-bytes/clip.mp4', {
      minFetchBytes: 64 * 1024,
    });

    expect(reader.size).toBe(bytes.byteLength);
    // In order: a fresh fetch, a hit inside it, a read spanning a cached range and a new fetch,
    // a read running past the end, and an empty read.
    const reads = [
      [1000, 500],
      [1200, 100],
      [60 * 1024, 200 * 1024],
      [bytes.byteLength - 10, 100],
      [bytes.byteLength, 10],
    ] as const;
    for (const [offset, length] of reads) {
      const got = await reader.read(offset, length);
      expect(Buffer.from(got).equals(Buffer.from(bytes.subarray(offset, offset + length)))).toBe(true);
    }
  });

  it('serves MediaInfo a whole probe in a few requests, fetching well under the object', async () => {
    const path = await makeClip(dir, { durationSec: 120, fps: 30 });
    await upload('sources/job-probe/clip.mp4', path);
    const reader = await s3RangeReader(s3, BUCKET, 'sources/job-probe/clip.mp4');

    const summary = await probeMedia(reader);
    const fromFile = await probeMedia(await fileRangeReader(path));

    expect(summary).toEqual(fromFile);
    expect(validateSource(summary)).toMatchObject({ verdict: 'ACCEPTED', probe: { durationSec: 120 } });
    expect(reader.stats.requests).toBeLessThanOrEqual(5);
    expect(reader.stats.bytesFetched).toBeLessThan(reader.size * 0.4);
  });

  it('grows its read-ahead while reads move forward', async () => {
    const path = await makeClip(dir, { durationSec: 120, fps: 30 });
    await upload('sources/job-scan/clip.mp4', path);
    const reader = await s3RangeReader(s3, BUCKET, 'sources/job-scan/clip.mp4', {
      minFetchBytes: 256 * 1024,
      maxFetchBytes: 1024 * 1024,
    });

    // 16 sequential 256 KiB reads (4 MiB): fetches of 256 KiB, 512 KiB, then 1 MiB each.
    for (let offset = 0; offset < 4 * 1024 * 1024; offset += 256 * 1024) {
      await reader.read(offset, 256 * 1024);
    }

    expect(reader.stats.requests).toBe(6);
  });

  it('probes an empty object from its size alone', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'sources/job-empty/empty.mp4', Body: new Uint8Array(0) }),
    );
    const reader = await s3RangeReader(s3, BUCKET, 'sources/job-empty/empty.mp4');

    const result = validateSource(await probeMedia(reader));

    expect(result).toMatchObject({ verdict: 'REJECTED', code: 'SOURCE_EMPTY' });
    expect(reader.stats.requests).toBe(0);
  });

  it('lets a missing object fail with the SDK error', async () => {
    await expect(s3RangeReader(s3, BUCKET, 'sources/job-missing/none.mp4')).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
  });
});
