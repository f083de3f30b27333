/** GET /v1/admin/jobs/{jobId}: status, progress, reason, and the playable manifest when READY. */
import { ENV } from '#contracts/env.ts';
import { jobIdSchema } from '#contracts/jobs.ts';
import { requireAdmin } from '#shared/auth.ts';
import { optionalEnv, requireEnv } from '#shared/env.ts';
import { NotFoundError } from '#shared/errors.ts';
import { httpHandler, json, pathParam } from '#shared/http.ts';
import { dynamoJobsTable } from '../adapters/jobs-table.ts';
import { toJobView } from '../domain/jobs.ts';

const jobs = dynamoJobsTable(requireEnv(ENV.JOBS_TABLE));
const mediaBaseUrl = optionalEnv(ENV.MEDIA_BASE_URL);

export const handler = httpHandler(async ({ event }) => {
  requireAdmin(event);
  const jobId = pathParam(event, 'jobId', jobIdSchema);
  const job = await jobs.get(jobId);
  if (!job) throw new NotFoundError('JOB_NOT_FOUND', `No job ${jobId}.`);
  return json(200, toJobView(job, mediaBaseUrl));
});
