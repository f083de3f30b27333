/** POST /v1/admin/uploads/{jobId}/complete: finishes a multipart upload, which starts the job. */
import { ENV } from '#contracts/env.ts';
import { s3Client } from '#shared/aws.ts';
import { requireEnv, tableName } from '#shared/env.ts';
import { BadRequestError, ConflictError, NotFoundError } from '#shared/errors.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { dynamoJobsTable } from '../adapters/jobs-table.ts';
import { s3UploadSigner } from '../adapters/upload-signer.ts';

const jobs = dynamoJobsTable(tableName('jobs'));
const signer = s3UploadSigner(s3Client(), requireEnv(ENV.INGEST_BUCKET));
/** What S3 answers about parts the caller got wrong: the caller's fault, not ours. */
const REFUSED_PARTS = ['NoSuchUpload', 'InvalidPart', 'InvalidPartOrder', 'EntityTooSmall'];

export const handler = routeHandler('completeUpload', async ({ params, body }) => {
  const { jobId } = params;
  const job = await jobs.get(jobId);
  if (!job?.sourceKey) throw new NotFoundError('JOB_NOT_FOUND', `No job ${jobId}.`);
  if (job.status !== 'QUEUED')
    throw new ConflictError('UPLOAD_ALREADY_COMPLETE', `Job ${jobId} is ${job.status}.`);
  try {
    await signer.completeMultipart(job.sourceKey, body.uploadId, body.parts);
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (REFUSED_PARTS.includes(name)) {
      throw new BadRequestError('INVALID_UPLOAD', `S3 refused to complete the upload: ${name}.`, {
        cause: error,
      });
    }
    throw error;
  }
  return { jobId, status: 'QUEUED' as const };
});
