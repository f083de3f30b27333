/**
 * POST /v1/admin/edge/preposition: an administrator fills the edges now (on demand: the local
 * platform, a new release) and gets the report. The fill stops before API Gateway's 29 s and says
 * so (`truncated`); the daily schedule (`preposition-schedule.ts`) has 15 minutes.
 */
import { logger } from '#shared/logger.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { fillDeadline, prepositionPorts } from '../adapters/preposition-ports.ts';
import { PREPOSITION_DEFAULTS, prepositionSummary, prepositionTitles } from '../domain/preposition.ts';

const ports = prepositionPorts();

export const handler = routeHandler('prepositionTitles', async ({ body, context }) => {
  const report = await prepositionTitles(await ports(), {
    ...PREPOSITION_DEFAULTS,
    ...body,
    deadlineMs: fillDeadline(context),
  });
  logger.info('prepositioned on demand', prepositionSummary(report));
  return report;
});
