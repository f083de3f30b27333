/**
 * POST /v1/admin/titles/{titleId}/uploads: registers a QUEUED job for an existing title (the
 * catalog is asked, not read) and answers where to send the bytes, the way a browser uploads:
 * presigned PUTs, in parts above 64 MiB.
 */
import { randomUUID } from 'node:crypto';
import { ENV } from '#contracts/env.ts';
import type { CreateUploadResponse, JobRecord } from '#contracts/jobs.ts';
import { sidecarKey, sourceKey } from '#contracts/storage.ts';
import { s3Client } from '#shared/aws.ts';
import { numberEnv, requireEnv, tableName } from '#shared/env.ts';
import { BadRequestError, NotFoundError } from '#shared/errors.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { titleForAdmin } from '#shared/services.ts';
import { dynamoJobsTable } from '../adapters/jobs-table.ts';
import { s3UploadSigner } from '../adapters/upload-signer.ts';
import { planUpload } from '../domain/uploads.ts';

const jobs = dynamoJobsTable(tableName('jobs'));
const signer = s3UploadSigner(s3Client(), requireEnv(ENV.INGEST_BUCKET));
const maxSourceBytes = numberEnv(ENV.MAX_SOURCE_BYTES);
const URL_LIFETIME_SEC = 3600;

export const handler = routeHandler('createUpload', async ({ params, body: request }) => {
  const { titleId } = params;
  if (request.sizeBytes > maxSourceBytes) {
    throw new BadRequestError('SOURCE_TOO_LARGE', `Sources are limited to ${maxSourceBytes} bytes.`);
  }
  const langs = request.captions.map((c) => c.lang);
  if (new Set(langs).size !== langs.length)
    throw new BadRequestError('DUPLICATE_CAPTIONS', 'One caption file per language.');

  const title = await titleForAdmin(titleId);
  if (!title) throw new NotFoundError('TITLE_NOT_FOUND', `No title ${titleId}.`);
  if (title.kind === 'series') {
    throw new BadRequestError('NOT_PLAYABLE_KIND', 'A series has no media of its own: upload its episodes.');
  }

  const jobId = randomUUID();
  const key = sourceKey(jobId, request.fileName);
  const contentType = request.contentType ?? 'application/octet-stream';
  const plan = planUpload(request.sizeBytes);
  const now = new Date();
  const job: JobRecord = {
    jobId,
    titleId,
    titleName: title.name,
    status: 'QUEUED',
    progress: 0,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    fileName: request.fileName,
    sourceKey: key,
    captions: request.captions.map((c) => ({ lang: c.lang, key: sidecarKey(jobId, c.lang) })),
  };
  await jobs.create(job);

  const upload: CreateUploadResponse['upload'] =
    plan.kind === 'single'
      ? {
          kind: 'single',
          url: await signer.putUrl(key, contentType, URL_LIFETIME_SEC),
          headers: { 'content-type': contentType },
        }
      : {
          kind: 'multipart',
          partSizeBytes: plan.partSizeBytes,
          ...(await signer.startMultipart(key, contentType, plan.partCount, URL_LIFETIME_SEC)),
        };
  const captions = await Promise.all(
    job.captions.map(async (c) => ({
      lang: c.lang,
      url: await signer.putUrl(c.key, 'text/vtt', URL_LIFETIME_SEC),
      headers: { 'content-type': 'text/vtt' },
    })),
  );
  const response: CreateUploadResponse = {
    jobId,
    titleId,
    upload,
    captions,
    expiresAt: new Date(now.getTime() + URL_LIFETIME_SEC * 1000).toISOString(),
  };
  return response;
});
