/** POST /v1/playback: checks the profile, title, plan and stream limit, then opens a session. */
import { randomUUID } from 'node:crypto';
import { ENV } from '#contracts/env.ts';
import { viewerCountry } from '#shared/auth.ts';
import { s3Client } from '#shared/aws.ts';
import { requireEnv, tableName } from '#shared/env.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { apiBaseUrl, edgeSigningKeys } from '../adapters/config.ts';
import { dynamoSessionStore } from '../adapters/playback-table.ts';
import { dynamoPopularity } from '../adapters/popularity-table.ts';
import { s3MediaStore } from '../adapters/s3-media-store.ts';
import {
  lambdaEntitlements,
  lambdaProfileDirectory,
  lambdaResumePositions,
  lambdaTitleDirectory,
} from '../adapters/service-clients.ts';
import { startPlayback } from '../domain/playback.ts';

const ports = {
  profiles: lambdaProfileDirectory(),
  titles: lambdaTitleDirectory(),
  entitlements: lambdaEntitlements(),
  media: s3MediaStore(s3Client(), requireEnv(ENV.MEDIA_BUCKET)),
  sessions: dynamoSessionStore(tableName('playback')),
  keys: edgeSigningKeys(),
  clock: { now: () => new Date() },
  ids: { sessionId: () => randomUUID() },
  resume: lambdaResumePositions(),
  popularity: dynamoPopularity(tableName('playback')),
};

export const handler = routeHandler('startPlayback', async ({ caller, body, event }) =>
  startPlayback(
    ports,
    { accountId: caller.accountId, country: viewerCountry(event, caller) },
    body,
    apiBaseUrl(event),
  ),
);
