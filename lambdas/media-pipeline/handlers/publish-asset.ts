import { assetSchema } from '#contracts/media.ts';
import { tableName } from '#shared/env.ts';
import { PipelineError } from '#shared/errors.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { dynamoJobsTable } from '../adapters/jobs-table.ts';

const jobs = dynamoJobsTable(tableName('jobs'));

export const handler = functionHandler('publishAsset', async (event: { jobId: string; asset: unknown }) => {
  const asset = assetSchema.parse(event.asset);
  const published = await jobs.markReady(event.jobId, asset, new Date().toISOString());
  if (!published)
    throw new PipelineError('NOT_VERIFYING', `Job ${event.jobId} was not VERIFYING; nothing published.`);
  return { published: true, manifestKey: asset.manifestKey };
});
