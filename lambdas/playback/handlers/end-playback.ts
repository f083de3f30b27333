/** DELETE /v1/playback/{sessionId}: ends the caller's session and revokes it at the edge. */
import { tableName } from '#shared/env.ts';
import { routeHandler } from '#shared/route-handler.ts';
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

export const handler = routeHandler('endPlayback', async ({ caller, params }) => {
  await endPlayback(ports, caller.accountId, params.sessionId);
  return undefined;
});
