/** PUT /v1/subscription: subscribe, change plan, put a new card on file (402 when declined). */
import { randomUUID } from 'node:crypto';
import { tableName } from '#shared/env.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { sandboxPayments } from '../adapters/sandbox-payments.ts';
import { dynamoSubscriptions } from '../adapters/subscriptions-table.ts';
import { putSubscription } from '../domain/put-subscription.ts';

const deps = {
  subscriptions: dynamoSubscriptions(tableName('subscriptions')),
  // The extension point for a real processor: see docs/payments.md.
  payments: sandboxPayments(),
  ids: randomUUID,
};

export const handler = routeHandler('putSubscription', async ({ caller, body }) =>
  putSubscription(deps, { accountId: caller.accountId, request: body, now: new Date() }),
);
