/**
 * Pipeline step on every failure: deletes whatever the job wrote under its asset prefix, so
 * nothing half-made stays in the media bucket, and says why the job failed.
 */
import { DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ENV } from '#contracts/env.ts';
import { MEDIA_PREFIX } from '#contracts/storage.ts';
import { s3Client } from '#shared/aws.ts';
import { requireEnv } from '#shared/env.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { logger } from '#shared/logger.ts';
import { type CaughtError, describeFailure } from '../domain/jobs.ts';

const s3 = s3Client();
const mediaBucket = requireEnv(ENV.MEDIA_BUCKET);

interface FailedState {
  jobId: string;
  error?: CaughtError;
  plan?: { outputPrefix?: string };
}

export const handler = functionHandler('discardOutputs', async (state: FailedState) => {
  const prefix = state.plan?.outputPrefix;
  let deleted = 0;
  // Only ever a job's own folder: media/<titleId>/<assetId>/.
  if (prefix?.startsWith(MEDIA_PREFIX) && prefix.split('/').filter(Boolean).length >= 3) {
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: mediaBucket, Prefix: prefix, ContinuationToken: token }),
      );
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (keys.length > 0) {
        await s3.send(
          new DeleteObjectsCommand({ Bucket: mediaBucket, Delete: { Objects: keys, Quiet: true } }),
        );
        deleted += keys.length;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
  const failure = describeFailure(state.error);
  logger.warn('job failed', { jobId: state.jobId, ...failure, deletedObjects: deleted });
  return failure;
});
