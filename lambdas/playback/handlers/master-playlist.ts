/**
 * GET /v1/playback/{sessionId}/master.m3u8?token=…: the session's master playlist. No bearer
 * token (players fetch it as is): the playlist token in the query authorizes it.
 */
import { playlistQuerySchema, sessionIdSchema } from '#contracts/api/playback.ts';
import { ENV } from '#contracts/env.ts';
import { s3Client } from '#shared/aws.ts';
import { requireEnv, tableName } from '#shared/env.ts';
import { httpHandler, pathParam, queryWith } from '#shared/http.ts';
import { apiBaseUrl, edgePathwaySource, edgeSigningKeys } from '../adapters/config.ts';
import { dynamoSessionStore } from '../adapters/playback-table.ts';
import { s3MediaStore } from '../adapters/s3-media-store.ts';
import { masterPlaylist } from '../domain/playback.ts';

const ports = {
  sessions: dynamoSessionStore(tableName('playback')),
  media: s3MediaStore(s3Client(), requireEnv(ENV.MEDIA_BUCKET)),
  keys: edgeSigningKeys(),
  clock: { now: () => new Date() },
};
const pathways = edgePathwaySource();

export const handler = httpHandler(async ({ event }) => {
  const sessionId = pathParam(event, 'sessionId', sessionIdSchema);
  const { token } = queryWith(event, playlistQuerySchema);
  const playlist = await masterPlaylist(ports, sessionId, token, {
    pathways: await pathways(),
    apiBaseUrl: apiBaseUrl(event),
  });
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/vnd.apple.mpegurl',
      // Per session and carrying tokens: no shared cache may keep it.
      'cache-control': 'private, no-store',
      // Players on any origin (the web app, other hosts) fetch it without credentials.
      'access-control-allow-origin': '*',
    },
    body: playlist,
  };
});
