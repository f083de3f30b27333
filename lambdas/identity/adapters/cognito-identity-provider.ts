/**
 * Cognito behind the `IdentityProvider` port (the `aws` target). Cognito keeps credentials and
 * issues tokens; the identity table keeps the account record (country), keyed by the user's
 * `sub`. Sign-up creates a confirmed user directly (AdminCreateUser with the welcome message
 * suppressed, then a permanent password): email verification is a user-pool setting to switch on
 * when a deployment wants it (docs/identity.md).
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  InvalidPasswordException,
  NotAuthorizedException,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { jwksSchema, type TokensResponse } from '#contracts/api/identity.ts';
import { BadRequestError, ConflictError, UnauthorizedError } from '#shared/errors.ts';
import type { AccountRecord, IdentityProvider, VerifiedCaller } from '../domain/identity-provider.ts';

export interface CognitoIdentityOptions {
  cognito: CognitoIdentityProviderClient;
  db: DynamoDBDocumentClient;
  tableName: string;
  region: string;
  userPoolId: string;
  clientId: string;
}

export function cognitoIdentityProvider(options: CognitoIdentityOptions): IdentityProvider {
  const { cognito, db, tableName: TableName, userPoolId, clientId } = options;
  const issuer = `https://cognito-idp.${options.region}.amazonaws.com/${userPoolId}`;
  const keySet = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));

  const account = async (accountId: string): Promise<AccountRecord | undefined> => {
    const { Item } = await db.send(new GetCommand({ TableName, Key: { pk: `account#${accountId}` } }));
    if (!Item) return undefined;
    const { pk: _key, ...record } = Item as AccountRecord & { pk: string };
    return record;
  };

  const tokens = async (
    flow: 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH',
    params: Record<string, string>,
  ) => {
    const out = await cognito.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: flow, AuthParameters: params }),
    );
    const result = out.AuthenticationResult;
    if (!result?.AccessToken) throw new UnauthorizedError('INVALID_CREDENTIALS', 'Wrong email or password.');
    return {
      accessToken: result.AccessToken,
      // Cognito does not rotate refresh tokens unless rotation is on: keep the one given.
      refreshToken: result.RefreshToken ?? params.REFRESH_TOKEN ?? '',
      expiresIn: result.ExpiresIn ?? 3600,
      tokenType: 'Bearer',
    } satisfies TokensResponse;
  };

  return {
    async signUp({ email, password, country }) {
      let sub: string | undefined;
      try {
        const created = await cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: email,
            MessageAction: 'SUPPRESS',
            UserAttributes: [
              { Name: 'email', Value: email },
              { Name: 'email_verified', Value: 'true' },
            ],
          }),
        );
        sub = created.User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
        await cognito.send(
          new AdminSetUserPasswordCommand({
            UserPoolId: userPoolId,
            Username: email,
            Password: password,
            Permanent: true,
          }),
        );
      } catch (error) {
        if (error instanceof UsernameExistsException)
          throw new ConflictError('EMAIL_TAKEN', 'An account with this email address exists.');
        if (error instanceof InvalidPasswordException)
          throw new BadRequestError('WEAK_PASSWORD', error.message);
        throw error;
      }
      if (!sub) throw new Error('Cognito created a user without a sub');
      await db.send(
        new PutCommand({
          TableName,
          Item: {
            pk: `account#${sub}`,
            accountId: sub,
            email,
            country,
            groups: [],
            createdAt: new Date().toISOString(),
          },
        }),
      );
      return { accountId: sub };
    },

    async login(email, password) {
      try {
        return await tokens('USER_PASSWORD_AUTH', { USERNAME: email, PASSWORD: password });
      } catch (error) {
        if (error instanceof NotAuthorizedException || error instanceof UserNotFoundException)
          throw new UnauthorizedError('INVALID_CREDENTIALS', 'Wrong email or password.');
        throw error;
      }
    },

    async refresh(refreshToken) {
      try {
        return await tokens('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: refreshToken });
      } catch (error) {
        if (error instanceof NotAuthorizedException)
          throw new UnauthorizedError(
            'INVALID_REFRESH_TOKEN',
            'The refresh token is unknown, used or expired.',
          );
        throw error;
      }
    },

    async verify(accessToken): Promise<VerifiedCaller> {
      const { payload } = await jwtVerify(accessToken, keySet, { issuer, algorithms: ['RS256'] });
      if (
        payload.token_use !== 'access' ||
        payload.client_id !== clientId ||
        typeof payload.sub !== 'string'
      ) {
        throw new UnauthorizedError('UNAUTHORIZED', 'Not an access token of this user pool client.');
      }
      const record = await account(payload.sub);
      const groups = payload['cognito:groups'];
      return {
        accountId: payload.sub,
        email: record?.email ?? String(payload.username ?? ''),
        country: record?.country ?? '',
        groups: Array.isArray(groups) ? groups.map(String) : [],
      };
    },

    async jwks() {
      const response = await fetch(`${issuer}/.well-known/jwks.json`);
      return jwksSchema.parse(await response.json());
    },

    account,
  };
}

/** Adds a user to the admin group (operators run this once per admin; see docs/identity.md). */
export async function makeAdmin(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  email: string,
  group: string,
) {
  await cognito.send(
    new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: group }),
  );
}
