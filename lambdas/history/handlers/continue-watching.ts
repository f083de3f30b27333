/** GET /v1/profiles/{profileId}/continue-watching: titles to resume and next episodes. */
import { emptySchema, profileIdSchema } from '#contracts/api/common.ts';
import { caller, viewerCountry } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { httpHandler, json, pathParam, queryWith } from '#shared/http.ts';
import { lambdaTitleDirectory } from '../adapters/catalog-client.ts';
import { dynamoHistoryStore } from '../adapters/history-table.ts';
import { lambdaProfileDirectory } from '../adapters/profiles-client.ts';
import { cachingProfileDirectory, cachingTitleDirectory } from '../domain/cache.ts';
import { continueWatching } from '../domain/continue-watching.ts';

const history = dynamoHistoryStore(tableName('history'));
const profiles = cachingProfileDirectory(lambdaProfileDirectory(), { now: Date.now });
const titles = cachingTitleDirectory(lambdaTitleDirectory(), { now: Date.now });

export const handler = httpHandler(async ({ event }) => {
  const who = caller(event);
  const profileId = pathParam(event, 'profileId', profileIdSchema);
  queryWith(event, emptySchema);
  const viewer = { accountId: who.accountId, profileId, country: viewerCountry(event, who) };
  return json(200, await continueWatching({ profiles, titles, history }, viewer));
});
