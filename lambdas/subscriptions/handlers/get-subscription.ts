/** GET /v1/subscription: the caller's plan, status and renewal date; 404 when there is none. */
import { caller } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { NotFoundError } from '#shared/errors.ts';
import { httpHandler, json } from '#shared/http.ts';
import { dynamoSubscriptions } from '../adapters/subscriptions-table.ts';
import { toSubscriptionView } from '../domain/subscription.ts';

const subscriptions = dynamoSubscriptions(tableName('subscriptions'));

export const handler = httpHandler(async ({ event }) => {
  const { accountId } = caller(event);
  const record = await subscriptions.get(accountId);
  if (!record) throw new NotFoundError('SUBSCRIPTION_NOT_FOUND', 'This account has no subscription.');
  return json(200, toSubscriptionView(record));
});
