/** GET /v1/subscription: the caller's plan, status and renewal date; 404 when there is none. */
import { tableName } from '#shared/env.ts';
import { NotFoundError } from '#shared/errors.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { dynamoSubscriptions } from '../adapters/subscriptions-table.ts';
import { toSubscriptionView } from '../domain/subscription.ts';

const subscriptions = dynamoSubscriptions(tableName('subscriptions'));

export const handler = routeHandler('getSubscription', async ({ caller }) => {
  const record = await subscriptions.get(caller.accountId);
  if (!record) throw new NotFoundError('SUBSCRIPTION_NOT_FOUND', 'This account has no subscription.');
  return toSubscriptionView(record);
});
