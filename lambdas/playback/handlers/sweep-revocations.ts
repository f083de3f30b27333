/**
 * Scheduled (EventBridge, hourly): deletes the edge revocations whose tokens have expired at the
 * event's `time`, so the KeyValueStore (5 MB) holds only the ones still needed.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { functionHandler } from '#shared/function-handler.ts';
import { logger } from '#shared/logger.ts';
import { edgeRevocations } from '../adapters/edge-revocations.ts';

const revocations = edgeRevocations();

export const handler = functionHandler(
  'sweepRevocations',
  async (event: Partial<ScheduledEvent>): Promise<{ swept: number }> => {
    const now = event.time ? new Date(event.time) : new Date();
    if (Number.isNaN(now.getTime())) throw new Error(`The event's time is not an instant: "${event.time}".`);
    const swept = await revocations.sweep(Math.floor(now.getTime() / 1000));
    logger.info('revocation sweep', { at: now.toISOString(), swept });
    return { swept };
  },
);
