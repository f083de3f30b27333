/**
 * GET /v1/steering/{sessionId}?token=…: the HLS Content Steering manifest, pathways ordered by
 * edge health. Players add `_HLS_pathway` and `_HLS_throughput`; other `_HLS_*` are ignored.
 */
import { sessionIdSchema, steeringQuerySchema } from '#contracts/api/playback.ts';
import { httpHandler, json, parseWith, pathParam } from '#shared/http.ts';
import { apiBaseUrl, edgePathwaySource, edgeSigningKeys } from '../adapters/config.ts';
import { httpEdgeHealth } from '../adapters/http-edge-health.ts';
import { steering } from '../domain/playback.ts';
import { cachingEdgeHealth } from '../domain/steering.ts';

const DECLARED = new Set(Object.keys(steeringQuerySchema.shape));
const ports = {
  keys: edgeSigningKeys(),
  clock: { now: () => new Date() },
  // Module scope: a warm function checks each edge at most every 2 s, whatever the traffic.
  health: cachingEdgeHealth(httpEdgeHealth(), { now: Date.now }),
};
const pathways = edgePathwaySource();

export const handler = httpHandler(async ({ event }) => {
  const sessionId = pathParam(event, 'sessionId', sessionIdSchema);
  const query = Object.fromEntries(
    Object.entries(event.queryStringParameters ?? {}).filter(
      ([k]) => DECLARED.has(k) || !k.startsWith('_HLS_'),
    ),
  );
  const { token } = parseWith(steeringQuerySchema, query, 'INVALID_QUERY');
  const manifest = await steering(ports, sessionId, token, {
    pathways: await pathways(),
    apiBaseUrl: apiBaseUrl(event),
  });
  const response = json(200, manifest);
  return { ...response, headers: { ...response.headers, 'access-control-allow-origin': '*' } };
});
