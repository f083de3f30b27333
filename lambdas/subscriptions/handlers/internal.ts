/** Internal (Lambda Invoke from other services): what an account may play now. */
import type { Entitlement } from '#contracts/internal.ts';
import { tableName } from '#shared/env.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { dynamoSubscriptions } from '../adapters/subscriptions-table.ts';
import { entitlementOf } from '../domain/entitlement.ts';

const subscriptions = dynamoSubscriptions(tableName('subscriptions'));

export const handler = functionHandler('subscriptionsInternal', async (request): Promise<Entitlement> => {
  switch (request.op) {
    case 'getEntitlement':
      return entitlementOf(await subscriptions.get(request.accountId), new Date());
  }
});
