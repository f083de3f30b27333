/**
 * Local edges in front of a tiny origin (an HTTP server with the Cache-Control we choose): the
 * token function on every request, the cache, Range from the cached object, counters,
 * prepositioning, and two edges that know nothing of each other.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  edgeKeyEntry,
  edgePath,
  edgeRevocationEntry,
  edgeRevocationValue,
  signEdgeToken,
} from '#contracts/edge.ts';
import { type LocalEdge, startEdge } from '#local/edge/edge-server.ts';
import { LocalKeyValueStore } from '#local/edge/key-value-store.ts';

const KID = 'k1';
const KEY = randomBytes(32);
const SESSION = 'session-1';
const ASSET_DIR = '/media/title-1/asset-1/hls';

interface OriginFile {
  body: Buffer;
  cacheControl?: string;
  etag?: string;
}

const FILES: Record<string, OriginFile> = {
  [`${ASSET_DIR}/index_720p.m3u8`]: {
    body: Buffer.from('#EXTM3U\n#EXT-X-VERSION:7\n'),
    cacheControl: 'public, max-age=2',
    etag: '"p1"',
  },
  [`${ASSET_DIR}/index_720p_000000001.cmfv`]: {
    body: randomBytes(4000),
    cacheControl: 'public, max-age=31536000, immutable',
  },
  [`${ASSET_DIR}/index_720p_000000002.cmfv`]: {
    body: randomBytes(3000),
    cacheControl: 'public, max-age=31536000, immutable',
  },
  [`${ASSET_DIR}/index_360p_000000001.cmfv`]: {
    body: randomBytes(2000),
    cacheControl: 'public, max-age=31536000, immutable',
  },
  [`${ASSET_DIR}/index_audio_000000001.cmfa`]: { body: randomBytes(1000), cacheControl: 'no-store' },
};

interface OriginRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

let origin: { url: string; server: Server; requests: OriginRequest[]; delayMs: number };
let kvs: LocalKeyValueStore;
let nowMs: number;
const edges: LocalEdge[] = [];

beforeAll(async () => {
  const requests: OriginRequest[] = [];
  const state = { delayMs: 0 };
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, headers: req.headers });
    const file = FILES[path];
    setTimeout(() => {
      if (!file) {
        res.writeHead(404, { 'content-type': 'application/xml' });
        res.end('<Error><Code>NoSuchKey</Code></Error>');
        return;
      }
      if (file.etag && req.headers['if-none-match'] === file.etag) {
        res.writeHead(304, {
          etag: file.etag,
          ...(file.cacheControl ? { 'cache-control': file.cacheControl } : {}),
        });
        res.end();
        return;
      }
      res.writeHead(200, {
        'content-type': path.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp4',
        'content-length': String(file.body.length),
        ...(file.cacheControl ? { 'cache-control': file.cacheControl } : {}),
        ...(file.etag ? { etag: file.etag } : {}),
      });
      res.end(file.body);
    }, state.delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    requests,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
  };
});

afterAll(async () => {
  origin.server.closeAllConnections();
  await new Promise((resolve) => origin.server.close(resolve));
});

beforeEach(() => {
  origin.requests.length = 0;
  origin.delayMs = 0;
  nowMs = Date.UTC(2030, 0, 1);
  kvs = new LocalKeyValueStore();
  kvs.put(edgeKeyEntry(KID), KEY.toString('base64'));
});

afterEach(async () => {
  await Promise.all(edges.splice(0).map((edge) => edge.stop()));
});

async function edgeNamed(name: string, options: { cacheBytes?: number } = {}): Promise<LocalEdge> {
  const edge = await startEdge({ name, port: 0, originUrl: origin.url, kvs, clock: () => nowMs, ...options });
  edges.push(edge);
  return edge;
}

function tokenPath(file: string): string {
  const token = signEdgeToken({
    kid: KID,
    key: KEY,
    sessionId: SESSION,
    titleId: 'title-1',
    assetId: 'asset-1',
    maxHeight: 720,
    expiresAt: nowMs / 1000 + 3600,
  });
  return edgePath(token, `${ASSET_DIR}/${file}`);
}

async function get(edge: LocalEdge, path: string, headers: Record<string, string> = {}, method = 'GET') {
  const response = await fetch(`${edge.url}${path}`, { method, headers });
  return { response, body: Buffer.from(await response.arrayBuffer()) };
}

const originHits = (file: string) => origin.requests.filter((r) => r.path === `${ASSET_DIR}/${file}`).length;

describe('local edge', () => {
  it('misses, then serves the same object from its cache', async () => {
    const edge = await edgeNamed('edge-a');
    const file = FILES[`${ASSET_DIR}/index_720p_000000001.cmfv`];

    const first = await get(edge, tokenPath('index_720p_000000001.cmfv'));
    nowMs += 5000;
    const second = await get(edge, tokenPath('index_720p_000000001.cmfv'));

    expect(first.response.status).toBe(200);
    expect(first.response.headers.get('x-cache')).toBe('Miss from edge-a');
    expect(second.response.headers.get('x-cache')).toBe('Hit from edge-a');
    expect(second.response.headers.get('age')).toBe('5');
    expect(second.body.equals(file?.body ?? Buffer.alloc(0))).toBe(true);
    expect(originHits('index_720p_000000001.cmfv')).toBe(1);
  });

  it('counts requests, hits, misses, origin bytes and served bytes', async () => {
    const edge = await edgeNamed('edge-a');

    await get(edge, tokenPath('index_720p_000000001.cmfv'));
    await get(edge, tokenPath('index_720p_000000001.cmfv'));
    await get(edge, tokenPath('index_720p_000000001.cmfv'), { range: 'bytes=0-99' });
    await get(edge, `${ASSET_DIR}/index_720p_000000001.cmfv`);

    expect(edge.stats).toMatchObject({
      requests: 4,
      hits: 2,
      misses: 1,
      forbidden: 1,
      originBytes: 4000,
      servedBytes: 4000 + 4000 + 100,
      cachedObjects: 1,
      cachedBytes: 4000,
    });
    const exposed = await (await fetch(`${edge.url}/_edge/stats`)).json();
    expect(exposed).toMatchObject({ name: 'edge-a', requests: 4, hits: 2, misses: 1, originBytes: 4000 });
  });

  it('answers a Range request with 206 from the whole object it fetched and cached', async () => {
    const edge = await edgeNamed('edge-a');
    const body = FILES[`${ASSET_DIR}/index_720p_000000002.cmfv`]?.body ?? Buffer.alloc(0);

    const cold = await get(edge, tokenPath('index_720p_000000002.cmfv'), { range: 'bytes=100-199' });
    const warm = await get(edge, tokenPath('index_720p_000000002.cmfv'), { range: 'bytes=-10' });

    expect(cold.response.status).toBe(206);
    expect(cold.response.headers.get('content-range')).toBe('bytes 100-199/3000');
    expect(cold.response.headers.get('x-cache')).toBe('Miss from edge-a');
    expect(cold.body.equals(body.subarray(100, 200))).toBe(true);
    expect(warm.response.status).toBe(206);
    expect(warm.response.headers.get('content-range')).toBe('bytes 2990-2999/3000');
    expect(warm.response.headers.get('x-cache')).toBe('Hit from edge-a');
    expect(warm.body.equals(body.subarray(2990))).toBe(true);
    expect(origin.requests.map((r) => r.headers.range)).toEqual([undefined]);
    expect(edge.stats.originBytes).toBe(3000);
  });

  it('answers 416 for a range past the end', async () => {
    const edge = await edgeNamed('edge-a');

    const { response } = await get(edge, tokenPath('index_360p_000000001.cmfv'), { range: 'bytes=5000-' });

    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe('bytes */2000');
  });

  it('never stores an object the origin marks no-store', async () => {
    const edge = await edgeNamed('edge-a');

    const first = await get(edge, tokenPath('index_audio_000000001.cmfa'));
    const second = await get(edge, tokenPath('index_audio_000000001.cmfa'));

    expect(first.response.headers.get('x-cache')).toBe('Miss from edge-a');
    expect(second.response.headers.get('x-cache')).toBe('Miss from edge-a');
    expect(originHits('index_audio_000000001.cmfa')).toBe(2);
    expect(edge.stats.cachedObjects).toBe(0);
  });

  it('keeps a playlist for its max-age, then revalidates it with its ETag', async () => {
    const edge = await edgeNamed('edge-a');

    await get(edge, tokenPath('index_720p.m3u8'));
    nowMs += 1000;
    const fresh = await get(edge, tokenPath('index_720p.m3u8'));
    nowMs += 2000;
    const stale = await get(edge, tokenPath('index_720p.m3u8'));

    expect(fresh.response.headers.get('x-cache')).toBe('Hit from edge-a');
    expect(stale.response.headers.get('x-cache')).toBe('RefreshHit from edge-a');
    expect(stale.body.toString()).toBe('#EXTM3U\n#EXT-X-VERSION:7\n');
    expect(origin.requests.map((r) => r.headers['if-none-match'])).toEqual([undefined, '"p1"']);
  });

  it('fetches an object once for simultaneous misses', async () => {
    const edge = await edgeNamed('edge-a');
    origin.delayMs = 100;

    const answers = await Promise.all(
      Array.from({ length: 5 }, () => get(edge, tokenPath('index_360p_000000001.cmfv'))),
    );

    expect(answers.every((a) => a.response.status === 200 && a.body.length === 2000)).toBe(true);
    expect(originHits('index_360p_000000001.cmfv')).toBe(1);
    expect(edge.stats).toMatchObject({ hits: 4, misses: 1, originBytes: 2000 });
  });

  it('passes an origin 404 on without caching it', async () => {
    const edge = await edgeNamed('edge-a');

    const first = await get(edge, tokenPath('index_720p_000000099.cmfv'));
    const second = await get(edge, tokenPath('index_720p_000000099.cmfv'));

    expect(first.response.status).toBe(404);
    expect(first.response.headers.get('x-cache')).toBe('Error from edge-a');
    expect(second.response.status).toBe(404);
    expect(originHits('index_720p_000000099.cmfv')).toBe(2);
  });

  it('refuses without a token before the cache or the origin is involved, with CORS', async () => {
    const edge = await edgeNamed('edge-a');
    await edge.warm([`${ASSET_DIR}/index_720p_000000001.cmfv`]);
    origin.requests.length = 0;

    const { response } = await get(edge, `${ASSET_DIR}/index_720p_000000001.cmfv`);

    expect(response.status).toBe(403);
    expect(response.headers.get('x-edge-reason')).toBe('missing');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(origin.requests).toEqual([]);
  });

  it('refuses a revoked session even for objects it holds in cache', async () => {
    const edge = await edgeNamed('edge-a');
    await get(edge, tokenPath('index_720p_000000001.cmfv'));

    kvs.put(edgeRevocationEntry(SESSION), edgeRevocationValue(Math.floor(Date.now() / 1000) + 3600));
    const { response } = await get(edge, tokenPath('index_720p_000000001.cmfv'));

    expect(response.status).toBe(403);
    expect(response.headers.get('x-edge-reason')).toBe('revoked');
  });

  it('answers HEAD with the headers of the object and no body', async () => {
    const edge = await edgeNamed('edge-a');

    const { response, body } = await get(edge, tokenPath('index_720p_000000001.cmfv'), {}, 'HEAD');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('4000');
    expect(body.length).toBe(0);
  });

  it('evicts the least recently used objects past its byte budget', async () => {
    const edge = await edgeNamed('edge-a', { cacheBytes: 5000 });

    await get(edge, tokenPath('index_720p_000000001.cmfv'));
    await get(edge, tokenPath('index_720p_000000002.cmfv'));
    const again = await get(edge, tokenPath('index_720p_000000001.cmfv'));

    expect(again.response.headers.get('x-cache')).toBe('Miss from edge-a');
    expect(edge.stats.cachedBytes).toBeLessThanOrEqual(5000);
  });

  it('lets the function answer the health probe, without counting it as a viewer request', async () => {
    const edge = await edgeNamed('edge-a');

    const { response } = await get(edge, '/_edge/health');

    expect(response.status).toBe(200);
    expect(response.headers.get('x-cache')).toBe('FunctionGeneratedResponse from edge-a');
    expect(edge.stats.requests).toBe(0);
  });

  describe('prepositioning', () => {
    it('warm() fills the cache without a token and reports what it filled', async () => {
      const edge = await edgeNamed('edge-a');

      const report = await edge.warm([
        `${ASSET_DIR}/index_720p_000000001.cmfv`,
        'media/title-1/asset-1/hls/index_720p_000000002.cmfv',
        `${ASSET_DIR}/index_audio_000000001.cmfa`,
        `${ASSET_DIR}/index_720p_000000099.cmfv`,
      ]);
      const played = await get(edge, tokenPath('index_720p_000000002.cmfv'));

      expect(report).toEqual({
        filled: 2,
        bytes: 7000,
        alreadyCached: 0,
        failed: expect.arrayContaining([
          { uri: `${ASSET_DIR}/index_audio_000000001.cmfa`, status: 200 },
          { uri: `${ASSET_DIR}/index_720p_000000099.cmfv`, status: 404 },
        ]),
      });
      expect(played.response.headers.get('x-cache')).toBe('Hit from edge-a');
      expect(edge.stats).toMatchObject({ warmedBytes: 7000, originBytes: 0, hits: 1, misses: 0 });
    });

    it('reports objects already in the cache instead of fetching them again', async () => {
      const edge = await edgeNamed('edge-a');
      await get(edge, tokenPath('index_720p_000000001.cmfv'));

      const report = await edge.warm([`${ASSET_DIR}/index_720p_000000001.cmfv`]);

      expect(report).toEqual({ filled: 0, bytes: 0, alreadyCached: 1, failed: [] });
      expect(originHits('index_720p_000000001.cmfv')).toBe(1);
    });

    it('is also reachable as POST /_edge/warm', async () => {
      const edge = await edgeNamed('edge-a');

      const response = await fetch(`${edge.url}/_edge/warm`, {
        method: 'POST',
        body: JSON.stringify({ uris: [`${ASSET_DIR}/index_360p_000000001.cmfv`] }),
      });

      expect(await response.json()).toEqual({ filled: 1, bytes: 2000, alreadyCached: 0, failed: [] });
      expect(edge.stats.cachedObjects).toBe(1);
    });

    it('answers a POST /_edge/warm it cannot read with 400, and keeps serving', async () => {
      const edge = await edgeNamed('edge-a');

      for (const body of ['{"uris": [', 'null', '"text"', '{"uris": [1, 2]}', '{"uris": ["no-slash"]}']) {
        const response = await fetch(`${edge.url}/_edge/warm`, { method: 'POST', body });
        expect(response.status, body).toBe(400);
        expect((await response.json()) as unknown, body).toMatchObject({
          error: { code: 'INVALID_REQUEST' },
        });
      }
      expect((await fetch(`${edge.url}/_edge/health`)).status).toBe(200);
    });
  });

  describe('two edges', () => {
    it('keep their own caches and counters', async () => {
      const a = await edgeNamed('edge-a');
      const b = await edgeNamed('edge-b');
      await a.warm([`${ASSET_DIR}/index_720p_000000001.cmfv`]);

      const fromA = await get(a, tokenPath('index_720p_000000001.cmfv'));
      const fromB = await get(b, tokenPath('index_720p_000000001.cmfv'));

      expect(fromA.response.headers.get('x-cache')).toBe('Hit from edge-a');
      expect(fromB.response.headers.get('x-cache')).toBe('Miss from edge-b');
      expect(a.stats).toMatchObject({ requests: 1, hits: 1, misses: 0 });
      expect(b.stats).toMatchObject({ requests: 1, hits: 0, misses: 1, originBytes: 4000 });
    });

    it('keep serving on one when the other stops', async () => {
      const a = await edgeNamed('edge-a');
      const b = await edgeNamed('edge-b');
      await get(a, tokenPath('index_720p_000000001.cmfv'));

      await a.stop();
      const fromB = await get(b, tokenPath('index_720p_000000001.cmfv'));

      await expect(fetch(`${a.url}/_edge/health`)).rejects.toThrow();
      expect(fromB.response.status).toBe(200);
    });
  });
});
