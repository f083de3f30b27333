/** identity: sign-up, login, refresh, me. */
import * as z from '../zod.ts';
import { countrySchema } from './common.ts';

export const emailSchema = z.pipe(
  z.email().check(z.maxLength(254)),
  z.transform((e: string) => e.toLowerCase()),
);
/** Length is what matters; 8 is NIST SP 800-63B's floor, 128 bounds the KDF's input. */
export const passwordSchema = z.string().check(z.minLength(8), z.maxLength(128));

export const signupRequestSchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  country: z.optional(countrySchema),
});
export type SignupRequest = z.infer<typeof signupRequestSchema>;
export const signupResponseSchema = z.object({ accountId: z.string() });

export const loginRequestSchema = z.strictObject({
  email: emailSchema,
  password: z.string().check(z.minLength(1), z.maxLength(128)),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const tokensResponseSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.int(),
  tokenType: z.literal('Bearer'),
});
export type TokensResponse = z.infer<typeof tokensResponseSchema>;

export const refreshRequestSchema = z.strictObject({
  refreshToken: z.string().check(z.minLength(1), z.maxLength(4096)),
});

export const meResponseSchema = z.object({
  accountId: z.string(),
  email: z.string(),
  country: countrySchema,
  isAdmin: z.boolean(),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

/** `GET /v1/auth/jwks.json`: a JSON Web Key Set (RFC 7517) of the token issuer's public keys. */
export const jwksSchema = z.object({
  keys: z.array(z.looseObject({ kty: z.string(), kid: z.optional(z.string()), alg: z.optional(z.string()) })),
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
