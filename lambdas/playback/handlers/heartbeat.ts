/** POST /v1/playback/{sessionId}/heartbeat: keeps the caller's session (and its stream slot) open. */
import { sessionIdSchema } from '#contracts/api/playback.ts';
import { caller } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { httpHandler, json, pathParam } from '#shared/http.ts';
import { dynamoSessionStore } from '../adapters/playback-table.ts';
import { heartbeat } from '../domain/playback.ts';

const ports = { sessions: dynamoSessionStore(tableName('playback')), clock: { now: () => new Date() } };

export const handler = httpHandler(async ({ event }) => {
  const who = caller(event);
  const sessionId = pathParam(event, 'sessionId', sessionIdSchema);
  return json(200, await heartbeat(ports, who.accountId, sessionId));
});
