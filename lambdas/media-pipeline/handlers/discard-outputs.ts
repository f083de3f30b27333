/**
 * Pipeline step on every failure: deletes whatever the job wrote under its asset prefix and its
 * public artwork folder, so nothing half-made stays in the media bucket, and says why the job
 * failed.
 */
import { DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ENV } from '#contracts/env.ts';
import { MEDIA_PREFIX } from '#contracts/storage.ts';
import { s3Client } from '#shared/aws.ts';
import { requireEnv } from '#shared/env.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { logger } from '#shared/logger.ts';
import { artworkPrefix } from '../domain/artwork.ts';
import { type CaughtError, describeFailure } from '../domain/jobs.ts';

const s3 = s3Client();
const mediaBucket = requireEnv(ENV.MEDIA_BUCKET);
/** Ids as the pipeline makes them: never empty, never a path. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

interface FailedState {
  jobId: string;
  error?: CaughtError;
  plan?: { outputPrefix?: string; titleId?: string; assetId?: string };
}

export const handler = functionHandler('discardOutputs', async (state: FailedState) => {
  const { outputPrefix, titleId, assetId } = state.plan ?? {};
  const prefixes: string[] = [];
  // Only ever a job's own folders: media/<titleId>/<assetId>/ and artwork/<titleId>/<assetId>/.
  if (outputPrefix?.startsWith(MEDIA_PREFIX) && outputPrefix.split('/').filter(Boolean).length >= 3) {
    prefixes.push(outputPrefix);
  }
  if (titleId !== undefined && assetId !== undefined && ID.test(titleId) && ID.test(assetId)) {
    prefixes.push(artworkPrefix(titleId, assetId));
  }
  let deleted = 0;
  for (const prefix of prefixes) deleted += await deleteUnder(prefix);
  const failure = describeFailure(state.error);
  logger.warn('job failed', { jobId: state.jobId, ...failure, deletedObjects: deleted });
  return failure;
});

async function deleteUnder(prefix: string): Promise<number> {
  let deleted = 0;
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
  return deleted;
}
