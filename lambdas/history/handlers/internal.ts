/**
 * historyInternal: other services ask where a profile left off in a title (playback's
 * `resumeAtSec`) and for its continue-watching row (discovery's home page). Invoked with a JSON
 * payload (Lambda Invoke), not over HTTP; the caller has checked the profile is the account's.
 */

import type { ResumePosition } from '#contracts/internal.ts';
import { tableName } from '#shared/env.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { lambdaTitleDirectory } from '../adapters/catalog-client.ts';
import { dynamoHistoryStore } from '../adapters/history-table.ts';
import { cachingTitleDirectory } from '../domain/cache.ts';
import type { ContinueWatching } from '../domain/continue-watching.ts';
import { continueWatching } from '../domain/continue-watching.ts';
import { resumePosition } from '../domain/history.ts';

const history = dynamoHistoryStore(tableName('history'));
const titles = cachingTitleDirectory(lambdaTitleDirectory(), { now: Date.now });

export const handler = functionHandler(
  'historyInternal',
  async (request): Promise<ResumePosition | ContinueWatching> => {
    switch (request.op) {
      case 'resumePosition':
        return {
          positionSec: await resumePosition(history, request.accountId, request.profileId, request.titleId),
        };
      case 'continueWatching': {
        const profile = { profileId: request.profileId, maturity: request.maturity, name: '' };
        return continueWatching(
          { history, titles, profiles: { getProfile: async () => profile } },
          { accountId: request.accountId, profileId: request.profileId, country: request.country },
        );
      }
    }
  },
);
