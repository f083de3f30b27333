/** GET /v1/admin/jobs/{jobId}: status, progress, reason, and the playable manifest when READY. */
import { ENV } from '#contracts/env.ts';
import { optionalEnv, tableName } from '#shared/env.ts';
import { NotFoundError } from '#shared/errors.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { dynamoJobsTable } from '../adapters/jobs-table.ts';
import { toJobView } from '../domain/jobs.ts';

const jobs = dynamoJobsTable(tableName('jobs'));
const mediaBaseUrl = optionalEnv(ENV.MEDIA_BASE_URL);

export const handler = routeHandler('getJob', async ({ params }) => {
  const job = await jobs.get(params.jobId);
  if (!job) throw new NotFoundError('JOB_NOT_FOUND', `No job ${params.jobId}.`);
  return toJobView(job, mediaBaseUrl);
});
