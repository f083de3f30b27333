/** POST /v1/auth/login: `{ accessToken, refreshToken, expiresIn }`; 401 INVALID_CREDENTIALS. */
import { routeHandler } from '#shared/route-handler.ts';
import { identityProviderFromEnv } from '../adapters/provider.ts';

const identity = identityProviderFromEnv();

export const handler = routeHandler('login', async ({ body }) => identity.login(body.email, body.password));
