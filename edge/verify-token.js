import cf from 'cloudfront';
// biome-ignore lint/style/useNodejsImportProtocol: CloudFront's runtime names the module 'crypto'.
import crypto from 'crypto';

// Edge token check: CloudFront Function, runtime cloudfront-js-2.0, viewer request.
// CloudFront runs this file as is, and so do the local edges (local/edge/function-runner.ts):
// no build step, no exports. The token format is documented in lambdas/contracts/edge.ts:
//   /t/<kid>.<sessionId>.<titleId>.<assetId>.<maxHeight>.<exp>.<sig>/media/<titleId>/<assetId>/...
// Poster artwork is public (posters are not secret) and needs no token, but only in its exact
// shape: /artwork/<titleId>/<assetId>/<artworkId>.jpg, passed on unchanged.
// KeyValueStore: key:<kid> holds the base64 HMAC secret; revoked:<sessionId> refuses a session.
//
// Only what runtime 2.0 documents: const/let, arrow functions, template literals, top-level
// async functions with await (no async closures), Buffer, crypto.createHmac with base64url.
// No for-of, destructuring, spread, optional chaining or classes.
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-javascript-runtime-20.html
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-custom-methods.html

// The KeyValueStore associated with the function (its id is bound at association).
const kvs = cf.kvs();

const PATH = /^\/t\/([^/]*)(\/media\/([^/]+)\/([^/]+)(\/.+))$/;
const ARTWORK = /^\/artwork\/[A-Za-z0-9_-]{1,64}\/[A-Za-z0-9_-]{1,64}\/[A-Za-z0-9_-]{1,64}\.jpg$/;
const TOKEN =
  /^([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{1,64})\.([1-9][0-9]{0,4})\.([1-9][0-9]{0,11})\.([A-Za-z0-9_-]{43})$/;
// Object keys never need escapes: refusing '%' keeps 'index%5F1080p' from dodging the height check.
const SAFE_PATH = /^[A-Za-z0-9._/-]+$/;
// A rendition height in a file or folder name: index_720p.m3u8, index_720pinit.cmfv, 720p/...
const HEIGHT = /[/_][0-9]{1,5}p(?=init|_|\.|\/|$)/g;

// biome-ignore lint/correctness/noUnusedVariables: CloudFront calls `handler` by name; exports are refused.
async function handler(event) {
  const request = event.request;
  if (request.method === 'OPTIONS') return preflight();
  if (request.method !== 'GET' && request.method !== 'HEAD') return deny('malformed');
  if (request.uri === '/_edge/health') return healthy();
  // Public: no token, no rewrite. The cache policy keys on the path alone.
  if (request.uri.indexOf('/artwork/') === 0) return ARTWORK.test(request.uri) ? request : deny('malformed');
  if (request.uri.indexOf('/t/') !== 0) return deny('missing');

  const path = PATH.exec(request.uri);
  if (!path) return deny('malformed');
  const token = TOKEN.exec(path[1]);
  const file = path[5];
  if (!token || !SAFE_PATH.test(path[2]) || file.indexOf('..') !== -1 || file.indexOf('//') !== -1) {
    return deny('malformed');
  }

  const secret = await secretFor(token[1]);
  if (secret === null) return deny('tampered');
  const signed = [token[1], token[2], token[3], token[4], token[5], token[6]].join('.');
  const expected = crypto
    .createHmac('sha256', Buffer.from(secret, 'base64'))
    .update(signed)
    .digest('base64url');
  if (!sameText(expected, token[7])) return deny('tampered');
  // Date is frozen at the start of the run on CloudFront; seconds are all the token carries.
  if (Number(token[6]) <= Math.floor(Date.now() / 1000)) return deny('expired');
  if (path[3] !== token[3] || path[4] !== token[4]) return deny('tampered');
  if (renditionHeight(file) > Number(token[5])) return deny('height');
  if (await kvs.exists(`revoked:${token[2]}`)) return deny('revoked');

  request.uri = path[2];
  return request;
}

// get() rejects when the key is absent: an unknown or retired key id.
async function secretFor(kid) {
  try {
    return await kvs.get(`key:${kid}`);
  } catch (_missing) {
    return null;
  }
}

// Constant time for equal lengths; the length of a base64url HMAC is no secret.
function sameText(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

// The tallest height named in the path below the asset folder; 0 when none (master, audio,
// captions, poster, thumbnails).
function renditionHeight(file) {
  const found = file.match(HEIGHT);
  let height = 0;
  if (found) {
    for (let i = 0; i < found.length; i++) height = Math.max(height, Number(found[i].slice(1, -1)));
  }
  return height;
}

// CORS on refusals too, so a browser player (hls.js) sees the 403 instead of an opaque error.
function deny(reason) {
  return {
    statusCode: 403,
    statusDescription: 'Forbidden',
    headers: {
      'x-edge-reason': { value: reason },
      'access-control-allow-origin': { value: '*' },
      'access-control-expose-headers': { value: 'x-edge-reason' },
      'cache-control': { value: 'no-store' },
    },
  };
}

// The steering endpoint probes each pathway here: an answer means viewers can reach this edge.
function healthy() {
  return {
    statusCode: 200,
    statusDescription: 'OK',
    headers: {
      'cache-control': { value: 'no-store' },
      'access-control-allow-origin': { value: '*' },
    },
  };
}

// Preflights (a Range header can trigger one) are answered here without a token check: they
// return no content, and the S3 origin would not answer them with the headers players need.
function preflight() {
  return {
    statusCode: 204,
    statusDescription: 'No Content',
    headers: {
      'access-control-allow-origin': { value: '*' },
      'access-control-allow-methods': { value: 'GET, HEAD, OPTIONS' },
      'access-control-allow-headers': { value: 'range' },
      'access-control-max-age': { value: '86400' },
    },
  };
}
