/**
 * Runs a CloudFront Function source (runtime `cloudfront-js-2.0`) the way CloudFront does, for
 * the local edges and the unit tests: the file is loaded unchanged and evaluated in its own V8
 * context where only what the runtime offers exists.
 *
 * - Modules: `crypto` (Node's, which has the same `createHash`/`createHmac` API), `querystring`,
 *   `buffer`, and `cloudfront`, whose `kvs()` reads a local KeyValueStore (`get`, `exists`,
 *   `meta`, rejecting a missing key as CloudFront does).
 * - Globals: the language's built-ins, `Buffer`, and `console.log`. No `process`, no timers, no
 *   `fetch`; `eval` and `new Function` throw (code generation from strings is off).
 * - The one rewrite: CloudFront accepts `import x from 'module'` statements at the top of a
 *   function, which a classic script cannot hold, so each such line becomes
 *   `const x = require('module');` on the same line (line numbers in stack traces stay right).
 *   Any other `import` or any `export` is refused, as CloudFront refuses exports.
 *
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-javascript-runtime-20.html
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-event-structure.html
 */
import * as nodeCrypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as nodeQuerystring from 'node:querystring';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

/** The edge token function, as CloudFront deploys it. */
export const EDGE_FUNCTION_FILE = fileURLToPath(new URL('../../edge/verify-token.js', import.meta.url));

/** A header, query parameter or cookie in CloudFront's event shape. */
export interface CloudFrontValue {
  value: string;
  multiValue?: { value: string }[];
}

export interface ViewerRequest {
  method: string;
  uri: string;
  querystring: Record<string, CloudFrontValue>;
  headers: Record<string, CloudFrontValue>;
  cookies: Record<string, CloudFrontValue>;
}

/** CloudFront's viewer-request event (version 1.0). */
export interface ViewerRequestEvent {
  version: '1.0';
  context: {
    distributionDomainName: string;
    distributionId: string;
    eventType: 'viewer-request';
    requestId: string;
  };
  viewer: { ip: string };
  request: ViewerRequest;
}

/** A response the function generates instead of forwarding the request. */
export interface FunctionResponse {
  statusCode: number;
  statusDescription?: string;
  headers?: Record<string, CloudFrontValue>;
  body?: string | { data: string; encoding: 'text' | 'base64' };
}

export type FunctionResult =
  | { type: 'request'; request: ViewerRequest }
  | { type: 'response'; response: FunctionResponse };

/** What the function's `cf.kvs()` reads: `LocalKeyValueStore` satisfies it. */
export interface KeyValueReader {
  get(key: string): string | undefined;
  has(key: string): boolean;
  keys?(): string[];
}

export interface EdgeFunctionOptions {
  /** The store `cf.kvs()` answers from. */
  kvs: KeyValueReader;
  /** @default EDGE_FUNCTION_FILE */
  file?: string;
  /** Source text instead of a file (tests of the runner itself). */
  source?: string;
  /** What `Date.now()` returns inside the function, in ms. @default Date.now */
  clock?: () => number;
}

export interface EdgeFunction {
  /** Runs the handler on one event; rejects when the function throws (CloudFront answers 503). */
  run(event: ViewerRequestEvent): Promise<FunctionResult>;
}

/** Thrown for a source CloudFront would refuse, or a handler that fails or returns nonsense. */
export class EdgeFunctionError extends Error {
  override name = 'EdgeFunctionError';
}

const MODULE_IMPORT = /^\s*import\s+([A-Za-z_$][\w$]*)\s+from\s+['"]([\w-]+)['"];?[ \t]*$/gm;
const OTHER_MODULE_SYNTAX = /^\s*(import|export)\b/m;

/** Loads and compiles the function once; each `run` calls its `handler`. */
export function loadEdgeFunction(options: EdgeFunctionOptions): EdgeFunction {
  const file = options.file ?? EDGE_FUNCTION_FILE;
  const original = options.source ?? readFileSync(file, 'utf8');
  const script = original.replace(MODULE_IMPORT, (_, name: string, module: string) => {
    return `const ${name} = require(${JSON.stringify(module)});`;
  });
  if (OTHER_MODULE_SYNTAX.test(script)) {
    throw new EdgeFunctionError(
      `${file}: only "import name from 'module'" lines are allowed, and no exports.`,
    );
  }

  const modules: Record<string, unknown> = {
    crypto: nodeCrypto,
    querystring: nodeQuerystring,
    buffer: { Buffer },
    cloudfront: { kvs: () => kvsHandle(options.kvs) },
  };
  const sandbox = {
    require(name: string): unknown {
      const module = modules[name];
      if (module === undefined) throw new EdgeFunctionError(`Cannot find module '${name}'`);
      return module;
    },
    Buffer,
    console: { log: (...values: unknown[]) => console.log('[edge function]', ...values) },
  };
  const context = vm.createContext(sandbox, {
    name: 'cloudfront-js-2.0',
    codeGeneration: { strings: false, wasm: false },
  });
  const clock = options.clock;
  if (clock) (vm.runInContext('Date', context) as DateConstructor).now = () => clock();
  // Functions run in strict mode on CloudFront, without a 'use strict' line.
  vm.runInContext(`'use strict';\n${script}`, context, { filename: file, lineOffset: -1 });
  const handler = vm.runInContext('typeof handler === "function" ? handler : undefined', context) as
    | ((event: ViewerRequestEvent) => unknown)
    | undefined;
  if (!handler) throw new EdgeFunctionError(`${file} declares no function named handler.`);

  return {
    async run(event) {
      const result = (await handler(event)) as Record<string, unknown> | undefined;
      if (result && typeof result.statusCode === 'number') {
        return { type: 'response', response: result as unknown as FunctionResponse };
      }
      if (result && typeof result.uri === 'string' && typeof result.method === 'string') {
        return { type: 'request', request: result as unknown as ViewerRequest };
      }
      throw new EdgeFunctionError('The handler returned neither a request nor a response.');
    },
  };
}

/** `cf.kvs()`: the helper methods of the runtime's `cloudfront` module. */
function kvsHandle(store: KeyValueReader) {
  return {
    async get(key: string, options?: { format?: 'string' | 'json' | 'bytes' }): Promise<unknown> {
      const value = store.get(key);
      if (value === undefined) throw new Error(`Key not found: ${key}`);
      if (options?.format === 'json') return JSON.parse(value);
      if (options?.format === 'bytes') return Buffer.from(value);
      return value;
    },
    async exists(key: string): Promise<boolean> {
      return store.has(key);
    },
    async meta(): Promise<{ creationDateTime: string; lastUpdatedDateTime: string; keyCount: number }> {
      const now = new Date().toISOString();
      return { creationDateTime: now, lastUpdatedDateTime: now, keyCount: store.keys?.().length ?? 0 };
    },
  };
}

export interface ViewerRequestInput {
  /** @default 'GET' */
  method?: string;
  /** Path and optional query string, as on the request line: '/t/…/index.m3u8?x=1'. */
  url: string;
  headers?: Record<string, string | string[] | undefined>;
  /** @default '127.0.0.1' */
  ip?: string;
  /** @default 'localhost' */
  distributionDomainName?: string;
}

/**
 * Builds the viewer-request event CloudFront gives the function: lower-case header names,
 * `{ value }` objects with `multiValue` for repeated names, the query string parsed, cookies
 * taken out of the `cookie` header into `cookies`.
 */
export function viewerRequestEvent(input: ViewerRequestInput): ViewerRequestEvent {
  const queryAt = input.url.indexOf('?');
  const uri = queryAt === -1 ? input.url : input.url.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : input.url.slice(queryAt + 1));

  const querystring: Record<string, CloudFrontValue> = {};
  for (const name of new Set(query.keys())) querystring[name] = cloudFrontValue(query.getAll(name));

  const headers: Record<string, CloudFrontValue> = {};
  const cookies: Record<string, CloudFrontValue> = {};
  for (const [rawName, raw] of Object.entries(input.headers ?? {})) {
    if (raw === undefined) continue;
    const name = rawName.toLowerCase();
    const values = Array.isArray(raw) ? raw : [raw];
    if (name === 'cookie') {
      const byName = new Map<string, string[]>();
      for (const pair of values.join('; ').split(';')) {
        const at = pair.indexOf('=');
        if (at <= 0) continue;
        const cookie = pair.slice(0, at).trim();
        byName.set(cookie, [...(byName.get(cookie) ?? []), pair.slice(at + 1).trim()]);
      }
      for (const [cookie, cookieValues] of byName) cookies[cookie] = cloudFrontValue(cookieValues);
      continue;
    }
    headers[name] = cloudFrontValue(values);
  }

  return {
    version: '1.0',
    context: {
      distributionDomainName: input.distributionDomainName ?? 'localhost',
      distributionId: 'LOCAL',
      eventType: 'viewer-request',
      requestId: nodeCrypto.randomBytes(24).toString('base64url'),
    },
    viewer: { ip: input.ip ?? '127.0.0.1' },
    request: { method: input.method ?? 'GET', uri, querystring, headers, cookies },
  };
}

function cloudFrontValue(values: string[]): CloudFrontValue {
  const first = values[0] ?? '';
  return values.length > 1
    ? { value: first, multiValue: values.map((value) => ({ value })) }
    : { value: first };
}
