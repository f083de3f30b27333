/** GET /v1/admin/titles/{titleId}/jobs: the title's encode jobs, newest first. */
import { titleIdSchema } from '#contracts/api/common.ts';
import { ENV } from '#contracts/env.ts';
import { requireAdmin } from '#shared/auth.ts';
import { optionalEnv, requireEnv } from '#shared/env.ts';
import { httpHandler, json, pathParam } from '#shared/http.ts';
import { dynamoJobsTable } from '../adapters/jobs-table.ts';
import { toJobView } from '../domain/jobs.ts';

const jobs = dynamoJobsTable(requireEnv(ENV.JOBS_TABLE));
const mediaBaseUrl = optionalEnv(ENV.MEDIA_BASE_URL);

export const handler = httpHandler(async ({ event }) => {
  requireAdmin(event);
  const titleId = pathParam(event, 'titleId', titleIdSchema);
  const items = await jobs.listByTitle(titleId, 50);
  return json(200, { items: items.map((job) => toJobView(job, mediaBaseUrl)) });
});
