/** GET /v1/me: the signed-in account. */
import { ADMIN_GROUP, DEFAULT_COUNTRY, type MeResponse } from '#contracts/api/identity.ts';
import { caller } from '#shared/auth.ts';
import { NotFoundError } from '#shared/errors.ts';
import { httpHandler, json } from '#shared/http.ts';
import { identityProviderFromEnv } from '../adapters/provider.ts';

const identity = identityProviderFromEnv();

export const handler = httpHandler(async ({ event }) => {
  const who = caller(event);
  const account = await identity.account(who.accountId);
  if (!account) throw new NotFoundError('ACCOUNT_NOT_FOUND', 'The account no longer exists.');
  const me: MeResponse = {
    accountId: account.accountId,
    email: account.email,
    country: account.country || DEFAULT_COUNTRY,
    isAdmin: account.groups.includes(ADMIN_GROUP) || who.isAdmin,
  };
  return json(200, me);
});
