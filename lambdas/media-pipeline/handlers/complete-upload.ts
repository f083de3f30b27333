/** POST /v1/admin/uploads/{jobId}/complete: finishes a multipart upload, which starts the job. */
import { ENV } from '#contracts/env.ts';
import { completeUploadRequestSchema, jobIdSchema } from '#contracts/jobs.ts';
import { requireAdmin } from '#shared/auth.ts';
import { s3Client } from '#shared/aws.ts';
import { requireEnv } from '#shared/env.ts';
import { BadRequestError, ConflictError, NotFoundError } from '#shared/errors.ts';
import { httpHandler, json, parseWith, pathParam } from '#shared/http.ts';
import { dynamoJobsTable } from '../adapters/jobs-table.ts';
import { s3UploadSigner } from '../adapters/upload-signer.ts';

const jobs = dynamoJobsTable(requireEnv(ENV.JOBS_TABLE));
const signer = s3UploadSigner(s3Client(), requireEnv(ENV.INGEST_BUCKET));

export const handler = httpHandler(async ({ event, body }) => {
  requireAdmin(event);
  const jobId = pathParam(event, 'jobId', jobIdSchema);
  const request = parseWith(completeUploadRequestSchema, body);
  const job = await jobs.get(jobId);
  if (!job?.sourceKey) throw new NotFoundError('JOB_NOT_FOUND', `No job ${jobId}.`);
  if (job.status !== 'QUEUED')
    throw new ConflictError('UPLOAD_ALREADY_COMPLETE', `Job ${jobId} is ${job.status}.`);
  try {
    await signer.completeMultipart(job.sourceKey, request.uploadId, request.parts);
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (['NoSuchUpload', 'InvalidPart', 'InvalidPartOrder', 'EntityTooSmall'].includes(name)) {
      throw new BadRequestError('INVALID_UPLOAD', `S3 refused to complete the upload: ${name}.`, {
        cause: error,
      });
    }
    throw error;
  }
  return json(200, { jobId, status: 'QUEUED' });
});
