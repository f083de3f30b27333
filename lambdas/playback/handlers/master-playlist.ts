/**
 * GET /v1/playback/{sessionId}/master.m3u8?token=…: the session's master playlist. No bearer
 * token (players fetch it as is): the playlist token in the query authorizes it.
 */
import { ENV } from '#contracts/env.ts';
import { s3Client } from '#shared/aws.ts';
import { requireEnv, tableName } from '#shared/env.ts';
import { routeHandler } from '#shared/route-handler.ts';
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

export const handler = routeHandler('getMasterPlaylist', async ({ params, query, event }) =>
  masterPlaylist(ports, params.sessionId, query.token, {
    pathways: await pathways(),
    apiBaseUrl: apiBaseUrl(event),
  }),
);
