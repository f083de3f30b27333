import { describe, expect, it } from 'vitest';
import { createUploadRequestSchema, MULTIPART_THRESHOLD_BYTES, titleIdSchema } from '#contracts/jobs.ts';
import { newTitleId, planUpload } from '#media-pipeline/domain/uploads.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const TiB = 1024 * GiB;
/** S3 multipart limits: https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html */
const S3_MAX_PARTS = 10_000;
const S3_MIN_PART_BYTES = 5 * MiB;
const S3_MAX_PART_BYTES = 5 * GiB;
/** The largest source the upload contract accepts. */
const LARGEST_ACCEPTED = 5 * TiB;

describe('planUpload', () => {
  describe('single PUT or multipart', () => {
    it('sends an empty source in a single PUT', () => {
      expect(planUpload(0)).toEqual({ kind: 'single' });
    });

    it('sends a source up to the 64 MiB threshold in a single PUT', () => {
      expect(MULTIPART_THRESHOLD_BYTES).toBe(64 * MiB);
      expect(planUpload(1)).toEqual({ kind: 'single' });
      expect(planUpload(64 * MiB)).toEqual({ kind: 'single' });
    });

    it('goes multipart one byte above the threshold', () => {
      expect(planUpload(64 * MiB + 1)).toEqual({ kind: 'multipart', partSizeBytes: 16 * MiB, partCount: 5 });
    });

    it('honours a threshold given by the caller', () => {
      expect(planUpload(10 * MiB, 8 * MiB)).toEqual({
        kind: 'multipart',
        partSizeBytes: 16 * MiB,
        partCount: 1,
      });
      expect(planUpload(100 * MiB, 128 * MiB)).toEqual({ kind: 'single' });
    });
  });

  describe('part sizes', () => {
    it('cuts 16 MiB parts while they fit in 10,000 parts', () => {
      expect(planUpload(100 * MiB)).toEqual({ kind: 'multipart', partSizeBytes: 16 * MiB, partCount: 7 });
      expect(planUpload(1 * GiB)).toEqual({ kind: 'multipart', partSizeBytes: 16 * MiB, partCount: 64 });
    });

    it('uses exactly 10,000 parts of 16 MiB at the largest size they cover', () => {
      expect(planUpload(S3_MAX_PARTS * 16 * MiB)).toEqual({
        kind: 'multipart',
        partSizeBytes: 16 * MiB,
        partCount: 10_000,
      });
    });

    it('grows the part size by whole MiB beyond that', () => {
      expect(planUpload(S3_MAX_PARTS * 16 * MiB + 1)).toEqual({
        kind: 'multipart',
        partSizeBytes: 17 * MiB,
        partCount: 9412,
      });
      expect(planUpload(200 * GiB)).toEqual({ kind: 'multipart', partSizeBytes: 21 * MiB, partCount: 9753 });
    });

    it('plans the largest accepted source within S3 limits', () => {
      const plan = planUpload(LARGEST_ACCEPTED);

      expect(plan).toEqual({ kind: 'multipart', partSizeBytes: 525 * MiB, partCount: 9987 });
    });

    it.each([
      64 * MiB + 1,
      200 * MiB + 12_345,
      3 * GiB - 1,
      S3_MAX_PARTS * 16 * MiB - 1,
      S3_MAX_PARTS * 16 * MiB + 1,
      777 * GiB + 3,
      LARGEST_ACCEPTED,
    ])('cuts %d bytes into whole-MiB parts that S3 accepts and that cover the source exactly', (size) => {
      const plan = planUpload(size);

      if (plan.kind !== 'multipart') throw new Error(`expected a multipart plan for ${size} bytes`);
      expect(plan.partSizeBytes % MiB).toBe(0);
      expect(plan.partSizeBytes).toBeGreaterThanOrEqual(S3_MIN_PART_BYTES);
      expect(plan.partSizeBytes).toBeLessThanOrEqual(S3_MAX_PART_BYTES);
      expect(plan.partCount).toBeLessThanOrEqual(S3_MAX_PARTS);
      expect((plan.partCount - 1) * plan.partSizeBytes).toBeLessThan(size);
      expect(plan.partCount * plan.partSizeBytes).toBeGreaterThanOrEqual(size);
    });
  });

  describe('bad input, stopped at the edge by the upload contract', () => {
    const request = { fileName: 'bbb.mp4' };

    it.each([
      ['a negative size', -1],
      ['a fractional size', 1.5],
      ['a size above 5 TiB', LARGEST_ACCEPTED + 1],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
    ])('rejects %s before any plan is made', (_label, sizeBytes) => {
      const parsed = createUploadRequestSchema.safeParse({ ...request, sizeBytes });

      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((issue) => issue.path)).toEqual([['sizeBytes']]);
    });

    it('rejects a size sent as a string', () => {
      const parsed = createUploadRequestSchema.safeParse({ ...request, sizeBytes: '1024' });

      expect(parsed.success).toBe(false);
    });

    it('accepts zero and the largest size, both of which plan', () => {
      for (const sizeBytes of [0, LARGEST_ACCEPTED]) {
        const parsed = createUploadRequestSchema.parse({ ...request, sizeBytes });

        expect(planUpload(parsed.sizeBytes).kind).toBe(sizeBytes === 0 ? 'single' : 'multipart');
      }
    });
  });
});

describe('newTitleId', () => {
  it('prefixes the first 16 hex characters with t_', () => {
    expect(newTitleId('0123456789abcdef0123456789abcdef')).toBe('t_0123456789abcdef');
  });

  it('keeps a shorter random string whole', () => {
    expect(newTitleId('abc123')).toBe('t_abc123');
  });

  it('gives an id the title id contract accepts', () => {
    expect(titleIdSchema.safeParse(newTitleId('9f86d081884c7d659a2feaa0c55ad015')).success).toBe(true);
  });
});
