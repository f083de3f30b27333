/**
 * The edge token function (`edge/verify-token.js`), run unchanged through the local function
 * runner with CloudFront's viewer-request event shape, against tokens from `signEdgeToken`.
 */
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  EDGE_REASON_HEADER,
  type EdgeDenyReason,
  edgeKeyEntry,
  edgePath,
  edgeRevocationEntry,
  edgeRevocationValue,
  type SignEdgeTokenInput,
  signEdgeToken,
} from '#contracts/edge.ts';
import { type FunctionResult, loadEdgeFunction, viewerRequestEvent } from '#local/edge/function-runner.ts';
import { LocalKeyValueStore } from '#local/edge/key-value-store.ts';

const NOW_MS = Date.UTC(2030, 0, 1, 12, 0, 0);
const NOW_SEC = NOW_MS / 1000;
const KID = 'k2030a';
const KEY = randomBytes(32);
const TITLE = '7d3f2a9e-1c1b-4c7e-9f51-0a2b3c4d5e6f';
const ASSET = 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e';
const SESSION = 'sess-6f1e2d3c';

let kvs: LocalKeyValueStore;
let edge: ReturnType<typeof loadEdgeFunction>;

beforeEach(() => {
  kvs = new LocalKeyValueStore();
  kvs.put(edgeKeyEntry(KID), KEY.toString('base64'));
  edge = loadEdgeFunction({ kvs, clock: () => NOW_MS });
});

function token(overrides: Partial<SignEdgeTokenInput> = {}): string {
  return signEdgeToken({
    kid: KID,
    key: KEY,
    sessionId: SESSION,
    titleId: TITLE,
    assetId: ASSET,
    maxHeight: 720,
    expiresAt: NOW_SEC + 600,
    ...overrides,
  });
}

function fetchAt(url: string, method = 'GET'): Promise<FunctionResult> {
  return edge.run(
    viewerRequestEvent({ method, url, headers: { host: 'edge-a.local', range: 'bytes=0-99' } }),
  );
}

const media = (file: string) => `media/${TITLE}/${ASSET}/${file}`;

function expectForwardedTo(result: FunctionResult, uri: string): void {
  expect(result.type).toBe('request');
  if (result.type === 'request') expect(result.request.uri).toBe(uri);
}

function expectRefused(result: FunctionResult, reason: EdgeDenyReason): void {
  expect(result.type).toBe('response');
  if (result.type !== 'response') return;
  expect(result.response.statusCode).toBe(403);
  expect(result.response.statusDescription).toBe('Forbidden');
  expect(result.response.headers?.[EDGE_REASON_HEADER]?.value).toBe(reason);
}

describe('edge token function', () => {
  describe('a valid token', () => {
    it.each([
      ['the master playlist', 'hls/index.m3u8'],
      ['a rendition playlist at the max height', 'hls/index_720p.m3u8'],
      ['an init segment', 'hls/index_720pinit.cmfv'],
      ['a media segment', 'hls/index_720p_000000001.cmfv'],
      ['a lower rendition', 'hls/index_234p_000000004.cmfv'],
      ['the audio playlist and segments', 'hls/index_audio_000000001.cmfa'],
      ['captions', 'hls/index_en_000000001.vtt'],
      ['the poster', 'poster/poster.0000000.jpg'],
      ['a thumbnail', 'thumbnails/thumb.0000003.jpg'],
    ])('lets %s through with the token stripped from the path', async (_, file) => {
      const result = await fetchAt(edgePath(token(), media(file)));

      expectForwardedTo(result, `/${media(file)}`);
    });

    it('keeps the method, headers and query string of the request', async () => {
      const result = await fetchAt(`${edgePath(token(), media('hls/index_720p.m3u8'))}?_HLS_msn=3`, 'HEAD');

      expect(result.type).toBe('request');
      if (result.type !== 'request') return;
      expect(result.request.method).toBe('HEAD');
      expect(result.request.headers.range?.value).toBe('bytes=0-99');
      expect(result.request.querystring._HLS_msn?.value).toBe('3');
    });

    it('still passes with an older key id while that key is in the store (rotation)', async () => {
      const oldKey = randomBytes(32);
      kvs.put(edgeKeyEntry('k2029z'), oldKey.toString('base64'));

      const result = await fetchAt(edgePath(token({ kid: 'k2029z', key: oldKey }), media('hls/index.m3u8')));

      expectForwardedTo(result, `/${media('hls/index.m3u8')}`);
    });

    it('answers the health probe of the steering endpoint with 200, uncached', async () => {
      const result = await fetchAt('/_edge/health');

      expect(result.type).toBe('response');
      if (result.type !== 'response') return;
      expect(result.response.statusCode).toBe(200);
      expect(result.response.headers?.['cache-control']?.value).toBe('no-store');
    });

    it('answers a CORS preflight without looking at the token', async () => {
      const result = await fetchAt(`/t/anything/${media('hls/index.m3u8')}`, 'OPTIONS');

      expect(result.type).toBe('response');
      if (result.type !== 'response') return;
      expect(result.response.statusCode).toBe(204);
      expect(result.response.headers?.['access-control-allow-origin']?.value).toBe('*');
      expect(result.response.headers?.['access-control-allow-headers']?.value).toBe('range');
    });
  });

  describe('refusals', () => {
    it('refuses a path without a token as missing', async () => {
      expectRefused(await fetchAt(`/${media('hls/index.m3u8')}`), 'missing');
    });

    it.each([
      ['a token that is not one', `/t/not-a-token/${media('hls/index.m3u8')}`],
      [
        'a token with a field cut off',
        `/t/${token().split('.').slice(1).join('.')}/${media('hls/index.m3u8')}`,
      ],
      ['an empty token', `/t//${media('hls/index.m3u8')}`],
      ['a path that leaves the media folder', `/t/${token()}/thumbnails/x.jpg`],
      ['a path with nothing below the asset folder', `/t/${token()}/media/${TITLE}/${ASSET}/`],
      ['a percent-encoded file name', `/t/${token()}/${media('hls/index%5F1080p.m3u8')}`],
      ['a parent-folder step', `/t/${token()}/${media('hls/../../other/hls/index.m3u8')}`],
    ])('refuses %s as malformed', async (_, url) => {
      expectRefused(await fetchAt(url), 'malformed');
    });

    it('refuses methods other than GET, HEAD and OPTIONS as malformed', async () => {
      expectRefused(await fetchAt(edgePath(token(), media('hls/index.m3u8')), 'POST'), 'malformed');
    });

    it('refuses a token whose signature was changed as tampered', async () => {
      const original = token();
      const last = original.at(-1) === 'A' ? 'B' : 'A';

      expectRefused(
        await fetchAt(edgePath(`${original.slice(0, -1)}${last}`, media('hls/index.m3u8'))),
        'tampered',
      );
    });

    it('refuses a token whose max height was raised as tampered', async () => {
      const raised = token().replace('.720.', '.1080.');

      expectRefused(await fetchAt(edgePath(raised, media('hls/index_1080p.m3u8'))), 'tampered');
    });

    it('refuses a token signed with a key id the store does not know as tampered', async () => {
      expectRefused(
        await fetchAt(edgePath(token({ kid: 'k-unknown' }), media('hls/index.m3u8'))),
        'tampered',
      );
    });

    it('refuses a token whose key was retired from the store as tampered', async () => {
      kvs.delete(edgeKeyEntry(KID));

      expectRefused(await fetchAt(edgePath(token(), media('hls/index.m3u8'))), 'tampered');
    });

    it('refuses a token signed with another secret under the same key id as tampered', async () => {
      const forged = token({ key: randomBytes(32) });

      expectRefused(await fetchAt(edgePath(forged, media('hls/index.m3u8'))), 'tampered');
    });

    it('refuses a token used for another title as tampered', async () => {
      const otherTitle = `media/other-title/${ASSET}/hls/index.m3u8`;

      expectRefused(await fetchAt(edgePath(token(), otherTitle)), 'tampered');
    });

    it('refuses a token used for another asset version as tampered', async () => {
      const otherAsset = `media/${TITLE}/other-asset/hls/index.m3u8`;

      expectRefused(await fetchAt(edgePath(token(), otherAsset)), 'tampered');
    });

    it('refuses a token past its expiry as expired', async () => {
      expectRefused(
        await fetchAt(edgePath(token({ expiresAt: NOW_SEC - 1 }), media('hls/index.m3u8'))),
        'expired',
      );
    });

    it('refuses a token at the second of its expiry as expired', async () => {
      expectRefused(
        await fetchAt(edgePath(token({ expiresAt: NOW_SEC }), media('hls/index.m3u8'))),
        'expired',
      );
    });

    it.each([
      ['a segment', 'hls/index_1080p_000000001.cmfv'],
      ['a rendition playlist', 'hls/index_1080p.m3u8'],
      ['an init segment', 'hls/index_1080pinit.cmfv'],
      ['a rendition folder', 'hls/1080p/index.m3u8'],
    ])('refuses %s above the max height as height', async (_, file) => {
      expectRefused(await fetchAt(edgePath(token({ maxHeight: 720 }), media(file))), 'height');
    });

    it('refuses every request of a revoked session as revoked', async () => {
      kvs.put(edgeRevocationEntry(SESSION), edgeRevocationValue(NOW_SEC + 3600));

      expectRefused(await fetchAt(edgePath(token(), media('hls/index_360p_000000002.cmfv'))), 'revoked');
    });

    it('keeps serving other sessions when one is revoked', async () => {
      kvs.put(edgeRevocationEntry('sess-other'), edgeRevocationValue(NOW_SEC + 3600));

      expectForwardedTo(
        await fetchAt(edgePath(token(), media('hls/index.m3u8'))),
        `/${media('hls/index.m3u8')}`,
      );
    });

    it('lets a browser read the refusal: CORS and no-store on the 403', async () => {
      const result = await fetchAt(`/${media('hls/index.m3u8')}`);

      expect(result.type).toBe('response');
      if (result.type !== 'response') return;
      expect(result.response.headers?.['access-control-allow-origin']?.value).toBe('*');
      expect(result.response.headers?.['access-control-expose-headers']?.value).toContain(EDGE_REASON_HEADER);
      expect(result.response.headers?.['cache-control']?.value).toBe('no-store');
    });
  });

  describe('public artwork', () => {
    const artwork = `/artwork/${TITLE}/${ASSET}/3f9a0c1d2e4b5a6f.jpg`;

    it.each(['GET', 'HEAD'])(
      'lets a %s of a poster candidate through unchanged, without a token',
      async (method) => {
        // No signing key at all: artwork never touches the KeyValueStore.
        kvs.delete(edgeKeyEntry(KID));

        const result = await fetchAt(artwork, method);

        expectForwardedTo(result, artwork);
        if (result.type === 'request') expect(result.request.method).toBe(method);
      },
    );

    it.each([
      [
        'a parent-folder step out of artwork',
        `/artwork/${TITLE}/${ASSET}/../../../${media('hls/index.m3u8')}`,
      ],
      ['a file that is not a JPEG', `/artwork/${TITLE}/${ASSET}/index.m3u8`],
      ['a path one folder short', `/artwork/${TITLE}/3f9a0c1d2e4b5a6f.jpg`],
      ['a path one folder deep too many', `/artwork/${TITLE}/${ASSET}/x/3f9a0c1d2e4b5a6f.jpg`],
      ['a percent-encoded name', `/artwork/${TITLE}/${ASSET}/3f9a%2E.jpg`],
      ['the bare folder', '/artwork/'],
    ])('refuses %s as malformed', async (_, url) => {
      expectRefused(await fetchAt(url), 'malformed');
    });

    it('refuses methods other than GET, HEAD and OPTIONS on artwork as malformed', async () => {
      expectRefused(await fetchAt(artwork, 'PUT'), 'malformed');
    });

    it('keeps the raw captures under media/ behind the token', async () => {
      expectRefused(await fetchAt(`/${media('candidates/candidate.0000003.jpg')}`), 'missing');
    });
  });

  describe('test vector', () => {
    // Fixed key and claims; the token was computed outside this code base (Python's hmac).
    const VECTOR_KEY = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
    const VECTOR_TOKEN =
      'k2025.sess_01.title-a.asset-b.720.1893456000.jHfQlH_2ECFdgFW9rloG1AMrFyAH1-2VjSm_rX41-Yk';

    it('is what signEdgeToken produces', () => {
      const signed = signEdgeToken({
        kid: 'k2025',
        key: VECTOR_KEY,
        sessionId: 'sess_01',
        titleId: 'title-a',
        assetId: 'asset-b',
        maxHeight: 720,
        expiresAt: 1_893_456_000,
      });

      expect(signed).toBe(VECTOR_TOKEN);
    });

    it('is accepted by the function until its expiry', async () => {
      const store = new LocalKeyValueStore();
      store.put(edgeKeyEntry('k2025'), VECTOR_KEY);
      const before = loadEdgeFunction({ kvs: store, clock: () => (1_893_456_000 - 1) * 1000 });
      const after = loadEdgeFunction({ kvs: store, clock: () => 1_893_456_000 * 1000 });
      const url = edgePath(VECTOR_TOKEN, 'media/title-a/asset-b/hls/index_720p.m3u8');

      expectForwardedTo(
        await before.run(viewerRequestEvent({ url })),
        '/media/title-a/asset-b/hls/index_720p.m3u8',
      );
      expectRefused(await after.run(viewerRequestEvent({ url })), 'expired');
    });
  });
});
