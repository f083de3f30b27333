/**
 * API Gateway TOKEN authorizer: verifies the bearer access token and answers a policy that
 * admits the caller to every route but `/v1/admin/*` unless they are in the admin group.
 * Failing with `Unauthorized` is API Gateway's contract for a 401.
 */
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { DEFAULT_COUNTRY } from '#contracts/api/identity.ts';
import { AuthorizerRefusal } from '#shared/errors.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { logger } from '#shared/logger.ts';
import { identityProviderFromEnv } from '../adapters/provider.ts';
import { policyFor } from '../domain/policy.ts';

const identity = identityProviderFromEnv();

export const handler = functionHandler(
  'authorizer',
  async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]{10,8192})$/.exec(event.authorizationToken ?? '');
    if (!match?.[1]) throw new AuthorizerRefusal();
    try {
      const who = await identity.verify(match[1]);
      return policyFor({ ...who, country: who.country || DEFAULT_COUNTRY }, event.methodArn);
    } catch (error) {
      logger.info('token refused', { reason: (error as Error).message });
      throw new AuthorizerRefusal();
    }
  },
);
