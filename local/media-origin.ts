/**
 * Serves the media bucket's `media/` and `artwork/` keys over HTTP: the origin behind the local
 * edges (the stand-in for S3 behind Origin Access Control). GET and HEAD, byte ranges, CORS,
 * cache headers: segments and artwork immutable, playlists short.
 */
import { createServer, type Server } from 'node:http';
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ARTWORK_PREFIX, MEDIA_PREFIX } from '../lambdas/contracts/storage.ts';

/** The keys the edges may read, as the edge stack's bucket policy allows CloudFront on AWS. */
const SERVED_PREFIXES = [MEDIA_PREFIX, ARTWORK_PREFIX] as const;

export function startMediaOrigin(options: { port: number; s3: S3Client; bucket: string }): Promise<Server> {
  const server = createServer(async (req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-expose-headers', 'content-length, content-range, accept-ranges');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, HEAD',
        'access-control-allow-headers': 'range',
      });
      return res.end();
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405);
      return res.end();
    }
    const key = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname.slice(1));
    if (!SERVED_PREFIXES.some((prefix) => key.startsWith(prefix)) || key.includes('..')) {
      res.writeHead(404);
      return res.end();
    }
    try {
      const range = typeof req.headers.range === 'string' ? req.headers.range : undefined;
      const command =
        req.method === 'HEAD'
          ? new HeadObjectCommand({ Bucket: options.bucket, Key: key })
          : new GetObjectCommand({ Bucket: options.bucket, Key: key, Range: range });
      const object = (await options.s3.send(command as GetObjectCommand)) as {
        Body?: Readable;
        ContentType?: string;
        ContentLength?: number;
        ContentRange?: string;
        ETag?: string;
      };
      const isPlaylist = key.endsWith('.m3u8');
      const cacheControl = isPlaylist ? 'public, max-age=2' : 'public, max-age=31536000, immutable';
      // A revalidation (an edge's stale copy) of an unchanged object: 304, no body, as S3 answers.
      if (object.ETag && req.headers['if-none-match'] === object.ETag && !range) {
        object.Body?.destroy();
        res.writeHead(304, { etag: object.ETag, 'cache-control': cacheControl });
        return res.end();
      }
      res.writeHead(range && object.ContentRange ? 206 : 200, {
        'content-type': object.ContentType ?? 'application/octet-stream',
        'accept-ranges': 'bytes',
        'cache-control': cacheControl,
        ...(object.ContentLength !== undefined ? { 'content-length': String(object.ContentLength) } : {}),
        ...(object.ContentRange ? { 'content-range': object.ContentRange } : {}),
        ...(object.ETag ? { etag: object.ETag } : {}),
      });
      if (req.method === 'HEAD' || !object.Body) return res.end();
      object.Body.pipe(res);
    } catch (error) {
      const name = (error as { name?: string }).name;
      res.writeHead(name === 'NoSuchKey' || name === 'NotFound' ? 404 : name === 'InvalidRange' ? 416 : 502);
      res.end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve(server));
  });
}
