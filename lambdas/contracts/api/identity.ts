/** identity: sign-up, login, refresh, me. */
import * as z from 'zod';
import { countrySchema } from './common.ts';

export const emailSchema = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());
/** Length is what matters; 8 is NIST SP 800-63B's floor, 128 bounds the KDF's input. */
export const passwordSchema = z.string().min(8).max(128);

export const signupRequestSchema = z
  .object({ email: emailSchema, password: passwordSchema, country: countrySchema.optional() })
  .strict();
export type SignupRequest = z.infer<typeof signupRequestSchema>;
export const signupResponseSchema = z.object({ accountId: z.string() });

export const loginRequestSchema = z
  .object({ email: emailSchema, password: z.string().min(1).max(128) })
  .strict();
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const tokensResponseSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
  tokenType: z.literal('Bearer'),
});
export type TokensResponse = z.infer<typeof tokensResponseSchema>;

export const refreshRequestSchema = z.object({ refreshToken: z.string().min(1).max(4096) }).strict();

export const meResponseSchema = z.object({
  accountId: z.string(),
  email: z.string(),
  country: countrySchema,
  isAdmin: z.boolean(),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

/** `GET /v1/auth/jwks.json`: a JSON Web Key Set (RFC 7517) of the token issuer's public keys. */
export const jwksSchema = z.object({
  keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().optional(), alg: z.string().optional() })),
});

/** Country of accounts that signed up without one. */
export const DEFAULT_COUNTRY = 'US';
/** The group whose members may call `/v1/admin/*`. */
export const ADMIN_GROUP = 'admin';

/**
 * What the authorizer hands every function (API Gateway authorizer context: strings only).
 * Read it with `caller(event)` from `#shared/auth.ts`.
 */
export interface CallerContext {
  accountId: string;
  email: string;
  country: string;
  /** `'true'` or `'false'`. */
  isAdmin: string;
}
