/** The encode job as the API shows it, and the requests that start one. */
import { assetSchema, captionTrackSchema } from './media.ts';
import * as z from './zod.ts';

export const JOB_STATUSES = [
  'QUEUED',
  'VALIDATING',
  'TRANSCODING',
  'VERIFYING',
  'READY',
  'REJECTED',
  'FAILED',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_STATUSES: readonly JobStatus[] = ['READY', 'REJECTED', 'FAILED'];

/** Progress, in percent, that each status starts at; TRANSCODING moves between 10 and 90. */
export const STATUS_PROGRESS = {
  QUEUED: 0,
  VALIDATING: 5,
  TRANSCODING: 10,
  VERIFYING: 90,
  READY: 100,
  REJECTED: 100,
  FAILED: 100,
} as const satisfies Record<JobStatus, number>;

export const jobIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'not a job id'));
export const titleIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a title id'));

/** The stored job item (DynamoDB document). */
export const jobRecordSchema = z.object({
  jobId: z.string(),
  titleId: z.string(),
  titleName: z.string(),
  status: z.enum(JOB_STATUSES),
  progress: z.number(),
  createdAt: z.string(),
  updatedAt: z.optional(z.string()),
  fileName: z.optional(z.string()),
  sourceBucket: z.optional(z.string()),
  sourceKey: z.optional(z.string()),
  sourceSizeBytes: z.optional(z.number()),
  captions: z._default(z.array(captionTrackSchema), []),
  reasonCode: z.optional(z.string()),
  reason: z.optional(z.string()),
  asset: z.optional(assetSchema),
});
export type JobRecord = z.infer<typeof jobRecordSchema>;

/** `GET /v1/admin/jobs/{jobId}`: the job as operators see it. */
export const jobViewSchema = z.object({
  jobId: z.string(),
  titleId: z.string(),
  titleName: z.string(),
  status: z.enum(JOB_STATUSES),
  progress: z.number(),
  createdAt: z.string(),
  updatedAt: z.optional(z.string()),
  reasonCode: z.optional(z.string()),
  reason: z.optional(z.string()),
  /** Where the READY asset plays without a session (the local media origin); absent on AWS. */
  manifestUrl: z.optional(z.string()),
  asset: z.optional(assetSchema),
});
export type JobView = z.infer<typeof jobViewSchema>;

/** `GET /v1/admin/titles/{titleId}/jobs`: newest first. */
export const jobListSchema = z.object({ items: z.array(jobViewSchema) });

/** Sources above this size upload in parts (S3 multipart), as a browser would. */
export const MULTIPART_THRESHOLD_BYTES = 64 * 1024 * 1024;

/**
 * `POST /v1/admin/titles/{titleId}/uploads`: register a job for the title and get where to send
 * its bytes. The title must exist in the catalog; the READY job's asset is attached to it.
 */
export const createUploadRequestSchema = z.strictObject({
  fileName: z.string().check(z.trim(), z.minLength(1), z.maxLength(255)),
  // Zero is allowed: an empty source gets a job that ends REJECTED (SOURCE_EMPTY), like any bad source.
  sizeBytes: z.int().check(z.nonnegative(), z.lte(5 * 1024 ** 4)),
  contentType: z.optional(z.string().check(z.maxLength(100))),
  captions: z._default(
    z
      .array(
        z.object({
          lang: captionTrackSchema.shape.lang,
          fileName: z.optional(z.string().check(z.maxLength(255))),
        }),
      )
      .check(z.maxLength(20)),
    [],
  ),
});
export type CreateUploadRequest = z.infer<typeof createUploadRequestSchema>;

const presignedPutSchema = z.object({ url: z.string(), headers: z.record(z.string(), z.string()) });

export const createUploadResponseSchema = z.object({
  jobId: z.string(),
  titleId: z.string(),
  /** A single `PUT`, or parts to `PUT` then `POST …/complete`. */
  upload: z.discriminatedUnion('kind', [
    z.extend(presignedPutSchema, { kind: z.literal('single') }),
    z.object({
      kind: z.literal('multipart'),
      uploadId: z.string(),
      partSizeBytes: z.int(),
      parts: z.array(z.object({ partNumber: z.int(), url: z.string() })),
    }),
  ]),
  captions: z.array(z.extend(presignedPutSchema, { lang: z.string() })),
  expiresAt: z.string(),
});
export type CreateUploadResponse = z.infer<typeof createUploadResponseSchema>;
export type PresignedPart = Extract<CreateUploadResponse['upload'], { kind: 'multipart' }>['parts'][number];

/** `POST /v1/admin/uploads/{jobId}/complete` for a multipart upload. */
export const completeUploadRequestSchema = z.strictObject({
  uploadId: z.string().check(z.minLength(1), z.maxLength(1024)),
  parts: z
    .array(
      z.object({
        partNumber: z.int().check(z.gte(1), z.lte(10_000)),
        etag: z.string().check(z.minLength(1), z.maxLength(200)),
      }),
    )
    .check(z.minLength(1), z.maxLength(10_000)),
});
export type CompleteUploadRequest = z.infer<typeof completeUploadRequestSchema>;

export const completeUploadResponseSchema = z.object({ jobId: z.string(), status: z.literal('QUEUED') });
