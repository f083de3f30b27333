/**
 * POST /v1/admin/edge/preposition: an administrator fills the edges now (on demand: the local
 * platform, a new release) and gets the report. The fill stops before API Gateway's 29 s and says
 * so (`truncated`); the daily schedule (`preposition-schedule.ts`) has 15 minutes.
 */
import { prepositionRequestSchema } from '#contracts/api/playback.ts';
import { requireAdmin } from '#shared/auth.ts';
import { httpHandler, json, parseWith } from '#shared/http.ts';
import { logger } from '#shared/logger.ts';
import { fillDeadline, prepositionPorts } from '../adapters/preposition-ports.ts';
import { PREPOSITION_DEFAULTS, prepositionSummary, prepositionTitles } from '../domain/preposition.ts';

const ports = prepositionPorts();

export const handler = httpHandler(async ({ event, body }, context) => {
  requireAdmin(event);
  const request = parseWith(prepositionRequestSchema, body);
  const report = await prepositionTitles(await ports(), {
    ...PREPOSITION_DEFAULTS,
    ...request,
    deadlineMs: fillDeadline(context),
  });
  logger.info('prepositioned on demand', prepositionSummary(report));
  return json(200, report);
});
