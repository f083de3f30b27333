import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EDGE_DENY_REASONS,
  edgeKeyEntry,
  edgePath,
  edgeRevocationEntry,
  parseEdgeToken,
  type SignEdgeTokenInput,
  signEdgeToken,
} from '#contracts/edge.ts';
import { EDGE_FUNCTION_FILE } from '#local/edge/function-runner.ts';

const KEY = Buffer.alloc(32, 7);
const CLAIMS: SignEdgeTokenInput = {
  kid: 'k1',
  key: KEY,
  sessionId: 'session_1',
  titleId: 'title-1',
  assetId: 'asset-1',
  maxHeight: 1080,
  expiresAt: 1_900_000_000,
};

describe('signEdgeToken', () => {
  it('signs the first six fields with HMAC-SHA256 and appends the base64url signature', () => {
    const token = signEdgeToken(CLAIMS);

    const payload = 'k1.session_1.title-1.asset-1.1080.1900000000';
    expect(token).toBe(`${payload}.${createHmac('sha256', KEY).update(payload).digest('base64url')}`);
  });

  it('takes the key as the base64 text the KeyValueStore holds', () => {
    expect(signEdgeToken({ ...CLAIMS, key: KEY.toString('base64') })).toBe(signEdgeToken(CLAIMS));
  });

  it.each([
    ['a dot in an id', { titleId: 'title.1' }],
    ['a slash in an id', { assetId: 'a/b' }],
    ['an empty session id', { sessionId: '' }],
    ['an id longer than 64 characters', { kid: 'k'.repeat(65) }],
    ['a fractional max height', { maxHeight: 720.5 }],
    ['a zero max height', { maxHeight: 0 }],
    ['an expiry in milliseconds', { expiresAt: 1_900_000_000_000 }],
    ['an empty key', { key: Buffer.alloc(0) }],
  ])('refuses %s', (_, override) => {
    expect(() => signEdgeToken({ ...CLAIMS, ...override })).toThrow(RangeError);
  });
});

describe('parseEdgeToken', () => {
  it('reads the claims back without verifying them', () => {
    const token = signEdgeToken(CLAIMS);

    expect(parseEdgeToken(token)).toEqual({
      kid: 'k1',
      sessionId: 'session_1',
      titleId: 'title-1',
      assetId: 'asset-1',
      maxHeight: 1080,
      expiresAt: 1_900_000_000,
      sig: token.split('.')[6],
    });
  });

  it.each([
    ['too few fields', 'a.b.c'],
    ['a non-numeric height', 'k.s.t.a.hd.1900000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a short signature', 'k.s.t.a.720.1900000000.abc'],
  ])('answers undefined for %s', (_, token) => {
    expect(parseEdgeToken(token)).toBeUndefined();
  });
});

describe('edgePath', () => {
  it('puts the token before the media key, with or without its leading slash', () => {
    expect(edgePath('TOKEN', 'media/t/a/hls/index.m3u8')).toBe('/t/TOKEN/media/t/a/hls/index.m3u8');
    expect(edgePath('TOKEN', '/media/t/a/hls/index.m3u8')).toBe('/t/TOKEN/media/t/a/hls/index.m3u8');
  });

  it('refuses a key outside the media prefix', () => {
    expect(() => edgePath('TOKEN', 'sources/job/clip.mp4')).toThrow(RangeError);
  });
});

describe('KeyValueStore entries', () => {
  it('names the key and revocation entries the function reads', () => {
    expect(edgeKeyEntry('k1')).toBe('key:k1');
    expect(edgeRevocationEntry('session_1')).toBe('revoked:session_1');
  });

  it('lists exactly the reasons the function gives', () => {
    const source = readFileSync(EDGE_FUNCTION_FILE, 'utf8');
    const given = new Set([...source.matchAll(/deny\('([a-z]+)'\)/g)].map((match) => match[1]));

    expect([...given].sort()).toEqual([...EDGE_DENY_REASONS].sort());
  });
});
