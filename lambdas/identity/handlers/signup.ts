/** POST /v1/auth/signup: 201 `{ accountId }`; 409 EMAIL_TAKEN. */
import { DEFAULT_COUNTRY, signupRequestSchema } from '#contracts/api/identity.ts';
import { httpHandler, json, parseWith } from '#shared/http.ts';
import { identityProviderFromEnv } from '../adapters/provider.ts';

const identity = identityProviderFromEnv();

export const handler = httpHandler(async ({ body }) => {
  const request = parseWith(signupRequestSchema, body);
  const created = await identity.signUp({
    email: request.email,
    password: request.password,
    country: request.country ?? DEFAULT_COUNTRY,
  });
  return json(201, created);
});
