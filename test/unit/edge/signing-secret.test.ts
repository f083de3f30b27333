/**
 * The signing secret as Secrets Manager generates and holds it on AWS, checked against what the
 * edge function (`edge/verify-token.js`, run unchanged) and `signEdgeToken` do with it, and the
 * revocation values a sweep reads back.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  edgeKeyEntry,
  edgePath,
  edgeRevocationEntry,
  edgeRevocationValue,
  revokedUntil,
  signEdgeToken,
} from '#contracts/edge.ts';
import {
  EDGE_GENERATED_SECRET_LENGTH,
  edgeSigningKeysOf,
  isSigningSecret,
  parseEdgeSigningSecret,
} from '#contracts/edge-signing-secret.ts';
import { loadEdgeFunction, viewerRequestEvent } from '#local/edge/function-runner.ts';
import { LocalKeyValueStore } from '#local/edge/key-value-store.ts';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const NOW_MS = Date.UTC(2030, 0, 1, 12, 0, 0);
const TITLE = 'title-1';
const ASSET = 'asset-1';

/** What `generateSecretString` with `excludePunctuation` and the generated length makes. */
function generatedSecret(): string {
  return Array.from({ length: EDGE_GENERATED_SECRET_LENGTH }, () => ALPHANUMERIC[randomInt(62)]).join('');
}

describe('the generated signing secret', () => {
  it('is canonical base64 of 33 bytes, whatever letters and digits it draws', () => {
    for (let i = 0; i < 500; i++) {
      const secret = generatedSecret();

      expect(Buffer.from(secret, 'base64')).toHaveLength(33);
      expect(Buffer.from(secret, 'base64').toString('base64')).toBe(secret);
      expect(isSigningSecret(secret)).toBe(true);
    }
  });

  it('signs tokens the edge function accepts when the same text is its key:<kid> entry', async () => {
    const secret = generatedSecret();
    const kvs = new LocalKeyValueStore();
    kvs.put(edgeKeyEntry('k1'), secret);
    const edge = loadEdgeFunction({ kvs, clock: () => NOW_MS });
    const token = signEdgeToken({
      kid: 'k1',
      key: secret,
      sessionId: 'sess-1',
      titleId: TITLE,
      assetId: ASSET,
      maxHeight: 720,
      expiresAt: NOW_MS / 1000 + 600,
    });

    const result = await edge.run(
      viewerRequestEvent({
        method: 'GET',
        url: edgePath(token, `media/${TITLE}/${ASSET}/hls/index.m3u8`),
        headers: {},
      }),
    );

    expect(result.type).toBe('request');
  });

  it.each([
    ['Node base64 of 32 random bytes (padded)', randomBytes(32).toString('base64'), true],
    ['too short (16 bytes)', randomBytes(16).toString('base64'), false],
    ['URL-safe base64', 'ab-_'.repeat(11), false],
    ['punctuation', `${'A'.repeat(42)}!!`, false],
    ['a length that is not a multiple of 4', 'A'.repeat(45), false],
  ])('%s: accepted %s', (_, text, accepted) => {
    expect(isSigningSecret(text)).toBe(accepted);
  });
});

describe('the signing secret document', () => {
  const current = generatedSecret();
  const old = generatedSecret();

  it('lists the current key first, then the previous ones', () => {
    const secret = parseEdgeSigningSecret(
      JSON.stringify({ kid: 'k2', secret: current, previous: [{ kid: 'k1', secret: old }] }),
      'test',
    );

    expect(edgeSigningKeysOf(secret)).toEqual([
      { kid: 'k2', secret: current },
      { kid: 'k1', secret: old },
    ]);
  });

  it.each([
    ['not JSON', `{"kid":"k1","secret":"${current}"`, /test is not JSON/],
    ['a bad key id', JSON.stringify({ kid: 'k 1', secret: current }), /kid/],
    ['a weak secret', JSON.stringify({ kid: 'k1', secret: 'c2VjcmV0' }), /secret/],
    [
      'a key id twice',
      JSON.stringify({ kid: 'k1', secret: current, previous: [{ kid: 'k1', secret: old }] }),
      /unique/,
    ],
  ])('refuses %s without quoting the secret', (_, text, message) => {
    let error: Error | undefined;
    try {
      parseEdgeSigningSecret(text, 'test');
    } catch (caught) {
      error = caught as Error;
    }

    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain(current.slice(0, 12));
  });
});

describe('revocation entries', () => {
  it('hold the epoch the session tokens expire at, which a sweep reads back', () => {
    expect(edgeRevocationEntry('sess-1')).toBe('revoked:sess-1');
    expect(edgeRevocationValue(1_900_000_000)).toBe('1900000000');
    expect(revokedUntil(edgeRevocationValue(1_900_000_000))).toBe(1_900_000_000);
  });

  it('read anything but an epoch as no epoch', () => {
    expect(revokedUntil('')).toBeUndefined();
    expect(revokedUntil('soon')).toBeUndefined();
    expect(revokedUntil('0')).toBeUndefined();
  });

  it('refuse an epoch that is not a positive integer', () => {
    expect(() => edgeRevocationValue(0)).toThrow(RangeError);
    expect(() => edgeRevocationValue(1.5)).toThrow(RangeError);
  });
});
