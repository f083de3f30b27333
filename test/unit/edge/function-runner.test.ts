/**
 * The local stand-in for CloudFront's function runtime, and the guard rails that keep
 * `edge/verify-token.js` inside what `cloudfront-js-2.0` accepts.
 */
import { readFileSync } from 'node:fs';
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  EDGE_FUNCTION_FILE,
  EdgeFunctionError,
  loadEdgeFunction,
  viewerRequestEvent,
} from '#local/edge/function-runner.ts';
import { LocalKeyValueStore } from '#local/edge/key-value-store.ts';

const SOURCE = readFileSync(EDGE_FUNCTION_FILE, 'utf8');
/** Without comments, so that prose cannot hide or fake a construct. */
const CODE = SOURCE.replace(/\/\/.*$/gm, '');

function runSource(source: string, kvs = new LocalKeyValueStore()) {
  return loadEdgeFunction({ kvs, source }).run(viewerRequestEvent({ url: '/media/t/a/hls/index.m3u8' }));
}

describe('edge/verify-token.js stays within cloudfront-js-2.0', () => {
  it('fits in the 10 KB a CloudFront Function may have', () => {
    expect(Buffer.byteLength(SOURCE)).toBeLessThanOrEqual(10 * 1024);
  });

  it.each([
    ['module.exports', /\bmodule\.exports\b/],
    ['exports.x', /\bexports\./],
    ['an export statement', /^\s*export\b/m],
    ['eval', /\beval\s*\(/],
    ['the Function constructor', /\bnew\s+Function\b|\bFunction\s*\(/],
    ['timers', /\b(setTimeout|setInterval|setImmediate|clearTimeout|clearInterval)\b/],
    ['process', /\bprocess\./],
    ['network calls', /\b(fetch|XMLHttpRequest)\b/],
    ['async closures (async arrows)', /\basync\s*\(|\basync\s+[A-Za-z_$][\w$]*\s*=>/],
    ['classes', /^\s*class\s/m],
    ['spread or rest syntax', /\.\.\./],
  ])('does not use %s', (_, construct) => {
    expect(CODE).not.toMatch(construct);
  });

  it('loads only the modules the runtime provides', () => {
    const modules = [...CODE.matchAll(/(?:from\s+|require\()\s*['"]([^'"]+)['"]/g)].map((match) => match[1]);

    expect(modules.sort()).toEqual(['cloudfront', 'crypto']);
  });

  it('binds the KeyValueStore associated with the function, by no hard-coded id', () => {
    expect(CODE).toMatch(/cf\.kvs\(\)/);
  });

  it('uses no syntax beyond the runtime 2.0 list (nothing esbuild would have to lower)', async () => {
    // esbuild rewrites, or refuses, every construct marked unsupported; identical output
    // means the source uses none of them.
    const unsupported = {
      'for-of': false,
      destructuring: false,
      'object-rest-spread': false,
      'optional-chain': false,
      'nullish-coalescing': false,
      'logical-assignment': false,
      'default-argument': false,
      class: false,
      generator: false,
      'async-generator': false,
      'for-await': false,
      'optional-catch-binding': false,
      bigint: false,
      'top-level-await': false,
      'regexp-lookbehind-assertions': false,
      'regexp-sticky-and-unicode-flags': false,
    };
    const plain = await transform(SOURCE, { format: 'esm', loader: 'js' });
    const restricted = await transform(SOURCE, { format: 'esm', loader: 'js', supported: unsupported });

    expect(restricted.code).toBe(plain.code);
  });
});

describe('local function runner', () => {
  it('refuses a source that exports its handler, as CloudFront does', () => {
    expect(() =>
      loadEdgeFunction({ kvs: new LocalKeyValueStore(), source: 'export function handler(e) {}' }),
    ).toThrow(EdgeFunctionError);
  });

  it('refuses a source that assigns module.exports (there is no module)', () => {
    const source = 'function handler(event) { return event.request; }\nmodule.exports = { handler };';

    expect(() => loadEdgeFunction({ kvs: new LocalKeyValueStore(), source })).toThrow(
      /module is not defined/,
    );
  });

  it('refuses a source without a handler', () => {
    expect(() => loadEdgeFunction({ kvs: new LocalKeyValueStore(), source: 'var x = 1;' })).toThrow(
      /handler/,
    );
  });

  it('makes eval throw, as the runtime forbids dynamic code evaluation', async () => {
    await expect(runSource("function handler(event) { return eval('event.request'); }")).rejects.toThrow(
      /Code generation from strings disallowed/,
    );
  });

  it('offers no timers, no process and no require beyond the runtime modules', async () => {
    const source = `function handler(event) {
      event.request.headers['x-probe'] = { value: [typeof setTimeout, typeof process, typeof fetch].join(',') };
      return event.request;
    }`;

    const result = await runSource(source);

    expect(result.type === 'request' && result.request.headers['x-probe']?.value).toBe(
      'undefined,undefined,undefined',
    );
    expect(() =>
      loadEdgeFunction({
        kvs: new LocalKeyValueStore(),
        source: "import fs from 'fs';\nfunction handler(e) {}",
      }),
    ).toThrow(/Cannot find module 'fs'/);
  });

  it('runs in strict mode without a use strict line', async () => {
    await expect(
      runSource('function handler(event) { undeclared = 1; return event.request; }'),
    ).rejects.toThrow(/undeclared is not defined/);
  });

  it('gives cf.kvs() a get that rejects a missing key and an exists that answers false', async () => {
    const kvs = new LocalKeyValueStore();
    kvs.put('present', 'yes');
    const source = `import cf from 'cloudfront';
      const kvs = cf.kvs();
      async function handler(event) {
        let missing = 'resolved';
        try { await kvs.get('absent'); } catch (e) { missing = 'rejected'; }
        const value = await kvs.get('present');
        const exists = await kvs.exists('absent');
        event.request.headers['x-probe'] = { value: [missing, value, exists].join(',') };
        return event.request;
      }`;

    const result = await runSource(source, kvs);

    expect(result.type === 'request' && result.request.headers['x-probe']?.value).toBe('rejected,yes,false');
  });

  it('fails a run whose handler returns neither a request nor a response', async () => {
    await expect(runSource('function handler(event) { return 42; }')).rejects.toThrow(EdgeFunctionError);
  });
});

describe('viewerRequestEvent', () => {
  it('builds the CloudFront viewer-request shape from an HTTP request', () => {
    const event = viewerRequestEvent({
      method: 'GET',
      url: '/t/abc/media/t/a/hls/index.m3u8?x=1&y=2&y=3',
      headers: { Host: 'edge-a.local', 'X-Forwarded-For': ['1.1.1.1', '2.2.2.2'], cookie: 'a=1; b=2' },
      ip: '203.0.113.9',
    });

    expect(event.version).toBe('1.0');
    expect(event.context.eventType).toBe('viewer-request');
    expect(event.viewer).toEqual({ ip: '203.0.113.9' });
    expect(event.request.uri).toBe('/t/abc/media/t/a/hls/index.m3u8');
    expect(event.request.querystring).toEqual({
      x: { value: '1' },
      y: { value: '2', multiValue: [{ value: '2' }, { value: '3' }] },
    });
    expect(event.request.headers.host).toEqual({ value: 'edge-a.local' });
    expect(event.request.headers['x-forwarded-for']?.multiValue).toEqual([
      { value: '1.1.1.1' },
      { value: '2.2.2.2' },
    ]);
    expect(event.request.headers.cookie).toBeUndefined();
    expect(event.request.cookies).toEqual({ a: { value: '1' }, b: { value: '2' } });
  });
});
