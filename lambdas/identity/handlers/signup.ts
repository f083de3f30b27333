/** POST /v1/auth/signup: 201 `{ accountId }`; 409 EMAIL_TAKEN. */
import { DEFAULT_COUNTRY } from '#contracts/api/identity.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { identityProviderFromEnv } from '../adapters/provider.ts';

const identity = identityProviderFromEnv();

export const handler = routeHandler('signup', async ({ body }) =>
  identity.signUp({ email: body.email, password: body.password, country: body.country ?? DEFAULT_COUNTRY }),
);
