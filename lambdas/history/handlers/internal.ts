/**
 * historyInternal: other services ask where a profile left off in a title (playback's
 * `resumeAtSec`). Invoked with a JSON payload (Lambda Invoke), not over HTTP.
 */
import { historyInternalRequestSchema, type ResumePosition } from '#contracts/internal.ts';
import { tableName } from '#shared/env.ts';
import { dynamoHistoryStore } from '../adapters/history-table.ts';
import { resumePosition } from '../domain/history.ts';

const history = dynamoHistoryStore(tableName('history'));

export const handler = async (event: unknown): Promise<ResumePosition> => {
  const request = historyInternalRequestSchema.parse(event);
  switch (request.op) {
    case 'resumePosition':
      return {
        positionSec: await resumePosition(history, request.accountId, request.profileId, request.titleId),
      };
  }
};
