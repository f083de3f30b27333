/** POST /v1/auth/refresh: new tokens for a refresh token, which is used up (local provider). */
import { refreshRequestSchema } from '#contracts/api/identity.ts';
import { httpHandler, json, parseWith } from '#shared/http.ts';
import { identityProviderFromEnv } from '../adapters/provider.ts';

const identity = identityProviderFromEnv();

export const handler = httpHandler(async ({ body }) => {
  const { refreshToken } = parseWith(refreshRequestSchema, body);
  return json(200, await identity.refresh(refreshToken));
});
