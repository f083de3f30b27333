/**
 * The ChooseArtwork use case against an in-memory bucket, with real JPEGs (encoded by jpeg-js)
 * and the real decoder and digest the Lambda uses.
 */
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { posterCandidateSchema } from '#contracts/media.ts';
import { artworkDigest, decodeJpegLuma } from '#media-pipeline/adapters/jpeg-frames.ts';
import type { FrameCaptureKeys } from '#media-pipeline/domain/job-settings.ts';
import { type ArtworkObjects, publishPosterCandidates } from '#media-pipeline/domain/poster-candidates.ts';

const W = 128;
const H = 72;
const CAPTURES: FrameCaptureKeys = {
  baseKey: 'media/title-1/asset-1/candidates/candidate',
  intervalSec: 10,
  maxCaptures: 60,
};

/** A JPEG of a frame drawn by `pixel` (grey levels). */
function jpegOf(pixel: (x: number, y: number) => number): Uint8Array {
  const data = Buffer.alloc(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const v = Math.max(0, Math.min(255, Math.round(pixel(x, y))));
      data.set([v, v, v, 255], (y * W + x) * 4);
    }
  }
  return new Uint8Array(jpeg.encode({ width: W, height: H, data }, 90).data);
}

const black = () => jpegOf(() => 0);
/** Light and dark blocks laid out by `seed`, under fine detail: a sharp, distinct scene. */
function sharp(seed: number): Uint8Array {
  return jpegOf((x, y) => {
    const block = ((Math.floor(x / 32) * 7 + Math.floor(y / 18) * 3 + seed * 5) % 9) * 18 + 40;
    return block + ((x * 13 + y * 7 + seed) % 5) * 14 - 28;
  });
}

class MemoryBucket implements ArtworkObjects {
  readonly objects = new Map<string, Uint8Array>();
  readonly published: string[] = [];

  async list(prefix: string) {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix));
  }
  async read(key: string) {
    const bytes = this.objects.get(key);
    if (!bytes) throw new Error(`NoSuchKey ${key}`);
    return bytes;
  }
  async publish(key: string, bytes: Uint8Array) {
    this.published.push(key);
    this.objects.set(key, bytes);
  }
}

function bucketWith(captures: Uint8Array[]): MemoryBucket {
  const bucket = new MemoryBucket();
  captures.forEach((bytes, i) => {
    bucket.objects.set(`${CAPTURES.baseKey}.${String(i).padStart(7, '0')}.jpg`, bytes);
  });
  // Neighbours that are not captures of this group.
  bucket.objects.set('media/title-1/asset-1/thumbnails/thumb.0000000.jpg', sharp(99));
  bucket.objects.set(`${CAPTURES.baseKey}.final.jpg`, sharp(98));
  return bucket;
}

const deps = (bucket: MemoryBucket) => ({ objects: bucket, decode: decodeJpegLuma, digest: artworkDigest });
const input = { titleId: 'title-1', assetId: 'asset-1', captures: CAPTURES, durationSec: 60 };

describe('publishPosterCandidates', () => {
  it('publishes the good frames under artwork/ and leaves black ones unpublished', async () => {
    const bucket = bucketWith([black(), sharp(1), black(), sharp(2), sharp(3), black()]);

    const result = await publishPosterCandidates(deps(bucket), input);

    expect(result.candidates).toHaveLength(3);
    for (const candidate of result.candidates) {
      expect(posterCandidateSchema.parse(candidate)).toEqual(candidate);
      expect(candidate.key).toBe(`artwork/title-1/asset-1/${candidate.artworkId}.jpg`);
      expect(candidate.artworkId).toMatch(/^[0-9a-f]{16}$/);
      expect([10, 30, 40]).toContain(candidate.atSec);
    }
    expect(bucket.published.sort()).toEqual(result.candidates.map((c) => c.key).sort());
    expect(result.verdicts).toEqual({ BLACK: 3, CHOSEN: 3 });
    // The published bytes are the capture's, untouched.
    const first = result.candidates[0];
    const capture = `${CAPTURES.baseKey}.${String((first?.atSec ?? 0) / 10).padStart(7, '0')}.jpg`;
    expect(bucket.objects.get(first?.key ?? '')).toEqual(bucket.objects.get(capture));
  });

  it('lists candidates best first', async () => {
    const result = await publishPosterCandidates(deps(bucketWith([sharp(1), sharp(2), sharp(3)])), input);

    const scores = result.candidates.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('writes the same keys with the same ids when the step runs again', async () => {
    const captures = [sharp(4), black(), sharp(5)];

    const first = await publishPosterCandidates(deps(bucketWith(captures)), input);
    const again = await publishPosterCandidates(deps(bucketWith(captures)), input);

    expect(again.candidates).toEqual(first.candidates);
  });

  it('publishes nothing when every frame is black', async () => {
    const bucket = bucketWith([black(), black()]);

    const result = await publishPosterCandidates(deps(bucket), input);

    expect(result).toEqual({ candidates: [], verdicts: { BLACK: 2 } });
    expect(bucket.published).toEqual([]);
  });

  it('has nothing to do for a job planned before poster candidates were captured', async () => {
    const bucket = bucketWith([sharp(1)]);

    expect(await publishPosterCandidates(deps(bucket), { ...input, captures: null })).toEqual({
      candidates: [],
      verdicts: {},
    });
    expect(bucket.published).toEqual([]);
  });

  it('fails as OUTPUT_INVALID, naming the capture, when one is not a JPEG', async () => {
    const bucket = bucketWith([sharp(1), new TextEncoder().encode('not a jpeg')]);

    await expect(publishPosterCandidates(deps(bucket), input)).rejects.toMatchObject({
      name: 'PipelineError',
      code: 'OUTPUT_INVALID',
      message: expect.stringContaining(`${CAPTURES.baseKey}.0000001.jpg`),
    });
    expect(bucket.published).toEqual([]);
  });
});
