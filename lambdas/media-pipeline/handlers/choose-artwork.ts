/**
 * Pipeline step (after VerifyOutputs): scores the frames the transcode captured as poster
 * candidates and publishes the best, up to 4, under `artwork/<titleId>/<assetId>/`. Returns the
 * candidates; the state machine puts them into the asset it publishes (`posterCandidates`).
 */
import type { JobSettings } from '@aws-sdk/client-mediaconvert';
import { ENV } from '#contracts/env.ts';
import type { PosterCandidate } from '#contracts/media.ts';
import { s3Client } from '#shared/aws.ts';
import { requireEnv } from '#shared/env.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { logger } from '#shared/logger.ts';
import { s3ArtworkObjects } from '../adapters/artwork-objects.ts';
import { artworkDigest, decodeJpegLuma } from '../adapters/jpeg-frames.ts';
import { describeOutputKeys } from '../domain/job-settings.ts';
import { publishPosterCandidates } from '../domain/poster-candidates.ts';

const deps = {
  objects: s3ArtworkObjects(s3Client(), requireEnv(ENV.MEDIA_BUCKET)),
  decode: decodeJpegLuma,
  digest: artworkDigest,
};

interface ChooseArtworkEvent {
  jobId: string;
  plan: { titleId: string; assetId: string; settings: JobSettings };
  /** The verified asset's duration, seconds. */
  durationSec: number;
}

export const handler = functionHandler(
  'chooseArtwork',
  async (event: ChooseArtworkEvent): Promise<PosterCandidate[]> => {
    const { titleId, assetId, settings } = event.plan;
    const result = await publishPosterCandidates(deps, {
      titleId,
      assetId,
      captures: describeOutputKeys(settings).posterCandidates,
      durationSec: event.durationSec,
    });
    logger.info('poster candidates chosen', {
      jobId: event.jobId,
      chosen: result.candidates.length,
      ...result.verdicts,
    });
    return result.candidates;
  },
);
