/** PUT /v1/profiles/{profileId}/history/{titleId}: a heartbeat; answers the stored position. */
import { profileIdSchema, titleIdSchema } from '#contracts/api/common.ts';
import { heartbeatRequestSchema } from '#contracts/api/history.ts';
import { caller, viewerCountry } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { httpHandler, json, parseWith, pathParam } from '#shared/http.ts';
import { lambdaTitleDirectory } from '../adapters/catalog-client.ts';
import { dynamoHistoryStore } from '../adapters/history-table.ts';
import { lambdaProfileDirectory } from '../adapters/profiles-client.ts';
import { cachingProfileDirectory, cachingTitleDirectory } from '../domain/cache.ts';
import { recordHeartbeat } from '../domain/history.ts';

const history = dynamoHistoryStore(tableName('history'));
// Module scope: a warm environment asks about a profile or a title once a minute, not per beat.
const profiles = cachingProfileDirectory(lambdaProfileDirectory(), { now: Date.now });
const titles = cachingTitleDirectory(lambdaTitleDirectory(), { now: Date.now });
const clock = () => new Date();

export const handler = httpHandler(async ({ event, body }) => {
  const who = caller(event);
  const profileId = pathParam(event, 'profileId', profileIdSchema);
  const titleId = pathParam(event, 'titleId', titleIdSchema);
  const heartbeat = parseWith(heartbeatRequestSchema, body);
  const viewer = { accountId: who.accountId, profileId, country: viewerCountry(event, who) };
  return json(200, await recordHeartbeat({ profiles, titles, history, clock }, viewer, titleId, heartbeat));
});
