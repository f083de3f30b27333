/**
 * A viewer request through an edge, as CloudFront runs it: the viewer-request function first
 * (it refuses, answers, or rewrites the URI to the cache key: no token, no query string), then
 * the cache, then the origin. Without a function (the shield tier) `/media/…` and `/artwork/…`
 * are served as asked.
 *
 * - Fresh in the cache: `Hit`. Stale with an ETag: revalidated, `RefreshHit` on 304.
 * - Otherwise one origin fetch per object (request collapsing): the first viewer's `Miss`, the
 *   others' `Hit` once it is stored.
 * - Function failure: 503; unreachable origin: 502.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EdgeCache } from './edge-cache.ts';
import type { EdgeCounters } from './edge-stats.ts';
import { type EdgeFunction, viewerRequestEvent } from './function-runner.ts';
import { isCacheable, type OriginAnswer, type OriginFetch } from './origin-fetch.ts';
import type { ViewerResponses } from './viewer-responses.ts';

/** What the shield tier passes to the origin: the media bucket prefixes the edges may read. */
const SHIELDED_PREFIXES = ['/media/', '/artwork/'] as const;

export interface ViewerRequestsOptions {
  /** The edge's name, in logs. */
  name: string;
  /** The viewer-request function; `undefined` for the shield tier. */
  edgeFunction: EdgeFunction | undefined;
  cache: EdgeCache;
  origin: OriginFetch;
  responses: ViewerResponses;
  counters: EdgeCounters;
}

export class ViewerRequests {
  readonly #options: ViewerRequestsOptions;

  constructor(options: ViewerRequestsOptions) {
    this.#options = options;
  }

  /** Serves one request; `counted: false` for the health probe, which is not a viewer's. */
  async handle(req: IncomingMessage, res: ServerResponse, counted = true): Promise<void> {
    const { edgeFunction, counters, responses, name } = this.#options;
    if (counted) counters.requests += 1;
    if (!edgeFunction) {
      await this.#handleWithoutFunction(req, res);
      return;
    }
    const event = viewerRequestEvent({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      ip: req.socket.remoteAddress ?? '127.0.0.1',
      distributionDomainName: req.headers.host ?? 'localhost',
    });
    let result: Awaited<ReturnType<EdgeFunction['run']>>;
    try {
      result = await edgeFunction.run(event);
    } catch (error) {
      // CloudFront answers a failed function with 503 (FunctionExecutionError).
      counters.errors += 1;
      console.error(`[${name}] edge function failed: ${(error as Error).message}`);
      responses.functionFailed(req, res);
      return;
    }
    if (result.type === 'response') {
      responses.functionResponse(req, res, result.response);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      responses.methodNotAllowed(req, res);
      return;
    }
    await this.#serveOrFail(req, res, result.request.uri);
  }

  /** A tier without a function (the shield): origin keys straight from the cache or the origin. */
  async #handleWithoutFunction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const uri = (req.url ?? '/').split('?')[0] ?? '/';
    if (
      (req.method !== 'GET' && req.method !== 'HEAD') ||
      !SHIELDED_PREFIXES.some((p) => uri.startsWith(p))
    ) {
      this.#options.responses.error(req, res, 404);
      return;
    }
    await this.#serveOrFail(req, res, uri);
  }

  /** Serves `uri` from the cache or the origin; an unreachable origin is a 502, as on CloudFront. */
  async #serveOrFail(req: IncomingMessage, res: ServerResponse, uri: string): Promise<void> {
    try {
      await this.#serve(req, res, uri);
    } catch (error) {
      this.#options.counters.errors += 1;
      console.error(`[${this.#options.name}] origin fetch failed: ${(error as Error).message}`);
      if (!res.headersSent) this.#options.responses.error(req, res, 502);
    }
  }

  async #serve(req: IncomingMessage, res: ServerResponse, uri: string): Promise<void> {
    const { cache, origin, counters, responses } = this.#options;
    const cached = cache.get(uri);
    if (cached && cache.isFresh(cached)) {
      counters.hits += 1;
      responses.object(req, res, 200, cached.headers, cached.body, 'Hit', cache.ageSec(cached));
      return;
    }
    if (cached?.headers.etag) {
      const answer = await origin.fetch(uri, cached.headers.etag);
      if (answer.status === 304) {
        counters.hits += 1;
        const ttlMs = answer.ttlMs ?? cached.ttlMs;
        const refreshed = cache.store(uri, { headers: cached.headers, body: cached.body, ttlMs });
        responses.object(req, res, 200, refreshed.headers, refreshed.body, 'RefreshHit', 0);
        return;
      }
      this.#passOn(req, res, uri, answer);
      return;
    }
    const { answer, shared } = origin.collapsed(uri);
    const result = await answer;
    if (shared && isCacheable(result)) {
      counters.hits += 1;
      responses.object(req, res, 200, result.headers, result.body, 'Hit', 0);
      return;
    }
    if (shared) {
      // The answer the others waited for may not be reused (not a 200, or not cacheable).
      this.#passOn(req, res, uri, await origin.fetch(uri));
      return;
    }
    this.#passOn(req, res, uri, result, true);
  }

  /** An origin answer, stored when cacheable unless `collapsed` stored it already. */
  #passOn(
    req: IncomingMessage,
    res: ServerResponse,
    uri: string,
    answer: OriginAnswer,
    stored = false,
  ): void {
    const { origin, counters, responses } = this.#options;
    counters.misses += 1;
    counters.originBytes += answer.body.length;
    if (!stored) origin.storeIfCacheable(uri, answer);
    responses.object(
      req,
      res,
      answer.status,
      answer.headers,
      answer.body,
      answer.status >= 400 ? 'Error' : 'Miss',
      undefined,
    );
  }
}
