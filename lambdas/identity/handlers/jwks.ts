/** GET /v1/auth/jwks.json: the keys that verify access tokens (cacheable for a while). */
import { routeHandler } from '#shared/route-handler.ts';
import { identityProviderFromEnv } from '../adapters/provider.ts';

const identity = identityProviderFromEnv();

export const handler = routeHandler('jwks', async () => identity.jwks());
