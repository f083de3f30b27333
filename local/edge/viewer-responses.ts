/**
 * What an edge writes back to a viewer, as CloudFront does: `x-cache: Hit|RefreshHit|Miss|Error
 * from <edge>`, `via`, `age`, CORS on every answer, a Range served from the whole object (206 /
 * 416), no body for HEAD. Counts the body bytes sent.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EdgeCounters } from './edge-stats.ts';
import type { FunctionResponse } from './function-runner.ts';
import { parseRange } from './ranges.ts';

export const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers':
    'content-length, content-range, accept-ranges, age, x-cache, x-edge-reason',
} as const;

export type CacheOutcome = 'Hit' | 'RefreshHit' | 'Miss' | 'Error';

export interface ViewerResponsesOptions {
  /** The edge's name, in `x-cache` and `via`. */
  name: string;
  counters: EdgeCounters;
}

export class ViewerResponses {
  readonly #name: string;
  readonly #via: string;
  readonly #counters: EdgeCounters;

  constructor(options: ViewerResponsesOptions) {
    this.#name = options.name;
    this.#via = `1.1 ${options.name} (showrunner local edge)`;
    this.#counters = options.counters;
  }

  /** An object, or an origin answer passed on; a 200 honours the viewer's Range. */
  object(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: Buffer,
    outcome: CacheOutcome,
    ageSec: number | undefined,
  ): void {
    const common: Record<string, string> = {
      ...headers,
      ...CORS_HEADERS,
      'x-cache': `${outcome} from ${this.#name}`,
      via: this.#via,
      ...(ageSec !== undefined ? { age: String(ageSec) } : {}),
    };
    if (status !== 200) {
      this.#write(req, res, status, common, body);
      return;
    }
    common['accept-ranges'] = 'bytes';
    const range = parseRange(req.headers.range, body.length);
    if (range === 'unsatisfiable') {
      this.#write(req, res, 416, { ...common, 'content-range': `bytes */${body.length}` }, Buffer.alloc(0));
      return;
    }
    if (range) {
      const part = body.subarray(range.start, range.end + 1);
      const contentRange = `bytes ${range.start}-${range.end}/${body.length}`;
      this.#write(req, res, 206, { ...common, 'content-range': contentRange }, part);
      return;
    }
    this.#write(req, res, 200, common, body);
  }

  /** The answer the edge function generated (403, the health probe …). */
  functionResponse(req: IncomingMessage, res: ServerResponse, response: FunctionResponse): void {
    if (response.statusCode === 403) this.#counters.forbidden += 1;
    const headers: Record<string, string> = {
      'x-cache': `FunctionGeneratedResponse from ${this.#name}`,
      via: this.#via,
    };
    for (const [name, header] of Object.entries(response.headers ?? {})) headers[name] = header.value;
    const body =
      response.body === undefined
        ? Buffer.alloc(0)
        : typeof response.body === 'string'
          ? Buffer.from(response.body)
          : Buffer.from(response.body.data, response.body.encoding === 'base64' ? 'base64' : 'utf8');
    res.statusMessage = response.statusDescription ?? '';
    this.#write(req, res, response.statusCode, headers, body);
  }

  /** CloudFront's answer to a function that failed (FunctionExecutionError). */
  functionFailed(req: IncomingMessage, res: ServerResponse): void {
    const headers = {
      ...CORS_HEADERS,
      'x-cache': `FunctionExecutionError from ${this.#name}`,
      via: this.#via,
    };
    this.#write(req, res, 503, headers, Buffer.alloc(0));
  }

  /** A method the edge does not serve. */
  methodNotAllowed(req: IncomingMessage, res: ServerResponse): void {
    const headers = { ...CORS_HEADERS, allow: 'GET, HEAD, OPTIONS', via: this.#via };
    this.#write(req, res, 405, headers, Buffer.alloc(0));
  }

  /** An error of the edge itself (404 off `/media/` on the shield, 502 for an unreachable origin). */
  error(req: IncomingMessage, res: ServerResponse, status: number): void {
    const headers = { ...CORS_HEADERS, 'x-cache': `Error from ${this.#name}`, via: this.#via };
    this.#write(req, res, status, headers, Buffer.alloc(0));
  }

  #write(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: Buffer,
  ): void {
    res.writeHead(status, { ...headers, 'content-length': String(body.length) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    this.#counters.servedBytes += body.length;
    res.end(body);
  }
}
