/** MediaConvert "Job State Change" STATUS_UPDATE events → the job's progress. */
import type { EventBridgeEvent } from 'aws-lambda';
import { tableName } from '#shared/env.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { dynamoJobsTable } from '../adapters/jobs-table.ts';
import { transcodeProgress } from '../domain/jobs.ts';

const jobs = dynamoJobsTable(tableName('jobs'));

interface JobStateChange {
  status: string;
  userMetadata?: { showrunnerJobId?: string };
  jobProgress?: { jobPercentComplete?: number };
}

export const handler = functionHandler(
  'recordProgress',
  async (event: EventBridgeEvent<'MediaConvert Job State Change', JobStateChange>) => {
    const jobId = event.detail.userMetadata?.showrunnerJobId;
    const percent = event.detail.jobProgress?.jobPercentComplete;
    if (!jobId || typeof percent !== 'number') return { updated: false };
    const updated = await jobs.recordProgress(
      jobId,
      transcodeProgress(percent),
      event.time ?? new Date().toISOString(),
    );
    return { updated };
  },
);
