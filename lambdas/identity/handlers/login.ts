/** POST /v1/auth/login: `{ accessToken, refreshToken, expiresIn }`; 401 INVALID_CREDENTIALS. */
import { loginRequestSchema } from '#contracts/api/identity.ts';
import { httpHandler, json, parseWith } from '#shared/http.ts';
import { identityProviderFromEnv } from '../adapters/provider.ts';

const identity = identityProviderFromEnv();

export const handler = httpHandler(async ({ body }) => {
  const { email, password } = parseWith(loginRequestSchema, body);
  return json(200, await identity.login(email, password));
});
