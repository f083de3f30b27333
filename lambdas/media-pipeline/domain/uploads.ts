/** Pure rules for uploads: when to go multipart and how to cut the parts. */
import { MULTIPART_THRESHOLD_BYTES } from '#contracts/jobs.ts';

/** S3 allows at most 10,000 parts of at least 5 MiB (except the last). */
const MAX_PARTS = 10_000;
const MIN_PART_BYTES = 16 * 1024 * 1024;

export type UploadPlan = { kind: 'single' } | { kind: 'multipart'; partSizeBytes: number; partCount: number };

export function planUpload(sizeBytes: number, threshold = MULTIPART_THRESHOLD_BYTES): UploadPlan {
  if (sizeBytes <= threshold) return { kind: 'single' };
  const partSizeBytes = Math.max(
    MIN_PART_BYTES,
    Math.ceil(sizeBytes / MAX_PARTS / (1024 * 1024)) * 1024 * 1024,
  );
  return { kind: 'multipart', partSizeBytes, partCount: Math.ceil(sizeBytes / partSizeBytes) };
}

/** A readable, unique-enough title id when the caller gives none. */
export function newTitleId(randomHex: string): string {
  return `t_${randomHex.slice(0, 16)}`;
}
