/** Pipeline step: plans the ladder from the probe and builds the MediaConvert job settings. */
import { ENV } from '#contracts/env.ts';
import { sourceProbeSchema } from '#contracts/media.ts';
import { assetPrefix } from '#contracts/storage.ts';
import { requireEnv, tableName } from '#shared/env.ts';
import { PipelineError } from '#shared/errors.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { dynamoJobsTable } from '../adapters/jobs-table.ts';
import { buildTranscodeJobSettings, posterCaptureCadence } from '../domain/job-settings.ts';
import { planLadder } from '../domain/ladder.ts';

const jobs = dynamoJobsTable(tableName('jobs'));
const ingestBucket = requireEnv(ENV.INGEST_BUCKET);
const mediaBucket = requireEnv(ENV.MEDIA_BUCKET);

interface PlanInput {
  jobId: string;
  source: { bucket: string; key: string };
  probe: unknown;
}

export const handler = functionHandler('planEncode', async (event: PlanInput) => {
  const probe = sourceProbeSchema.parse(event.probe);
  const job = await jobs.get(event.jobId);
  if (!job) throw new PipelineError('JOB_NOT_FOUND', `Job ${event.jobId} vanished before planning.`);
  // One asset version per job: the job id names it.
  const assetId = job.jobId;
  const outputPrefix = assetPrefix(job.titleId, assetId);
  const ladder = planLadder(probe);
  const settings = buildTranscodeJobSettings({
    sourceUri: `s3://${event.source.bucket}/${event.source.key}`,
    captions: job.captions.map((c) => ({ lang: c.lang, uri: `s3://${ingestBucket}/${c.key}` })),
    destinationUri: `s3://${mediaBucket}/${outputPrefix}`,
    ladder,
    posterCaptures: posterCaptureCadence(probe.durationSec),
  });
  return { titleId: job.titleId, assetId, outputPrefix, ladder, settings };
});
