/** GET /v1/auth/jwks.json: the keys that verify access tokens (cacheable for a while). */
import { httpHandler } from '#shared/http.ts';
import { identityProviderFromEnv } from '../adapters/provider.ts';

const identity = identityProviderFromEnv();

export const handler = httpHandler(async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' },
  body: JSON.stringify(await identity.jwks()),
}));
