/** POST /v1/auth/refresh: new tokens for a refresh token, which is used up (local provider). */
import { routeHandler } from '#shared/route-handler.ts';
import { identityProviderFromEnv } from '../adapters/provider.ts';

const identity = identityProviderFromEnv();

export const handler = routeHandler('refreshToken', async ({ body }) => identity.refresh(body.refreshToken));
