/** Scheduled (EventBridge, daily off-peak): fills the edges with the defaults; logs and returns the report. */
import type { Context } from 'aws-lambda';
import { functionHandler } from '#shared/function-handler.ts';
import { logger } from '#shared/logger.ts';
import { fillDeadline, prepositionPorts } from '../adapters/preposition-ports.ts';
import {
  PREPOSITION_DEFAULTS,
  type PrepositionReport,
  prepositionSummary,
  prepositionTitles,
} from '../domain/preposition.ts';

const ports = prepositionPorts();

export const handler = functionHandler(
  'prepositionSchedule',
  async (_event: unknown, context: Context): Promise<PrepositionReport> => {
    const report = await prepositionTitles(await ports(), {
      ...PREPOSITION_DEFAULTS,
      deadlineMs: fillDeadline(context),
    });
    logger.info('prepositioned', prepositionSummary(report));
    return report;
  },
);
