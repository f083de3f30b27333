/**
 * historyInternal: other services ask where a profile left off in a title (playback's
 * `resumeAtSec`). Invoked with a JSON payload (Lambda Invoke), not over HTTP.
 */
import type { ResumePosition } from '#contracts/internal.ts';
import { tableName } from '#shared/env.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { dynamoHistoryStore } from '../adapters/history-table.ts';
import { resumePosition } from '../domain/history.ts';

const history = dynamoHistoryStore(tableName('history'));

export const handler = functionHandler('historyInternal', async (request): Promise<ResumePosition> => {
  switch (request.op) {
    case 'resumePosition':
      return {
        positionSec: await resumePosition(history, request.accountId, request.profileId, request.titleId),
      };
  }
});
