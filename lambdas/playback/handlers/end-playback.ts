/** DELETE /v1/playback/{sessionId}: ends the caller's session and revokes it at the edge. */
import { sessionIdSchema } from '#contracts/api/playback.ts';
import { caller } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { httpHandler, pathParam } from '#shared/http.ts';
import { edgeRevocations } from '../adapters/edge-revocations.ts';
import { dynamoSessionStore } from '../adapters/playback-table.ts';
import { endPlayback } from '../domain/playback.ts';

const ports = {
  sessions: dynamoSessionStore(tableName('playback')),
  // The local edges' store or CloudFront's, by what the stack set; fails at load with neither,
  // rather than end sessions that the edge would keep serving.
  revocations: edgeRevocations(),
  clock: { now: () => new Date() },
};

export const handler = httpHandler(async ({ event }) => {
  const who = caller(event);
  const sessionId = pathParam(event, 'sessionId', sessionIdSchema);
  await endPlayback(ports, who.accountId, sessionId);
  return { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' };
});
