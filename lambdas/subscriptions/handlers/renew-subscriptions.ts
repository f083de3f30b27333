/**
 * Scheduled (EventBridge): charges the subscriptions due at the event's `time`, so the local
 * platform and tests can run a renewal at a chosen instant. Returns the run's summary.
 */
import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import { tableName } from '#shared/env.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { logger } from '#shared/logger.ts';
import { gracePeriodDays } from '../adapters/config.ts';
import { sandboxPayments } from '../adapters/sandbox-payments.ts';
import { dynamoSubscriptions } from '../adapters/subscriptions-table.ts';
import { type RenewalSummary, renewDueSubscriptions } from '../domain/renew-subscriptions.ts';

const graceDays = gracePeriodDays();
const deps = {
  subscriptions: dynamoSubscriptions(tableName('subscriptions')),
  payments: sandboxPayments(),
  ids: randomUUID,
  onError: (accountId: string, error: unknown) =>
    logger.error('renewal charge failed; retried by the next run', { accountId, error: error as Error }),
};

export const handler = functionHandler(
  'renewSubscriptions',
  async (event: Partial<ScheduledEvent>): Promise<RenewalSummary> => {
    const now = event.time ? new Date(event.time) : new Date();
    if (Number.isNaN(now.getTime())) throw new Error(`The event's time is not an instant: "${event.time}".`);
    const summary = await renewDueSubscriptions(deps, { now, graceDays });
    logger.info('renewal run', { at: now.toISOString(), ...summary });
    return summary;
  },
);
