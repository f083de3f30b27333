/**
 * The prepositioning job's ports, wired once for both of its entry points (the admin route and
 * the schedule): popularity from the playback table, playlists from the media bucket, the edge
 * signing keys, the pathways (resolved per run: they may change between runs) and HTTP through
 * the edges.
 */
import type { Context } from 'aws-lambda';
import { ENV } from '#contracts/env.ts';
import { s3Client } from '#shared/aws.ts';
import { requireEnv, tableName } from '#shared/env.ts';
import type { PrepositionPorts } from '../domain/preposition.ts';
import { edgePathwaySource, edgeSigningKeys } from './config.ts';
import { httpEdgeFetcher } from './http-edge-fetcher.ts';
import { dynamoPopularity } from './popularity-table.ts';
import { s3MediaStore } from './s3-media-store.ts';

/** Left for answering once the fill stops. */
const MARGIN_MS = 2000;

export function prepositionPorts(): () => Promise<PrepositionPorts> {
  const fixed = {
    popularity: dynamoPopularity(tableName('playback')),
    media: s3MediaStore(s3Client(), requireEnv(ENV.MEDIA_BUCKET)),
    keys: edgeSigningKeys(),
    edges: httpEdgeFetcher(),
    clock: { now: () => new Date() },
  };
  const pathways = edgePathwaySource();
  return async () => ({ ...fixed, pathways: await pathways() });
}

/** Epoch ms the fill must stop starting requests at: the function's own timeout, less a margin. */
export function fillDeadline(context: Pick<Context, 'getRemainingTimeInMillis'>): number {
  return Date.now() + Math.max(0, context.getRemainingTimeInMillis() - MARGIN_MS);
}
