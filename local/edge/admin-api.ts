/**
 * The local-only endpoints of an edge, outside the function (CloudFront has no such thing; the
 * platform, the benchmarks and the tests use them): `GET /_edge/stats`, `GET /_edge/health` (on
 * a tier without a function), `POST /_edge/reset`, `POST /_edge/warm` with `{ "uris": ["/media/…"] }`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EdgeStats } from './edge-stats.ts';
import type { WarmReport } from './prepositioning.ts';
import { CORS_HEADERS } from './viewer-responses.ts';

export interface AdminApiOptions {
  /** The edge's name, in every answer. */
  name: string;
  stats(): EdgeStats;
  /** Empties the cache and zeroes the counters. */
  reset(): void;
  warm(uris: readonly string[]): Promise<WarmReport>;
}

/** Answers one request under `/_edge/`. */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  edge: AdminApiOptions,
): Promise<void> {
  const json = (status: number, value: unknown) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      ...CORS_HEADERS,
    });
    res.end(JSON.stringify(value));
  };
  if (req.method === 'GET' && path === '/_edge/stats') return json(200, { name: edge.name, ...edge.stats() });
  if (req.method === 'GET' && path === '/_edge/health') return json(200, { name: edge.name, status: 'ok' });
  if (req.method === 'POST' && path === '/_edge/reset') {
    edge.reset();
    return json(200, { name: edge.name, ...edge.stats() });
  }
  if (req.method === 'POST' && path === '/_edge/warm') {
    const invalid = (message: string) => json(400, { error: { code: 'INVALID_REQUEST', message } });
    const text = await readBody(req, MAX_WARM_BODY_BYTES);
    if (text === undefined)
      return json(413, { error: { code: 'PAYLOAD_TOO_LARGE', message: 'Body too large.' } });
    let body: { uris?: unknown } | null;
    try {
      body = JSON.parse(text || '{}') as { uris?: unknown } | null;
    } catch {
      return invalid('The body is not JSON.');
    }
    const uris = body?.uris;
    if (!Array.isArray(uris) || !uris.every((uri) => typeof uri === 'string' && uri.startsWith('/'))) {
      return invalid('Expected { "uris": ["/media/…", …] }.');
    }
    return json(200, await edge.warm(uris as string[]));
  }
  json(404, { error: { code: 'NOT_FOUND', message: `No edge endpoint ${req.method} ${path}.` } });
}

/** A warm list of a whole library's openings fits easily; anything larger is refused. */
const MAX_WARM_BODY_BYTES = 16 * 1024 * 1024;

/** The body as text, or `undefined` once it passes `limit` bytes (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
