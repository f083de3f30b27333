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
    const body = JSON.parse((await readBody(req)) || '{}') as { uris?: unknown };
    if (!Array.isArray(body.uris) || !body.uris.every((uri) => typeof uri === 'string')) {
      return json(400, { error: { code: 'INVALID_REQUEST', message: 'Expected { "uris": string[] }.' } });
    }
    return json(200, await edge.warm(body.uris as string[]));
  }
  json(404, { error: { code: 'NOT_FOUND', message: `No edge endpoint ${req.method} ${path}.` } });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
