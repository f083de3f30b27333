/** DELETE /v1/playback/{sessionId}: ends the caller's session and revokes it at the edge. */
import { sessionIdSchema } from '#contracts/api/playback.ts';
import { ENV } from '#contracts/env.ts';
import { caller } from '#shared/auth.ts';
import { requireEnv, tableName } from '#shared/env.ts';
import { httpHandler, pathParam } from '#shared/http.ts';
import { localKeyValueStoreRevocations } from '../adapters/local-revocations.ts';
import { dynamoSessionStore } from '../adapters/playback-table.ts';
import { endPlayback } from '../domain/playback.ts';

const ports = {
  sessions: dynamoSessionStore(tableName('playback')),
  // Only the local edges' store has an adapter yet; CloudFront's KeyValueStore (PutKey) has none,
  // so this fails at load rather than end sessions that the edge would keep serving.
  revocations: localKeyValueStoreRevocations(requireEnv(ENV.LOCAL_EDGE_KVS_FILE)),
  clock: { now: () => new Date() },
};

export const handler = httpHandler(async ({ event }) => {
  const who = caller(event);
  const sessionId = pathParam(event, 'sessionId', sessionIdSchema);
  await endPlayback(ports, who.accountId, sessionId);
  return { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' };
});
