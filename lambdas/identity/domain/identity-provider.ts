/**
 * The identity port. Cognito implements it on AWS; the local identity provider (same behaviour,
 * tokens signed with RS256 and published as a JWKS) on the embedded platform and LocalStack.
 * Handlers and the authorizer depend on this interface only.
 */
import type { jwksSchema, TokensResponse } from '#contracts/api/identity.ts';
import type * as z from '#contracts/zod.ts';

/** A JSON Web Key Set (RFC 7517). */
export type JsonWebKeySet = z.infer<typeof jwksSchema>;

/** What a verified access token says about its bearer. */
export interface VerifiedCaller {
  accountId: string;
  email: string;
  country: string;
  groups: readonly string[];
}

export interface AccountRecord {
  accountId: string;
  email: string;
  country: string;
  groups: readonly string[];
  createdAt: string;
}

export interface IdentityProvider {
  /** Creates an account; `ConflictError('EMAIL_TAKEN')` when the address is in use. */
  signUp(input: { email: string; password: string; country: string }): Promise<{ accountId: string }>;
  /** `UnauthorizedError('INVALID_CREDENTIALS')` for an unknown address or a wrong password, alike. */
  login(email: string, password: string): Promise<TokensResponse>;
  /** Rotates the refresh token; `UnauthorizedError('INVALID_REFRESH_TOKEN')` when unknown, used or expired. */
  refresh(refreshToken: string): Promise<TokensResponse>;
  /** Verifies an access token (signature, issuer, audience, expiry, token use). Throws when invalid. */
  verify(accessToken: string): Promise<VerifiedCaller>;
  /** The public keys that verify access tokens. */
  jwks(): Promise<JsonWebKeySet>;
  account(accountId: string): Promise<AccountRecord | undefined>;
}
