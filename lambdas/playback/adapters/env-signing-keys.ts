/**
 * Signing keys from the environment (the local platform): one current key
 * (`SHOWRUNNER_EDGE_KEY_ID` and the base64 secret `SHOWRUNNER_EDGE_KEY_SECRET`), the same one the
 * edges find under `key:<kid>` in their KeyValueStore. Verification accepts only that key id; the
 * AWS source (`secret-signing-keys.ts`) also keeps the previous keys of a rotation.
 */
import { EDGE_ID_PATTERN } from '#contracts/edge.ts';
import type { SigningKey, SigningKeys } from '../domain/ports.ts';

export function staticSigningKeys(key: SigningKey): SigningKeys {
  if (!EDGE_ID_PATTERN.test(key.kid)) throw new Error(`The edge key id "${key.kid}" is not a valid key id.`);
  if (Buffer.from(key.secret, 'base64').length < 16) {
    throw new Error('The edge signing secret must be at least 16 bytes (32 recommended), base64-encoded.');
  }
  return {
    current: async () => key,
    byId: async (kid) => (kid === key.kid ? key : undefined),
  };
}
