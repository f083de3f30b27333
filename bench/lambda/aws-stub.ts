/**
 * The "stubbed clients" of `npm run bench:lambda`: one small HTTPS server in the bench process that
 * every AWS SDK call of a measured function is pointed at (`AWS_ENDPOINT_URL`), so no call leaves
 * the machine. It answers each call the functions make with a minimal valid response, as AWS
 * would for an account whose tables are empty; the answers are listed in `answer()` below and in
 * the bench's README text.
 *
 * The service is read from the request's SigV4 (or SigV4A) credential scope, the operation from
 * `X-Amz-Target` (JSON protocols) or the method and path (S3, Lambda, CloudFront KeyValueStore).
 * A call it does not know gets a 400 `UnknownOperationException` and shows up as `?` in the
 * function's call list, so a new dependency is visible rather than silently answered.
 *
 * TLS like the real endpoints (a self-signed RSA 2048 certificate from `openssl`, trusted by the
 * measured process through `NODE_EXTRA_CA_CERTS`), so the first call's handshake is part of the
 * measured init as it is on Lambda. Without `openssl` it falls back to plain HTTP and says so.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const STUB_ACCOUNT = '123456789012';
export const STUB_REGION = 'us-east-1';

/** What the stub answers with, beyond empty tables. */
export interface StubWorld {
  /** SSM parameters by name (the edge pathways JSON, the edge KeyValueStore ARN). */
  readonly parameters: Readonly<Record<string, string>>;
  /** The AWSCURRENT text of every Secrets Manager secret (the edge signing keys). */
  readonly secretString: string;
  /** Served for any `…/.well-known/jwks.json` that a function fetches from `*.amazonaws.com`. */
  readonly jwks: unknown;
}

export interface AwsStub {
  /** Base URL for `AWS_ENDPOINT_URL` and the edge pathways. */
  readonly endpoint: string;
  /**
   * Base URL for the CloudFront KeyValueStore client, whose endpoint rules put the account id in
   * front of the host (`123456789012.kvs.localhost`): a name, not an IP. The harness resolves
   * `*.localhost` to 127.0.0.1.
   */
  readonly keyValueStoreEndpoint: string;
  readonly transport: 'https' | 'http';
  /** PEM file for `NODE_EXTRA_CA_CERTS` (https only). */
  readonly caFile: string | undefined;
  /** `host:port` of a UDP socket that swallows X-Ray segments (`AWS_XRAY_DAEMON_ADDRESS`). */
  readonly xrayDaemonAddress: string;
  /** The calls answered since the last `takeCalls()`, in order (`dynamodb.GetItem`, `lambda.Invoke(getProfile)`). */
  takeCalls(): string[];
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export async function startAwsStub(world: StubWorld, workDir: string): Promise<AwsStub> {
  const tls = selfSignedCertificate(workDir);
  const calls: string[] = [];
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { call, answer: a } = answer(world, endpoint, request, Buffer.concat(chunks).toString('utf8'));
      calls.push(call);
      response.writeHead(a.status, { 'x-amzn-requestid': randomUUID(), ...a.headers });
      response.end(a.body ?? '');
    });
  };
  const server: Server = tls
    ? createHttpsServer({ key: tls.key, cert: tls.cert }, onRequest)
    : createHttpServer(onRequest);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const endpoint = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  const xray: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => xray.bind(0, '127.0.0.1', resolve));
  xray.on('message', () => calls.push('xray.segment'));

  return {
    endpoint,
    keyValueStoreEndpoint: `${tls ? 'https' : 'http'}://kvs.localhost:${port}`,
    transport: tls ? 'https' : 'http',
    caFile: tls?.certFile,
    xrayDaemonAddress: `127.0.0.1:${xray.address().port}`,
    takeCalls: () => calls.splice(0),
    close: async () => {
      xray.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function selfSignedCertificate(dir: string): { key: Buffer; cert: Buffer; certFile: string } | undefined {
  const keyFile = join(dir, 'stub-key.pem');
  const certFile = join(dir, 'stub-cert.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        `subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:*.kvs.localhost,DNS:${STUB_ACCOUNT}.kvs.localhost`,
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(keyFile), cert: readFileSync(certFile), certFile };
  } catch {
    return undefined;
  }
}

/** Services of the JSON protocols by their `X-Amz-Target` prefix, for the calls the SDK does not sign. */
const TARGET_PREFIXES: Record<string, string> = {
  DynamoDB_20120810: 'dynamodb',
  secretsmanager: 'secretsmanager',
  AmazonSSM: 'ssm',
  AWSCognitoIdentityProviderService: 'cognito-idp',
  AWSEvents: 'events',
};

/**
 * `dynamodb` from `Credential=AKID/20260101/us-east-1/dynamodb/aws4_request` (SigV4A has no
 * region); for an unsigned call (Cognito's `InitiateAuth`), from its `X-Amz-Target`.
 */
function serviceOf(request: IncomingMessage): string | undefined {
  const match = /Credential=[^,]*\/([a-z0-9-]+)\/aws4_request/.exec(request.headers.authorization ?? '');
  if (match?.[1]) return match[1];
  const prefix = String(request.headers['x-amz-target'] ?? '').split('.')[0] ?? '';
  return TARGET_PREFIXES[prefix];
}

function answer(
  world: StubWorld,
  endpoint: string,
  request: IncomingMessage,
  body: string,
): { call: string; answer: Answer } {
  const url = new URL(request.url ?? '/', 'http://stub');
  const method = request.method ?? 'GET';
  if (url.pathname.startsWith('/__https/')) {
    // fetch() to *.amazonaws.com, redirected by the harness: Cognito's JWKS.
    return url.pathname.endsWith('/.well-known/jwks.json')
      ? { call: 'https.jwks', answer: json(200, world.jwks as Json, 'application/json') }
      : { call: `https.? ${url.pathname}`, answer: { status: 404 } };
  }
  if (/^\/edge-[a-z]\//.test(url.pathname)) {
    // The edge pathways point here: health checks and prepositioning fetches.
    return {
      call: 'edge.GET',
      answer: { status: 200, body: 'ok', headers: { 'content-type': 'text/plain' } },
    };
  }
  const service = serviceOf(request);
  const target = String(request.headers['x-amz-target'] ?? '');
  const operation = target.split('.').at(-1) ?? '';
  const input = parseJson(body);
  switch (service) {
    case 'dynamodb':
      return { call: `dynamodb.${operation}`, answer: dynamodb(operation, input) };
    case 'lambda':
      return invoke(url, input);
    case 's3':
      return s3(method, url);
    case 'secretsmanager':
      return { call: `secretsmanager.${operation}`, answer: secretsManager(world, operation, input) };
    case 'ssm':
      return { call: `ssm.${operation}`, answer: ssm(world, operation, input) };
    case 'cognito-idp':
      return { call: `cognito-idp.${operation}`, answer: cognito(operation, input, endpoint) };
    case 'events':
      return {
        call: `events.${operation}`,
        answer:
          operation === 'PutEvents'
            ? json11(200, { FailedEntryCount: 0, Entries: [{ EventId: randomUUID() }] })
            : unknown(operation),
      };
    case 'cloudfront-keyvaluestore':
      return keyValueStore(method, url);
    default:
      return {
        call: `? ${service ?? 'unsigned'} ${method} ${url.pathname}`,
        answer: unknown(`${method} ${url.pathname}`),
      };
  }
}

// --- DynamoDB: every table is empty --------------------------------------------------------------

function dynamodb(operation: string, input: JsonObject): Answer {
  const ok = (value: Json) => json(200, value, 'application/x-amz-json-1.0');
  switch (operation) {
    case 'GetItem':
      return ok({});
    case 'Query':
    case 'Scan':
      return ok({ Items: [], Count: 0, ScannedCount: 0 });
    case 'BatchGetItem': {
      const tables = Object.keys(asObject(input.RequestItems));
      return ok({ Responses: Object.fromEntries(tables.map((t) => [t, []])), UnprocessedKeys: {} });
    }
    case 'PutItem':
    case 'DeleteItem':
      return requiresExistingItem(input) ? conditionFailed() : ok({});
    case 'UpdateItem': {
      if (requiresExistingItem(input)) return conditionFailed();
      const wantsItem = ['ALL_NEW', 'UPDATED_NEW'].includes(String(input.ReturnValues ?? 'NONE'));
      return ok(wantsItem ? { Attributes: itemAfterSet(input) } : {});
    }
    case 'TransactWriteItems':
    case 'BatchWriteItem':
      return ok(operation === 'BatchWriteItem' ? { UnprocessedItems: {} } : {});
    default:
      return unknown(operation);
  }
}

/** On an empty table, a condition that the item exists always fails. */
function requiresExistingItem(input: JsonObject): boolean {
  return /(^|[^_])attribute_exists\s*\(/.test(String(input.ConditionExpression ?? ''));
}

function conditionFailed(): Answer {
  return jsonError(400, 'ConditionalCheckFailedException', 'The conditional request failed', '1.0');
}

/** The item an `UpdateItem` on an absent item leaves: its key and every `SET a = :v` (first value named). */
function itemAfterSet(input: JsonObject): JsonObject {
  const names = asObject(input.ExpressionAttributeNames);
  const values = asObject(input.ExpressionAttributeValues);
  const item: JsonObject = { ...asObject(input.Key) };
  const set = /\bSET\s+(.*?)(?=\s+\b(REMOVE|ADD|DELETE)\b|$)/is.exec(
    String(input.UpdateExpression ?? ''),
  )?.[1];
  for (const assignment of splitTopLevel(set ?? '')) {
    const [lhs, rhs] = assignment.split('=').map((s) => s.trim());
    const value = /:[A-Za-z0-9_]+/.exec(rhs ?? '')?.[0];
    if (!lhs || !value || !(value in values)) continue;
    const name = lhs.startsWith('#') ? names[lhs] : lhs;
    if (typeof name === 'string') item[name] = values[value] ?? null;
  }
  return item;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of text) {
    if (c === '(') depth += 1;
    if (c === ')') depth -= 1;
    if (c === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  return current.trim() ? [...parts, current] : parts;
}

// --- Lambda Invoke: the internal functions of other services -------------------------------------

/**
 * The answers of the internal functions (`lambdas/contracts/internal.ts`), as for a viewer whose
 * profile exists and is adult, whose titles exist as movies without a playable asset, with an
 * active premium subscription and nothing watched yet.
 */
function invoke(url: URL, input: JsonObject): { call: string; answer: Answer } {
  const op = typeof input.op === 'string' ? input.op : '?';
  const movie = (titleId: Json) => ({ titleId, kind: 'movie', name: 'Bench movie', maturity: 'teen' });
  let payload: Json | undefined;
  switch (op) {
    case 'getProfile':
      payload = { profile: { profileId: input.profileId ?? 'p', maturity: 'adult', name: 'Bench' } };
      break;
    case 'describeTitles':
      payload = { titles: (Array.isArray(input.titleIds) ? input.titleIds : []).map(movie) };
      break;
    case 'getTitleForAdmin':
      payload = { titles: [movie(input.titleId ?? 't')] };
      break;
    case 'nextEpisode':
      payload = { titles: [] };
      break;
    case 'getEntitlement':
      payload = { playable: true, plan: 'premium', maxStreams: 4, maxHeight: 2160 };
      break;
    case 'resumePosition':
      payload = { positionSec: 0 };
      break;
    default:
      payload = undefined;
  }
  const call = `lambda.Invoke(${op})`;
  if (!/\/functions\/[^/]+\/invocations$/.test(url.pathname))
    return { call: `lambda.?`, answer: unknown(url.pathname) };
  if (payload === undefined) {
    return {
      call,
      answer: {
        status: 200,
        body: JSON.stringify({ errorType: 'Error', errorMessage: `bench stub: unknown op ${op}` }),
        headers: { 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '$LATEST' },
      },
    };
  }
  return {
    call,
    answer: {
      status: 200,
      body: JSON.stringify(payload),
      headers: { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' },
    },
  };
}

// --- S3: empty buckets ---------------------------------------------------------------------------

function s3(method: string, url: URL): { call: string; answer: Answer } {
  const xml = (status: number, body: string): Answer => ({
    status,
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
    headers: { 'content-type': 'application/xml' },
  });
  const q = url.searchParams;
  if (method === 'GET' && q.get('list-type') === '2') {
    return {
      call: 's3.ListObjectsV2',
      answer: xml(
        200,
        '<ListBucketResult><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount></ListBucketResult>',
      ),
    };
  }
  if (method === 'GET') {
    return {
      call: 's3.GetObject',
      answer: xml(
        404,
        '<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
      ),
    };
  }
  if (method === 'HEAD') return { call: 's3.HeadObject', answer: { status: 404 } };
  if (method === 'PUT')
    return { call: 's3.PutObject', answer: { status: 200, headers: { etag: '"bench"' } } };
  if (method === 'POST' && q.has('uploads')) {
    return {
      call: 's3.CreateMultipartUpload',
      answer: xml(
        200,
        `<InitiateMultipartUploadResult><UploadId>${randomUUID()}</UploadId></InitiateMultipartUploadResult>`,
      ),
    };
  }
  if (method === 'POST' && q.has('uploadId')) {
    return {
      call: 's3.CompleteMultipartUpload',
      answer: xml(200, '<CompleteMultipartUploadResult><ETag>"bench"</ETag></CompleteMultipartUploadResult>'),
    };
  }
  if (method === 'POST' && q.has('delete'))
    return { call: 's3.DeleteObjects', answer: xml(200, '<DeleteResult></DeleteResult>') };
  return { call: `s3.? ${method}`, answer: unknown(method) };
}

// --- Secrets Manager, SSM, Cognito ---------------------------------------------------------------

function secretsManager(world: StubWorld, operation: string, input: JsonObject): Answer {
  if (operation !== 'GetSecretValue') return unknown(operation);
  // Outside a rotation no version carries AWSPENDING: what Secrets Manager answers then.
  if (input.VersionStage === 'AWSPENDING') {
    return jsonError(
      400,
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret value.",
      '1.1',
    );
  }
  const arn = String(input.SecretId ?? '');
  return json11(200, {
    ARN: arn,
    Name: arn.split(':').at(-1) ?? arn,
    SecretString: world.secretString,
    VersionId: '00000000-0000-4000-8000-000000000001',
    VersionStages: ['AWSCURRENT'],
    CreatedDate: 1_767_225_600,
  });
}

function ssm(world: StubWorld, operation: string, input: JsonObject): Answer {
  if (operation !== 'GetParameter') return unknown(operation);
  const name = String(input.Name ?? '');
  const value = world.parameters[name];
  if (value === undefined) return jsonError(400, 'ParameterNotFound', `Parameter ${name} not found.`, '1.1');
  return json11(200, {
    Parameter: {
      Name: name,
      Type: 'String',
      Value: value,
      Version: 1,
      ARN: `arn:aws:ssm:${STUB_REGION}:${STUB_ACCOUNT}:parameter${name}`,
      DataType: 'text',
    },
  });
}

function cognito(operation: string, input: JsonObject, endpoint: string): Answer {
  switch (operation) {
    case 'AdminCreateUser':
      return json11(200, {
        User: {
          Username: String(input.Username ?? ''),
          Attributes: [
            { Name: 'sub', Value: randomUUID() },
            ...(Array.isArray(input.UserAttributes) ? input.UserAttributes : []),
          ],
          Enabled: true,
          UserStatus: 'FORCE_CHANGE_PASSWORD',
        },
      });
    case 'AdminSetUserPassword':
    case 'AdminAddUserToGroup':
      return json11(200, {});
    case 'InitiateAuth':
      return json11(200, {
        AuthenticationResult: {
          AccessToken: `bench.${Buffer.from(endpoint).toString('base64url')}.token`,
          RefreshToken: 'bench-refresh-token',
          IdToken: 'bench.id.token',
          ExpiresIn: 3600,
          TokenType: 'Bearer',
        },
      });
    default:
      return unknown(operation);
  }
}

// --- CloudFront KeyValueStore: an empty store ----------------------------------------------------

function keyValueStore(method: string, url: URL): { call: string; answer: Answer } {
  const path = decodeURIComponent(url.pathname);
  const store = { ItemCount: 0, TotalSizeInBytes: 0 };
  const withEtag = (call: string, value: Json): { call: string; answer: Answer } => ({
    call,
    answer: {
      ...json(200, value, 'application/json'),
      headers: { 'content-type': 'application/json', etag: 'bench-etag' },
    },
  });
  if (!path.startsWith('/key-value-stores/'))
    return { call: `cloudfront-keyvaluestore.? ${method}`, answer: unknown(path) };
  const keysAt = path.indexOf('/keys');
  if (keysAt === -1) {
    const arn = path.slice('/key-value-stores/'.length);
    return withEtag('cloudfront-keyvaluestore.DescribeKeyValueStore', {
      ...store,
      KvsARN: arn,
      Created: 1_767_225_600,
    });
  }
  const single = path.length > keysAt + '/keys'.length;
  if (method === 'GET' && !single)
    return {
      call: 'cloudfront-keyvaluestore.ListKeys',
      answer: json(200, { Items: [] }, 'application/json'),
    };
  if (method === 'PUT' && single)
    return withEtag('cloudfront-keyvaluestore.PutKey', { ...store, ItemCount: 1 });
  if (method === 'POST' && !single) return withEtag('cloudfront-keyvaluestore.UpdateKeys', store);
  if (method === 'DELETE' && single) return withEtag('cloudfront-keyvaluestore.DeleteKey', store);
  return { call: `cloudfront-keyvaluestore.? ${method}`, answer: unknown(path) };
}

// --- helpers -------------------------------------------------------------------------------------

function json(status: number, value: Json, contentType: string): Answer {
  return { status, body: JSON.stringify(value), headers: { 'content-type': contentType } };
}

function json11(status: number, value: Json): Answer {
  return json(status, value, 'application/x-amz-json-1.1');
}

function jsonError(status: number, type: string, message: string, version: '1.0' | '1.1'): Answer {
  return {
    status,
    body: JSON.stringify({ __type: type, message }),
    headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amzn-errortype': type },
  };
}

function unknown(what: string): Answer {
  return jsonError(400, 'UnknownOperationException', `The bench stub does not answer ${what}.`, '1.1');
}

function parseJson(body: string): JsonObject {
  try {
    return asObject(JSON.parse(body) as Json);
  } catch {
    return {};
  }
}

function asObject(value: Json | undefined): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}
