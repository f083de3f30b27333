/**
 * The identity provider this function uses, chosen by `ENV.IDENTITY_PROVIDER` at module load:
 * `cognito` on AWS, `local` on the embedded platform and LocalStack.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ENV } from '#contracts/env.ts';
import { documentClient } from '#shared/aws.ts';
import { requireEnv, tableName } from '#shared/env.ts';
import type { IdentityProvider } from '../domain/identity-provider.ts';
import { cognitoIdentityProvider } from './cognito-identity-provider.ts';
import { localIdentityProvider } from './local-identity-provider.ts';

export function identityProviderFromEnv(): IdentityProvider {
  const kind = requireEnv(ENV.IDENTITY_PROVIDER);
  const db = documentClient();
  const table = tableName('identity');
  if (kind === 'cognito') {
    return cognitoIdentityProvider({
      cognito: new CognitoIdentityProviderClient({}),
      db,
      tableName: table,
      region: requireEnv('AWS_REGION' as never),
      userPoolId: requireEnv(ENV.USER_POOL_ID),
      clientId: requireEnv(ENV.USER_POOL_CLIENT_ID),
    });
  }
  if (kind === 'local')
    return localIdentityProvider({ db, tableName: table, issuer: requireEnv(ENV.TOKEN_ISSUER) });
  throw new Error(`${ENV.IDENTITY_PROVIDER} must be cognito or local, got "${kind}"`);
}
