/**
 * The local identity provider: accounts, scrypt password hashes, RS256 access tokens and rotating
 * refresh tokens, all in the identity table. It stands in for Cognito on the embedded platform
 * and on LocalStack (whose free tier has no Cognito), behind the same `IdentityProvider` port.
 *
 * Items: `account#<id>`, `email#<address>` (uniqueness guard), `refresh#<sha256>` (expiring),
 * `key#current` (the signing key, created by whichever function needs it first).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import type { TokensResponse } from '#contracts/api/identity.ts';
import { ConflictError, UnauthorizedError } from '#shared/errors.ts';
import type { AccountRecord, IdentityProvider, VerifiedCaller } from '../domain/identity-provider.ts';
import { DECOY_HASH, hashPassword, verifyPassword } from '../domain/passwords.ts';

export const ACCESS_TOKEN_TTL_SEC = 15 * 60;
export const REFRESH_TOKEN_TTL_SEC = 30 * 24 * 3600;
export const TOKEN_AUDIENCE = 'showrunner';
const ALG = 'RS256';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface LocalIdentityOptions {
  db: DynamoDBDocumentClient;
  tableName: string;
  /** `iss` of the tokens. */
  issuer: string;
  now?: () => Date;
}

export function localIdentityProvider(options: LocalIdentityOptions): IdentityProvider & {
  /** Creates the account if the address is free, or sets its groups and password (admin bootstrap). */
  ensureAccount(input: {
    email: string;
    password: string;
    country: string;
    groups: string[];
  }): Promise<string>;
} {
  const { db, tableName: TableName, issuer } = options;
  const now = options.now ?? (() => new Date());
  let signingKey: Promise<SigningKey> | undefined;

  const key = (): Promise<SigningKey> => {
    signingKey ??= loadOrCreateKey().catch((error) => {
      signingKey = undefined;
      throw error;
    });
    return signingKey;
  };

  async function loadOrCreateKey(): Promise<SigningKey> {
    const existing = await db.send(
      new GetCommand({ TableName, Key: { pk: 'key#current' }, ConsistentRead: true }),
    );
    if (!existing.Item) {
      const pair = await generateKeyPair(ALG, { extractable: true, modulusLength: 2048 });
      const kid = randomUUID();
      const privateJwk = { ...(await exportJWK(pair.privateKey)), kid, alg: ALG };
      const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: ALG, use: 'sig' };
      try {
        await db.send(
          new PutCommand({
            TableName,
            Item: { pk: 'key#current', kid, privateJwk, publicJwk, createdAt: now().toISOString() },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        // Another function created it first: use that one.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      return loadOrCreateKey();
    }
    const item = existing.Item as { kid: string; privateJwk: JWK; publicJwk: JWK };
    return {
      kid: item.kid,
      privateKey: (await importJWK(item.privateJwk, ALG)) as CryptoKey,
      publicJwk: item.publicJwk,
    };
  }

  async function getAccount(
    accountId: string,
  ): Promise<(AccountRecord & { passwordHash: string }) | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName, Key: { pk: `account#${accountId}` } }));
    return Item as (AccountRecord & { passwordHash: string }) | undefined;
  }

  async function issueTokens(account: AccountRecord): Promise<TokensResponse> {
    const { kid, privateKey } = await key();
    const issuedAt = Math.floor(now().getTime() / 1000);
    const accessToken = await new SignJWT({
      email: account.email,
      country: account.country,
      groups: [...account.groups],
      token_use: 'access',
    })
      .setProtectedHeader({ alg: ALG, kid, typ: 'JWT' })
      .setSubject(account.accountId)
      .setIssuer(issuer)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ACCESS_TOKEN_TTL_SEC)
      .setJti(randomUUID())
      .sign(privateKey);
    const refreshToken = randomBytes(32).toString('base64url');
    await db.send(
      new PutCommand({
        TableName,
        Item: {
          pk: `refresh#${sha256(refreshToken)}`,
          accountId: account.accountId,
          expiresAtEpoch: issuedAt + REFRESH_TOKEN_TTL_SEC,
        },
      }),
    );
    return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_TTL_SEC, tokenType: 'Bearer' };
  }

  async function createAccount(input: {
    email: string;
    password: string;
    country: string;
    groups: string[];
  }) {
    const accountId = randomUUID();
    const passwordHash = await hashPassword(input.password, randomBytes(16));
    const record = {
      pk: `account#${accountId}`,
      accountId,
      email: input.email,
      country: input.country,
      groups: input.groups,
      passwordHash,
      createdAt: now().toISOString(),
    };
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName,
                Item: { pk: `email#${input.email}`, accountId },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName, Item: record, ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        throw new ConflictError('EMAIL_TAKEN', 'An account with this email address exists.');
      }
      throw error;
    }
    return accountId;
  }

  async function accountIdByEmail(email: string): Promise<string | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName, Key: { pk: `email#${email}` } }));
    return Item?.accountId as string | undefined;
  }

  return {
    async signUp(input) {
      return { accountId: await createAccount({ ...input, groups: [] }) };
    },

    async ensureAccount(input) {
      const existingId = await accountIdByEmail(input.email);
      if (!existingId) return createAccount(input);
      const account = await getAccount(existingId);
      if (!account) throw new Error(`email#${input.email} points at a missing account`);
      await db.send(
        new PutCommand({
          TableName,
          Item: {
            ...account,
            groups: [...new Set([...account.groups, ...input.groups])],
            passwordHash: await hashPassword(input.password, randomBytes(16)),
          },
        }),
      );
      return existingId;
    },

    async login(email, password) {
      const accountId = await accountIdByEmail(email);
      const account = accountId ? await getAccount(accountId) : undefined;
      const ok = await verifyPassword(password, account?.passwordHash ?? DECOY_HASH);
      if (!account || !ok) throw new UnauthorizedError('INVALID_CREDENTIALS', 'Wrong email or password.');
      return issueTokens(account);
    },

    async refresh(refreshToken) {
      const invalid = () =>
        new UnauthorizedError('INVALID_REFRESH_TOKEN', 'The refresh token is unknown, used or expired.');
      let old: Record<string, unknown> | undefined;
      try {
        // Delete-on-use: a refresh token works once, even under concurrent use.
        const out = await db.send(
          new DeleteCommand({
            TableName,
            Key: { pk: `refresh#${sha256(refreshToken)}` },
            ConditionExpression: 'attribute_exists(pk) AND expiresAtEpoch > :now',
            ExpressionAttributeValues: { ':now': Math.floor(now().getTime() / 1000) },
            ReturnValues: 'ALL_OLD',
          }),
        );
        old = out.Attributes;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw invalid();
        throw error;
      }
      const account = old ? await getAccount(String(old.accountId)) : undefined;
      if (!account) throw invalid();
      return issueTokens(account);
    },

    async verify(accessToken): Promise<VerifiedCaller> {
      const { kid, publicJwk } = await key();
      const { payload, protectedHeader } = await jwtVerify(accessToken, await importJWK(publicJwk, ALG), {
        issuer,
        audience: TOKEN_AUDIENCE,
        algorithms: [ALG],
        currentDate: now(),
      });
      if (protectedHeader.kid !== kid || payload.token_use !== 'access' || typeof payload.sub !== 'string') {
        throw new UnauthorizedError('UNAUTHORIZED', 'Not an access token of this issuer.');
      }
      return {
        accountId: payload.sub,
        email: String(payload.email ?? ''),
        country: String(payload.country ?? ''),
        groups: Array.isArray(payload.groups) ? payload.groups.map(String) : [],
      };
    },

    async jwks() {
      const { publicJwk } = await key();
      return { keys: [{ ...publicJwk, kty: publicJwk.kty ?? 'RSA' }] };
    },

    async account(accountId) {
      const found = await getAccount(accountId);
      if (!found) return undefined;
      const { passwordHash: _secret, pk: _key, ...account } = found as typeof found & { pk?: string };
      return account;
    },
  };
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}
