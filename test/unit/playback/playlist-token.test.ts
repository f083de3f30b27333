import { describe, expect, it } from 'vitest';
import { parseEdgeToken } from '#contracts/edge.ts';
import {
  readPlaylistToken,
  signPlaylistToken,
  verifyPlaylistToken,
} from '../../../lambdas/playback/domain/playlist-token.ts';
import { fixedKeys, KEY } from './fakes.ts';

const NOW = 1_795_000_000;
const OTHER_KEY = { kid: 'k2', secret: Buffer.alloc(32, 9).toString('base64') };

const token = (overrides: { sessionId?: string; expiresAt?: number; key?: typeof KEY } = {}) =>
  signPlaylistToken({
    key: overrides.key ?? KEY,
    sessionId: overrides.sessionId ?? 'sess-1',
    expiresAt: overrides.expiresAt ?? NOW + 3600,
  });

describe('playlist tokens', () => {
  it('verifies a token signed for the session', async () => {
    await expect(verifyPlaylistToken(fixedKeys(KEY), token(), 'sess-1', NOW)).resolves.toBeUndefined();
  });

  it('carries its key id and expiry in the clear: <kid>.<exp>.<sig>', () => {
    expect(readPlaylistToken(token())).toEqual({ kid: 'k1', expiresAt: NOW + 3600, sig: expect.any(String) });
  });

  it("refuses another session's token with 403 INVALID_TOKEN", async () => {
    await expect(
      verifyPlaylistToken(fixedKeys(KEY), token({ sessionId: 'sess-2' }), 'sess-1', NOW),
    ).rejects.toMatchObject({ code: 'INVALID_TOKEN', status: 403 });
  });

  it('refuses a token whose expiry was edited', async () => {
    const edited = token().replace(`.${NOW + 3600}.`, `.${NOW + 999_999}.`);

    await expect(verifyPlaylistToken(fixedKeys(KEY), edited, 'sess-1', NOW)).rejects.toMatchObject({
      code: 'INVALID_TOKEN',
    });
  });

  it('refuses a token with a flipped signature character', async () => {
    const good = token();
    const flipped = `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`;

    await expect(verifyPlaylistToken(fixedKeys(KEY), flipped, 'sess-1', NOW)).rejects.toMatchObject({
      code: 'INVALID_TOKEN',
    });
  });

  it('refuses a token signed with a key it does not know', async () => {
    await expect(
      verifyPlaylistToken(fixedKeys(KEY), token({ key: OTHER_KEY }), 'sess-1', NOW),
    ).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('accepts a token of an older key still on the key ring (rotation)', async () => {
    await expect(
      verifyPlaylistToken(fixedKeys(OTHER_KEY, KEY), token(), 'sess-1', NOW),
    ).resolves.toBeUndefined();
  });

  it('refuses an expired token with 403 TOKEN_EXPIRED, from its expiry second on', async () => {
    await expect(
      verifyPlaylistToken(fixedKeys(KEY), token({ expiresAt: NOW }), 'sess-1', NOW),
    ).rejects.toMatchObject({
      code: 'TOKEN_EXPIRED',
      status: 403,
    });
  });

  it.each([
    ['no token', undefined],
    ['an empty token', ''],
    ['garbage', 'not-a-token'],
    [
      'an edge-token-shaped string',
      'k1.sess-1.movie-1.asset-1.720.1795003600.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ],
  ])('refuses %s with 403 INVALID_TOKEN', async (_, given) => {
    await expect(verifyPlaylistToken(fixedKeys(KEY), given, 'sess-1', NOW)).rejects.toMatchObject({
      code: 'INVALID_TOKEN',
      status: 403,
    });
  });

  it('is never mistaken for an edge token', () => {
    expect(parseEdgeToken(token())).toBeUndefined();
  });
});
