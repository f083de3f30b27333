/**
 * The playlist token: what authorizes the per-session master playlist and the steering
 * manifest, which players fetch with no headers (`?token=` in the URL). It is an HMAC over the
 * session id and an expiry, signed with the same keys as the edge token, so rotating keys
 * rotates both.
 *
 * Format: `<kid>.<exp>.<sig>`, `sig` = base64url(HMAC-SHA256(key, "playlist.<sessionId>.<exp>")).
 * The `playlist.` prefix keeps a playlist signature from ever being valid as an edge token's.
 *
 * Pure: only `node:crypto`; the caller gives the time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { EDGE_ID_PATTERN } from '#contracts/edge.ts';
import { ForbiddenError } from '#shared/errors.ts';
import type { SigningKey, SigningKeys } from './ports.ts';

const TOKEN_PATTERN = /^([A-Za-z0-9_-]{1,64})\.([1-9][0-9]{0,11})\.([A-Za-z0-9_-]{43})$/;

export interface PlaylistTokenInput {
  readonly key: SigningKey;
  readonly sessionId: string;
  /** Epoch seconds. */
  readonly expiresAt: number;
}

export function signPlaylistToken(input: PlaylistTokenInput): string {
  if (!EDGE_ID_PATTERN.test(input.key.kid)) throw new RangeError(`Not a key id: ${input.key.kid}`);
  if (!Number.isSafeInteger(input.expiresAt) || input.expiresAt < 1) {
    throw new RangeError(`expiresAt must be a positive integer, got ${input.expiresAt}`);
  }
  return `${input.key.kid}.${input.expiresAt}.${signature(input.key.secret, input.sessionId, input.expiresAt)}`;
}

/** `kid` and `expiresAt` of a token of the right shape, unverified; `undefined` otherwise. */
export function readPlaylistToken(
  token: string,
): { kid: string; expiresAt: number; sig: string } | undefined {
  const match = TOKEN_PATTERN.exec(token);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { kid: match[1], expiresAt: Number(match[2]), sig: match[3] };
}

/**
 * Checks that `token` was signed by one of our keys for `sessionId` and has not expired;
 * otherwise 403 `INVALID_TOKEN` (missing, malformed, unknown key, wrong signature or session) or
 * 403 `TOKEN_EXPIRED`.
 */
export async function verifyPlaylistToken(
  keys: SigningKeys,
  token: string | undefined,
  sessionId: string,
  nowEpoch: number,
): Promise<void> {
  const invalid = () => new ForbiddenError('INVALID_TOKEN', 'A valid playback token is required.');
  const claims = token === undefined ? undefined : readPlaylistToken(token);
  if (!claims) throw invalid();
  const key = await keys.byId(claims.kid);
  if (!key) throw invalid();
  const expected = Buffer.from(signature(key.secret, sessionId, claims.expiresAt), 'utf8');
  const given = Buffer.from(claims.sig, 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
  // Checked after the signature, so an expired answer is only ever given for a genuine token.
  if (claims.expiresAt <= nowEpoch) {
    throw new ForbiddenError('TOKEN_EXPIRED', 'The playback token has expired: start playback again.');
  }
}

function signature(secret: string, sessionId: string, expiresAt: number): string {
  const key = Buffer.from(secret, 'base64');
  if (key.length === 0) throw new RangeError('The signing key is empty.');
  return createHmac('sha256', key).update(`playlist.${sessionId}.${expiresAt}`).digest('base64url');
}
