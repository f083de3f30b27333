/**
 * Signing keys from a secret (Secrets Manager on AWS): JSON `{ kid, secret, previous? }`
 * (`lambdas/contracts/edge-signing-secret.ts`). New tokens are signed with `kid`; playlist tokens
 * signed with a `previous` key still verify, so a rotation does not cut off sessions that
 * started before it. `load` gives the secret's text; its caller caches it (the Powertools
 * parameters cache), so a rotation reaches playback within that cache's lifetime.
 */
import {
  type EdgeSigningKey,
  edgeSigningKeysOf,
  parseEdgeSigningSecret,
} from '#contracts/edge-signing-secret.ts';
import type { SigningKeys } from '../domain/ports.ts';

export function secretSigningKeys(load: () => Promise<string>, source: string): SigningKeys {
  let parsed: { text: string; keys: EdgeSigningKey[] } | undefined;
  async function keys(): Promise<EdgeSigningKey[]> {
    const text = await load();
    if (parsed?.text !== text)
      parsed = { text, keys: edgeSigningKeysOf(parseEdgeSigningSecret(text, source)) };
    return parsed.keys;
  }
  return {
    async current() {
      const [current] = await keys();
      if (!current) throw new Error(`The edge signing secret ${source} has no key.`);
      return current;
    },
    async byId(kid) {
      return (await keys()).find((key) => key.kid === kid);
    },
  };
}
