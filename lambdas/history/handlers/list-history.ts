/** GET /v1/profiles/{profileId}/history: what the profile watched, newest first, by pages. */
import { profileIdSchema } from '#contracts/api/common.ts';
import { historyQuerySchema } from '#contracts/api/history.ts';
import { caller, viewerCountry } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { httpHandler, json, pathParam, queryWith } from '#shared/http.ts';
import { lambdaTitleDirectory } from '../adapters/catalog-client.ts';
import { dynamoHistoryStore } from '../adapters/history-table.ts';
import { lambdaProfileDirectory } from '../adapters/profiles-client.ts';
import { cachingProfileDirectory, cachingTitleDirectory } from '../domain/cache.ts';
import { listHistory } from '../domain/history.ts';

const history = dynamoHistoryStore(tableName('history'));
const profiles = cachingProfileDirectory(lambdaProfileDirectory(), { now: Date.now });
const titles = cachingTitleDirectory(lambdaTitleDirectory(), { now: Date.now });

export const handler = httpHandler(async ({ event }) => {
  const who = caller(event);
  const profileId = pathParam(event, 'profileId', profileIdSchema);
  const { limit, cursor } = queryWith(event, historyQuerySchema);
  const viewer = { accountId: who.accountId, profileId, country: viewerCountry(event, who) };
  return json(200, await listHistory({ profiles, titles, history }, viewer, { limit, cursor }));
});
