/** PUT /v1/subscription: subscribe, change plan, put a new card on file (402 when declined). */
import { randomUUID } from 'node:crypto';
import { caller } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { httpHandler, json } from '#shared/http.ts';
import { sandboxPayments } from '../adapters/sandbox-payments.ts';
import { dynamoSubscriptions } from '../adapters/subscriptions-table.ts';
import { parsePutSubscriptionRequest, putSubscription } from '../domain/put-subscription.ts';

const deps = {
  subscriptions: dynamoSubscriptions(tableName('subscriptions')),
  // The extension point for a real processor: see docs/payments.md.
  payments: sandboxPayments(),
  ids: randomUUID,
};

export const handler = httpHandler(async ({ event, body }) => {
  const { accountId } = caller(event);
  const request = parsePutSubscriptionRequest(body);
  return json(200, await putSubscription(deps, { accountId, request, now: new Date() }));
});
