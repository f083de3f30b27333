/** GET /v1/me: the signed-in account. */
import { ADMIN_GROUP, DEFAULT_COUNTRY } from '#contracts/api/identity.ts';
import { NotFoundError } from '#shared/errors.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { identityProviderFromEnv } from '../adapters/provider.ts';

const identity = identityProviderFromEnv();

export const handler = routeHandler('getMe', async ({ caller }) => {
  const account = await identity.account(caller.accountId);
  if (!account) throw new NotFoundError('ACCOUNT_NOT_FOUND', 'The account no longer exists.');
  return {
    accountId: account.accountId,
    email: account.email,
    country: account.country || DEFAULT_COUNTRY,
    isAdmin: account.groups.includes(ADMIN_GROUP) || caller.isAdmin,
  };
});
