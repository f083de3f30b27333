/**
 * Password hashing with scrypt, a memory-hard KDF (RFC 7914), as OWASP's password storage
 * cheat sheet recommends when Argon2id is not at hand: N=2^15, r=8, p=1 uses 32 MiB per hash.
 * The encoded form carries its parameters, so they can be raised later without a migration.
 */
import { scrypt, timingSafeEqual } from 'node:crypto';

export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;
const MAX_MEMORY = 64 * 1024 * 1024;

function derive(
  password: string,
  salt: Buffer,
  N: number,
  r: number,
  p: number,
  keyLength: number,
): Promise<Buffer> {
  return new Promise((ok, fail) =>
    scrypt(password.normalize('NFKC'), salt, keyLength, { N, r, p, maxmem: MAX_MEMORY }, (error, key) =>
      error ? fail(error) : ok(key),
    ),
  );
}

/** `scrypt$N$r$p$<salt b64url>$<hash b64url>`; the caller supplies 16 random bytes of salt. */
export async function hashPassword(password: string, salt: Buffer): Promise<string> {
  const { N, r, p, keyLength } = SCRYPT_PARAMS;
  const key = await derive(password, salt, N, r, p, keyLength);
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time check of a password against its encoded hash; a malformed hash never matches. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = encoded.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(
    password,
    Buffer.from(salt, 'base64url'),
    Number(n),
    Number(r),
    Number(p),
    expected.length,
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * A hash of a random password, checked when an address is unknown so that a login takes as
 * long for a missing account as for a wrong password (no account enumeration by timing).
 */
export const DECOY_HASH = `scrypt$${SCRYPT_PARAMS.N}$${SCRYPT_PARAMS.r}$${SCRYPT_PARAMS.p}$AAAAAAAAAAAAAAAAAAAAAA$${'A'.repeat(43)}`;
