/** Signing keys from the AWS secret's text: the current key signs, previous ones still verify. */
import { describe, expect, it } from 'vitest';
import { secretSigningKeys } from '../../../lambdas/playback/adapters/secret-signing-keys.ts';

const K1 = 'A'.repeat(43).concat('=');
const K2 = 'B'.repeat(44);

describe('signing keys from a secret', () => {
  it('sign with the current key and find the previous ones by id', async () => {
    const keys = secretSigningKeys(
      async () => JSON.stringify({ kid: 'k2', secret: K2, previous: [{ kid: 'k1', secret: K1 }] }),
      'test-secret',
    );

    expect(await keys.current()).toEqual({ kid: 'k2', secret: K2 });
    expect(await keys.byId('k1')).toEqual({ kid: 'k1', secret: K1 });
    expect(await keys.byId('k0')).toBeUndefined();
  });

  it('follow the text when it changes (a rotation reaching the cache)', async () => {
    let text = JSON.stringify({ kid: 'k1', secret: K1 });
    const keys = secretSigningKeys(async () => text, 'test-secret');
    expect((await keys.current()).kid).toBe('k1');

    text = JSON.stringify({ kid: 'k2', secret: K2, previous: [{ kid: 'k1', secret: K1 }] });

    expect((await keys.current()).kid).toBe('k2');
    expect(await keys.byId('k1')).toBeDefined();
  });

  it('fail naming the secret, not quoting it, when the text is not a signing secret', async () => {
    const keys = secretSigningKeys(async () => `{"kid":"k1","secret":"${K2}"`, 'arn:secret:edge');

    await expect(keys.current()).rejects.toThrow('The edge signing secret arn:secret:edge is not JSON.');
  });
});
