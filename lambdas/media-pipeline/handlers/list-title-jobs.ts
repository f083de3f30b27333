/** GET /v1/admin/titles/{titleId}/jobs: the title's encode jobs, newest first. */
import { ENV } from '#contracts/env.ts';
import { optionalEnv, tableName } from '#shared/env.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { dynamoJobsTable } from '../adapters/jobs-table.ts';
import { toJobView } from '../domain/jobs.ts';

const jobs = dynamoJobsTable(tableName('jobs'));
const mediaBaseUrl = optionalEnv(ENV.MEDIA_BASE_URL);

export const handler = routeHandler('listTitleJobs', async ({ params }) => {
  const items = await jobs.listByTitle(params.titleId, 50);
  return { items: items.map((job) => toJobView(job, mediaBaseUrl)) };
});
