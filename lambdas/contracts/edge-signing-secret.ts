/**
 * The edge signing keys as Secrets Manager holds them on AWS (the control plane's
 * `EdgeSigningKey` secret), JSON:
 *
 *     { "kid": "k2", "secret": "<base64>", "previous": [{ "kid": "k1", "secret": "<base64>" }] }
 *
 * Playback signs new tokens with `kid`/`secret` and still accepts playlist tokens signed with a
 * `previous` key; the edge stack's key provisioner puts every listed key into the edge
 * KeyValueStore as `key:<kid>` (`edgeKeyEntry`). Rotation is in docs/edge.md.
 *
 * CDK creates the secret with `{ kid: EDGE_INITIAL_KEY_ID }` and a generated `secret` of
 * `EDGE_GENERATED_SECRET_LENGTH` letters and digits (`excludePunctuation`). Letters and digits
 * are all base64 characters, and 44 of them (a multiple of 4) are canonical unpadded base64 of
 * 33 bytes (44 × 6 = 264 bits): what `Buffer.from(secret, 'base64')` decodes in
 * `edge/verify-token.js` and `signEdgeToken`, with about 262 bits of entropy (62 symbols).
 */
import { EDGE_ID_PATTERN } from './edge.ts';
import * as z from './zod.ts';

/** Key id of the key the secret is created with. */
export const EDGE_INITIAL_KEY_ID = 'k1';

/** Length of the generated secret text (see the module comment). */
export const EDGE_GENERATED_SECRET_LENGTH = 44;

/** Fewest bytes a signing secret in Secrets Manager may decode to. */
export const EDGE_SECRET_MIN_BYTES = 32;

/** Most `previous` keys kept: one per rotation still inside a token's lifetime. */
const MAX_PREVIOUS_KEYS = 4;

/**
 * `true` when `text` is canonical base64 of at least `minBytes` bytes: standard alphabet, length
 * a multiple of 4, and exactly what encoding the decoded bytes gives back, so every decoder (the
 * edge's `Buffer`, Node's) reads the same bytes.
 */
export function isSigningSecret(text: string, minBytes = EDGE_SECRET_MIN_BYTES): boolean {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return false;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length >= minBytes && bytes.toString('base64') === text;
}

const signingKeySchema = z.object({
  kid: z.string().check(z.regex(EDGE_ID_PATTERN, 'a key id is 1 to 64 letters, digits, "-" or "_"')),
  secret: z
    .string()
    .check(
      z.refine(
        (text) => isSigningSecret(text),
        `a secret is canonical base64 of at least ${EDGE_SECRET_MIN_BYTES} bytes`,
      ),
    ),
});

export const edgeSigningSecretSchema = z
  .extend(signingKeySchema, {
    previous: z.optional(z.array(signingKeySchema).check(z.maxLength(MAX_PREVIOUS_KEYS))),
  })
  .check(
    z.refine(
      (value) =>
        new Set([value.kid, ...(value.previous ?? []).map((k) => k.kid)]).size ===
        1 + (value.previous ?? []).length,
      'key ids must be unique',
    ),
  );
export type EdgeSigningSecret = z.infer<typeof edgeSigningSecretSchema>;

/** One signing key: `kid` names it in tokens and in the KeyValueStore, `secret` is base64. */
export interface EdgeSigningKey {
  readonly kid: string;
  readonly secret: string;
}

/**
 * Parses the secret's text. The error names `source` and what is wrong, never the text itself
 * (`JSON.parse` quotes its input in its messages, and this one is a secret).
 */
export function parseEdgeSigningSecret(text: string, source: string): EdgeSigningSecret {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`The edge signing secret ${source} is not JSON.`);
  }
  const parsed = edgeSigningSecretSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new Error(`The edge signing secret ${source} is invalid: ${where}${issue?.message ?? 'invalid'}.`);
  }
  return parsed.data;
}

/** Every key the secret lists, the current one first. */
export function edgeSigningKeysOf(secret: EdgeSigningSecret): EdgeSigningKey[] {
  return [{ kid: secret.kid, secret: secret.secret }, ...(secret.previous ?? [])];
}
