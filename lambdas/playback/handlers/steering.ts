/**
 * GET /v1/steering/{sessionId}?token=…: the HLS Content Steering manifest, pathways ordered by
 * edge health. Players add `_HLS_pathway` and `_HLS_throughput`; other `_HLS_*` are ignored.
 */
import { routeHandler } from '#shared/route-handler.ts';
import { apiBaseUrl, edgePathwaySource, edgeSigningKeys } from '../adapters/config.ts';
import { httpEdgeHealth } from '../adapters/http-edge-health.ts';
import { steering } from '../domain/playback.ts';
import { cachingEdgeHealth } from '../domain/steering.ts';

const ports = {
  keys: edgeSigningKeys(),
  clock: { now: () => new Date() },
  // Module scope: a warm function checks each edge at most every 2 s, whatever the traffic.
  health: cachingEdgeHealth(httpEdgeHealth(), { now: Date.now }),
};
const pathways = edgePathwaySource();

export const handler = routeHandler('getSteering', async ({ params, query, event }) =>
  steering(ports, params.sessionId, query.token, {
    pathways: await pathways(),
    apiBaseUrl: apiBaseUrl(event),
  }),
);
