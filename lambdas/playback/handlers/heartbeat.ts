/** POST /v1/playback/{sessionId}/heartbeat: keeps the caller's session (and its stream slot) open. */
import { tableName } from '#shared/env.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { dynamoSessionStore } from '../adapters/playback-table.ts';
import { heartbeat } from '../domain/playback.ts';

const ports = { sessions: dynamoSessionStore(tableName('playback')), clock: { now: () => new Date() } };

export const handler = routeHandler('playbackHeartbeat', async ({ caller, params }) =>
  heartbeat(ports, caller.accountId, params.sessionId),
);
