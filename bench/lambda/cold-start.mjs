/**
 * One cold start, in a fresh Node process spawned by `bench/lambda.ts`: what the Lambda Node.js
 * runtime does before and during the first invocation, timed from the process's start.
 *
 * Plain JavaScript on purpose: a `.ts` entry would make Node load its TypeScript stripper first,
 * which the Lambda runtime never does. It imports only Node built-ins.
 *
 * argv[2]: a JSON file `{ bundle, event, context, redirectHttps?, resolveLocalhost?, runtimeModules }`. The result is
 * one JSON line written to file descriptor 3 (a pipe the bench opens), so the handler's own
 * logs on stdout and stderr never mix with it.
 *
 * Phases, all from `performance.now()` (ms since the process started, Node's `timeOrigin`):
 * - `runtimeMs`: the built-ins the runtime interface client loads before it loads the handler
 *   (`runtimeModules`, chosen and documented in `bench/lambda.ts`), and the HTTP agent it
 *   creates for the Runtime API;
 * - `importMs`: `import()` of the bundle, which runs its module scope (SDK clients, env reads);
 * - `callMs`: one handler call with the event, until its promise settles.
 */
import { readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const RESULT_FD = 3;
const startedAt = performance.now();
const spec = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8'));

// 1. The runtime: it loads these with `require` (its `cjsRequire`) before the handler, and keeps a
//    keep-alive agent for the Runtime API.
const require = createRequire(import.meta.url);
for (const name of spec.runtimeModules) require(name);
new (require('node:http').Agent)({ keepAlive: true, maxSockets: 1 });
const runtimeAt = performance.now();

// Calls that bypass the SDK (jose fetching Cognito's JWKS) go to the bench's stub too. Reading
// `globalThis.fetch` does not load undici; the first call does, as it would on Lambda.
if (spec.redirectHttps) {
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol === 'https:' && url.hostname.endsWith('.amazonaws.com')) {
      return realFetch(`${spec.redirectHttps}/__https/${url.hostname}${url.pathname}${url.search}`, init);
    }
    return realFetch(input, init);
  };
}

// The stub's CloudFront KeyValueStore host carries the account id (`123456789012.kvs.localhost`):
// names under `.localhost` resolve to the stub, as the real one resolves through DNS.
if (spec.resolveLocalhost) {
  const dns = require('node:dns');
  const realLookup = dns.lookup;
  dns.lookup = (hostname, options, callback) => {
    const done = typeof options === 'function' ? options : callback;
    const opts =
      typeof options === 'function'
        ? {}
        : typeof options === 'number'
          ? { family: options }
          : (options ?? {});
    if (!String(hostname).endsWith('.localhost')) return realLookup(hostname, opts, done);
    return opts.all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4);
  };
}

// 2. The function's bundle.
let handler;
let importError;
try {
  handler = (await import(pathToFileURL(spec.bundle).href)).handler;
  if (typeof handler !== 'function') importError = 'the bundle exports no handler function';
} catch (error) {
  importError = describe(error);
}
const importedAt = performance.now();

// 3. One invocation.
let outcome;
if (importError === undefined) {
  const deadline = Date.now() + spec.context.timeoutMs;
  const context = {
    ...spec.context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    outcome = summarize(await handler(spec.event, context));
  } catch (error) {
    outcome = { kind: 'threw', error: describe(error) };
  }
} else {
  outcome = { kind: 'init-error', error: importError };
}
const calledAt = performance.now();

writeSync(
  RESULT_FD,
  `${JSON.stringify({
    totalMs: calledAt,
    bootMs: startedAt,
    runtimeMs: runtimeAt - startedAt,
    importMs: importedAt - runtimeAt,
    callMs: calledAt - importedAt,
    outcome,
  })}\n`,
);
// The SDK keeps its connections alive; the measurement is over.
process.exit(0);

function summarize(result) {
  if (result && typeof result === 'object' && typeof result.statusCode === 'number') {
    let code;
    try {
      code = JSON.parse(result.body ?? '')?.error?.code;
    } catch {
      code = undefined;
    }
    return { kind: 'http', status: result.statusCode, ...(typeof code === 'string' ? { code } : {}) };
  }
  return {
    kind: 'returned',
    keys: result && typeof result === 'object' ? Object.keys(result).slice(0, 4) : [],
  };
}

function describe(error) {
  const e = /** @type {{ name?: string, message?: string }} */ (error ?? {});
  return `${e.name ?? 'Error'}: ${String(e.message ?? error)
    .split('\n')[0]
    ?.slice(0, 300)}`;
}
