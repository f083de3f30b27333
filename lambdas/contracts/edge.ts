/**
 * The edge token: what the playback service signs and the CloudFront Function
 * (`edge/verify-token.js`) verifies on every media request, on AWS and on the local edges.
 *
 * Format (seven dot-separated fields, all URL-safe, so it can sit in a path segment):
 *
 *     <kid>.<sessionId>.<titleId>.<assetId>.<maxHeight>.<exp>.<sig>
 *
 * `sig` is base64url(HMAC-SHA256(key, the first six fields joined by '.')), `exp` is epoch
 * seconds. The key is looked up by `kid` in the CloudFront KeyValueStore (`key:<kid>` → the
 * base64 secret), so keys rotate by adding a new kid before retiring the old one; a session is
 * refused once `revoked:<sessionId>` exists. Any change here must be mirrored in
 * `edge/verify-token.js`, which cannot import TypeScript (CloudFront runs the file as is).
 *
 * Pure: only `node:crypto`, no clock (the caller gives `expiresAt`).
 */
import { createHmac } from 'node:crypto';
import { MEDIA_PREFIX } from './storage.ts';

/** The path prefix that carries the token: `/t/<token>/media/<titleId>/<assetId>/…`. */
export const EDGE_TOKEN_PATH_PREFIX = '/t/';

/** Key ids, session, title and asset ids: what fits in a token field and a KeyValueStore key. */
export const EDGE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The function parses at most five digits of height and twelve of expiry. */
const MAX_HEIGHT_LIMIT = 99_999;
const EXPIRES_AT_LIMIT = 999_999_999_999;

/** Prefix of the KeyValueStore keys that hold signing secrets (`key:<kid>`). */
export const EDGE_KEY_ENTRY_PREFIX = 'key:';

/** Prefix of the KeyValueStore keys that revoke sessions (`revoked:<sessionId>`). */
export const EDGE_REVOCATION_ENTRY_PREFIX = 'revoked:';

/** KeyValueStore key holding the base64 HMAC secret of key id `kid`. */
export function edgeKeyEntry(kid: string): string {
  return `${EDGE_KEY_ENTRY_PREFIX}${requireId('kid', kid)}`;
}

/**
 * KeyValueStore key whose presence revokes a playback session at the edge. The edge only checks
 * that it exists; its value (`edgeRevocationValue`) says when it may be swept.
 */
export function edgeRevocationEntry(sessionId: string): string {
  return `${EDGE_REVOCATION_ENTRY_PREFIX}${requireId('sessionId', sessionId)}`;
}

/**
 * Value stored under `edgeRevocationEntry(sessionId)`: the epoch seconds at which the session's
 * tokens expire anyway (`exp`). From then on the edge refuses them as `expired`, so the entry can
 * be deleted: a store holds 5 MB, and revocations would otherwise pile up forever.
 */
export function edgeRevocationValue(untilEpoch: number): string {
  return requirePositiveInteger('untilEpoch', untilEpoch, EXPIRES_AT_LIMIT);
}

/**
 * The epoch seconds a revocation value names; `undefined` for anything else, which a sweep
 * deletes like an expired entry (only playback writes these keys).
 */
export function revokedUntil(value: string): number | undefined {
  return /^[1-9][0-9]{0,11}$/.test(value) ? Number(value) : undefined;
}

/** Response header on every 403 the edge function answers, naming why. */
export const EDGE_REASON_HEADER = 'x-edge-reason';

/**
 * Why the edge refused a request (value of `x-edge-reason`):
 * - `missing`: no `/t/<token>/` prefix;
 * - `malformed`: a token or path that does not parse, or a method other than GET/HEAD/OPTIONS;
 * - `tampered`: unknown key id, wrong signature, or a path outside the token's title/asset;
 * - `expired`: `exp` is not in the future;
 * - `height`: a rendition taller than the token's `maxHeight`;
 * - `revoked`: the session was revoked.
 */
export const EDGE_DENY_REASONS = [
  'missing',
  'malformed',
  'tampered',
  'expired',
  'height',
  'revoked',
] as const;
export type EdgeDenyReason = (typeof EDGE_DENY_REASONS)[number];

export interface EdgeTokenClaims {
  /** Key id: which KeyValueStore secret signed the token. */
  kid: string;
  sessionId: string;
  titleId: string;
  assetId: string;
  /** Tallest rendition (pixels, the `<N>` of `index_<N>p…`) the session may fetch. */
  maxHeight: number;
  /** Epoch seconds after which the edge refuses the token. */
  expiresAt: number;
}

export interface SignEdgeTokenInput extends EdgeTokenClaims {
  /** The HMAC secret: raw bytes, or the base64 text stored in the KeyValueStore. */
  key: Buffer | string;
}

/** Signs a token for one session and one asset version. Throws on ids the edge would refuse. */
export function signEdgeToken(input: SignEdgeTokenInput): string {
  const payload = [
    requireId('kid', input.kid),
    requireId('sessionId', input.sessionId),
    requireId('titleId', input.titleId),
    requireId('assetId', input.assetId),
    requirePositiveInteger('maxHeight', input.maxHeight, MAX_HEIGHT_LIMIT),
    requirePositiveInteger('expiresAt', input.expiresAt, EXPIRES_AT_LIMIT),
  ].join('.');
  const key = typeof input.key === 'string' ? Buffer.from(input.key, 'base64') : input.key;
  if (key.length === 0) throw new RangeError('The edge signing key is empty.');
  const sig = createHmac('sha256', key).update(payload).digest('base64url');
  return `${payload}.${sig}`;
}

/**
 * Reads a token's claims WITHOUT verifying it (the edge function verifies): for logs, tests and
 * the local tools. `undefined` when it does not have the token's shape.
 */
export function parseEdgeToken(token: string): (EdgeTokenClaims & { sig: string }) | undefined {
  const fields = token.split('.');
  if (fields.length !== 7) return undefined;
  const [kid, sessionId, titleId, assetId, maxHeight, exp, sig] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (![kid, sessionId, titleId, assetId].every((id) => EDGE_ID_PATTERN.test(id))) return undefined;
  if (!/^[1-9][0-9]{0,4}$/.test(maxHeight) || !/^[1-9][0-9]{0,11}$/.test(exp)) return undefined;
  if (!/^[A-Za-z0-9_-]{43}$/.test(sig)) return undefined;
  return { kid, sessionId, titleId, assetId, maxHeight: Number(maxHeight), expiresAt: Number(exp), sig };
}

/**
 * The edge path of a media object for a token: `edgePath(token, 'media/t/a/hls/index_720p.m3u8')`
 * → `/t/<token>/media/t/a/hls/index_720p.m3u8`. Accepts the bucket key with or without a
 * leading slash; child URIs in the pipeline's playlists are relative, so they inherit the prefix.
 */
export function edgePath(token: string, assetKey: string): string {
  const key = assetKey.startsWith('/') ? assetKey.slice(1) : assetKey;
  if (!key.startsWith(MEDIA_PREFIX)) throw new RangeError(`Not a media key: ${assetKey}`);
  return `${EDGE_TOKEN_PATH_PREFIX}${token}/${key}`;
}

function requireId(field: string, value: string): string {
  if (!EDGE_ID_PATTERN.test(value)) {
    throw new RangeError(`${field} must match ${EDGE_ID_PATTERN.source}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function requirePositiveInteger(field: string, value: number, limit: number): string {
  if (!Number.isSafeInteger(value) || value < 1 || value > limit) {
    throw new RangeError(`${field} must be an integer from 1 to ${limit}, got ${value}`);
  }
  return String(value);
}
