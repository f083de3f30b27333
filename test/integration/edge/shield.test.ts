/**
 * The shield tier (the local stand-in for CloudFront's Origin Shield): two edges that fill from
 * one shared cache, so the origin sees one request per object whichever edge a viewer uses.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeKeyEntry, edgePath, signEdgeToken } from '#contracts/edge.ts';
import { type LocalEdge, startEdge } from '#local/edge/edge-server.ts';
import { LocalKeyValueStore } from '#local/edge/key-value-store.ts';

const KEY = randomBytes(32);
const SEGMENT = '/media/title-1/asset-1/hls/index_720p_000000001.cmfv';
const BODY = randomBytes(5000);

let origin: Server;
const originRequests: string[] = [];
let shield: LocalEdge;
let edgeA: LocalEdge;
let edgeB: LocalEdge;

beforeAll(async () => {
  origin = createServer((req, res) => {
    originRequests.push(req.url ?? '/');
    if (req.url !== SEGMENT) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'video/mp4',
      'cache-control': 'public, max-age=31536000, immutable',
    });
    res.end(BODY);
  });
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  const originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
  const kvs = new LocalKeyValueStore({ name: 'shield-test' });
  kvs.put(edgeKeyEntry('k1'), KEY.toString('base64'));
  shield = await startEdge({ name: 'shield', port: 0, originUrl, viewerFunction: false });
  edgeA = await startEdge({ name: 'edge-a', port: 0, originUrl: shield.url, kvs });
  edgeB = await startEdge({ name: 'edge-b', port: 0, originUrl: shield.url, kvs });
});

afterAll(async () => {
  for (const tier of [edgeA, edgeB, shield]) await tier?.stop();
  origin.closeAllConnections();
  await new Promise((resolve) => origin.close(resolve));
});

const token = () =>
  signEdgeToken({
    kid: 'k1',
    sessionId: 's1',
    titleId: 'title-1',
    assetId: 'asset-1',
    maxHeight: 1080,
    expiresAt: Math.floor(Date.now() / 1000) + 600,
    key: KEY,
  });

describe('the shield tier', () => {
  it('fetches an object from the origin once for both edges', async () => {
    const viaA = await fetch(`${edgeA.url}${edgePath(token(), SEGMENT)}`);
    const viaB = await fetch(`${edgeB.url}${edgePath(token(), SEGMENT)}`);

    expect(Buffer.from(await viaA.arrayBuffer()).equals(BODY)).toBe(true);
    expect(Buffer.from(await viaB.arrayBuffer()).equals(BODY)).toBe(true);
    expect(viaA.headers.get('x-cache')).toBe('Miss from edge-a');
    expect(viaB.headers.get('x-cache')).toBe('Miss from edge-b');
    expect(originRequests).toEqual([SEGMENT]);
    expect(shield.stats).toMatchObject({ requests: 2, misses: 1, hits: 1, originBytes: BODY.length });
    expect(edgeA.stats.originBytes + edgeB.stats.originBytes).toBe(2 * BODY.length);
  });

  it('serves /media/ as asked, without a token, and nothing else', async () => {
    const direct = await fetch(`${shield.url}${SEGMENT}`);
    expect(direct.status).toBe(200);
    expect(direct.headers.get('x-cache')).toBe('Hit from shield');
    await direct.arrayBuffer();

    const other = await fetch(`${shield.url}/t/whatever${SEGMENT}`);
    expect(other.status).toBe(404);
    await other.arrayBuffer();
  });

  it('still needs a valid token at the edges in front of it', async () => {
    const forged = await fetch(
      `${edgeA.url}/t/k1.s1.title-1.asset-1.1080.9999999999.${'A'.repeat(43)}${SEGMENT}`,
    );
    expect(forged.status).toBe(403);
    await forged.arrayBuffer();
  });
});
