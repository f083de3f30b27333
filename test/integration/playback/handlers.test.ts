/**
 * The playback handlers, called as API Gateway calls them: DynamoDB Local, s3rver for the media
 * bucket, the Lambda Invoke API answered by in-process stand-ins of the profiles, catalog and
 * subscriptions services, two tiny "edges" that answer health checks, and the local edges'
 * KeyValueStore file. The edge function itself (`edge/verify-token.js`) checks what the master
 * playlist hands out.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { edgeKeyEntry, edgeRevocationEntry } from '#contracts/edge.ts';
import { ENV } from '#contracts/env.ts';
import {
  catalogInternalRequestSchema,
  historyInternalRequestSchema,
  profilesInternalRequestSchema,
  subscriptionsInternalRequestSchema,
} from '#contracts/internal.ts';
import {
  type EdgeFunction,
  loadEdgeFunction,
  viewerRequestEvent,
} from '../../../local/edge/function-runner.ts';
import { LocalKeyValueStore } from '../../../local/edge/key-value-store.ts';
import { installStandIns } from '../../../local/lambda/stand-ins.ts';
import { startTestDynamo, type TestDynamo } from '../../support/dynamo.ts';
import { s3rverClient, startS3rver } from '../../support/s3rver.ts';
import { FakeCatalog, FakeEntitlements, FakeProfiles, KEY, MASTER } from '../../unit/playback/fakes.ts';
import { type FakeLambda, startFakeLambda } from '../history/fake-lambda.ts';
import { type ApiHandler, type ApiRequest, apiEvent, call, lambdaContext } from '../profiles/api-event.ts';

const BUCKET = 'media';
const API = 'http://127.0.0.1:3000';

let dir: string;
let dynamo: TestDynamo;
let lambda: FakeLambda;
let s3rver: ChildProcess;
let s3: S3Client;
let edges: { server: Server; healthy: boolean }[];
let kvs: LocalKeyValueStore;
let edgeFunction: EdgeFunction;
let startHandler: ApiHandler;
let masterHandler: ApiHandler;
let steeringHandler: ApiHandler;
let heartbeatHandler: ApiHandler;
let endHandler: ApiHandler;

const profiles = new FakeProfiles();
const catalog = new FakeCatalog();
const entitlements = new FakeEntitlements();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'showrunner-playback-'));
  dynamo = await startTestDynamo();
  await dynamo.createTable('playback');

  const started = await startS3rver(join(dir, 's3'));
  s3rver = started.process;
  process.env.AWS_ENDPOINT_URL_S3 = `http://127.0.0.1:${started.port}`;
  s3 = s3rverClient(started.port);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: 'media/movie-1/asset-1/hls/index.m3u8', Body: MASTER }),
  );

  edges = await Promise.all([startHealthEdge(), startHealthEdge()]);
  const kvsFile = join(dir, 'edge-kvs.json');
  kvs = new LocalKeyValueStore({ dir, name: 'edge-kvs' });
  kvs.put(edgeKeyEntry(KEY.kid), KEY.secret);
  edgeFunction = loadEdgeFunction({ kvs });

  Object.assign(process.env, {
    [ENV.MEDIA_BUCKET]: BUCKET,
    [ENV.EDGE_PATHWAYS]: JSON.stringify(
      edges.map((edge, i) => ({ id: `edge-${'ab'[i]}`, baseUrl: `http://127.0.0.1:${port(edge.server)}` })),
    ),
    [ENV.EDGE_KEY_ID]: KEY.kid,
    [ENV.EDGE_KEY_SECRET]: KEY.secret,
    [ENV.API_BASE_URL]: API,
  });
  // What the local platform's worker does before a handler loads: its edges' store stands in.
  installStandIns({ edgeKeyValueStoreFile: kvsFile });

  lambda = await startFakeLambda({
    profilesInternal: async (event) => {
      const request = profilesInternalRequestSchema.parse(event);
      return { profile: await profiles.getProfile(request.accountId, request.profileId) };
    },
    catalogInternal: async (event) => {
      const request = catalogInternalRequestSchema.parse(event);
      if (request.op !== 'describeTitles') throw new Error(`not used by playback: ${request.op}`);
      return {
        titles: await catalog.describeTitles(request.titleIds, request.country, request.maturity ?? 'adult'),
      };
    },
    subscriptionsInternal: async (event) =>
      entitlements.getEntitlement(subscriptionsInternalRequestSchema.parse(event).accountId),
    // Nobody has watched anything here: every session starts at 0 (tested with real history in api/).
    historyInternal: async (event) => {
      historyInternalRequestSchema.parse(event);
      return { positionSec: 0 };
    },
  });

  startHandler = (await import('../../../lambdas/playback/handlers/start-playback.ts')).handler;
  masterHandler = (await import('../../../lambdas/playback/handlers/master-playlist.ts')).handler;
  steeringHandler = (await import('../../../lambdas/playback/handlers/steering.ts')).handler;
  heartbeatHandler = (await import('../../../lambdas/playback/handlers/heartbeat.ts')).handler;
  endHandler = (await import('../../../lambdas/playback/handlers/end-playback.ts')).handler;

  catalog.movie('movie-1');
  catalog.movie('samba', { countries: ['BR'] });
  await s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: 'media/samba/asset-1/hls/index.m3u8', Body: MASTER }),
  );
});

afterAll(async () => {
  await lambda?.stop();
  for (const edge of edges ?? []) await new Promise((resolve) => edge.server.close(resolve));
  s3?.destroy();
  s3rver?.kill();
  await dynamo?.stop();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  for (const edge of edges) edge.healthy = true;
});

function never(): never {
  throw new Error('unreachable');
}

/** A subscribed account with one adult profile, on `plan`. */
function viewer(plan: 'basic' | 'standard' | 'premium' = 'basic'): { accountId: string; profileId: string } {
  const accountId = randomUUID();
  profiles.add(accountId, 'p1', 'adult');
  entitlements.plan(accountId, plan);
  return { accountId, profileId: 'p1' };
}

type Who = { accountId: string; profileId: string };

const startPlayback = (
  who: Who,
  body: unknown = { profileId: who.profileId, titleId: 'movie-1' },
  extra: Partial<ApiRequest> = {},
) => call(startHandler, { method: 'POST', path: '/v1/playback', accountId: who.accountId, body, ...extra });

async function started(
  who: Who,
  body?: unknown,
): Promise<{ sessionId: string; manifestUrl: string; token: string }> {
  const response = await startPlayback(who, body);
  expect(response.status).toBe(201);
  const { sessionId, manifestUrl } = response.body as { sessionId: string; manifestUrl: string };
  return { sessionId, manifestUrl, token: new URL(manifestUrl).searchParams.get('token') ?? '' };
}

async function master(sessionId: string, query: Record<string, string> | undefined) {
  const result = await masterHandler(
    apiEvent({
      method: 'GET',
      path: `/v1/playback/${sessionId}/master.m3u8`,
      accountId: null,
      pathParameters: { sessionId },
      ...(query ? { query } : {}),
    }),
    lambdaContext,
  );
  return { status: result.statusCode, headers: result.headers ?? {}, body: result.body };
}

const steer = (sessionId: string, query?: Record<string, string>) =>
  call(steeringHandler, {
    method: 'GET',
    path: `/v1/steering/${sessionId}`,
    accountId: null,
    pathParameters: { sessionId },
    ...(query ? { query } : {}),
  });

const beat = (accountId: string, sessionId: string) =>
  call(heartbeatHandler, {
    method: 'POST',
    path: `/v1/playback/${sessionId}/heartbeat`,
    accountId,
    pathParameters: { sessionId },
  });

async function end(accountId: string, sessionId: string) {
  const result = await endHandler(
    apiEvent({
      method: 'DELETE',
      path: `/v1/playback/${sessionId}`,
      accountId,
      pathParameters: { sessionId },
    }),
    lambdaContext,
  );
  const body = result.body ? (JSON.parse(result.body) as { error?: { code: string } }) : undefined;
  return { status: result.statusCode, error: body?.error?.code };
}

/** What the edge function does with a GET of `url`'s path: forwards (the origin path) or refuses (the reason). */
async function atEdge(url: string): Promise<{ forwarded: string } | { refused: string }> {
  const result = await edgeFunction.run(viewerRequestEvent({ url: new URL(url).pathname }));
  if (result.type === 'request') return { forwarded: result.request.uri };
  return { refused: result.response.headers?.['x-edge-reason']?.value ?? String(result.response.statusCode) };
}

describe('POST /v1/playback', () => {
  it('opens a session: 201 with the manifest URL on the API, resume point and expiry', async () => {
    const who = viewer();

    const response = await startPlayback(who);

    expect(response).toEqual({
      status: 201,
      body: {
        sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        manifestUrl: expect.stringMatching(
          /^http:\/\/127\.0\.0\.1:3000\/v1\/playback\/[0-9a-f-]{36}\/master\.m3u8\?token=k1\.\d+\.[\w-]{43}$/,
        ),
        resumeAtSec: 0,
        expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    });
  });

  it('refuses a second stream on the basic plan with 409 STREAM_LIMIT_REACHED, and allows it after DELETE', async () => {
    const who = viewer('basic');
    const first = await started(who);

    const second = await startPlayback(who);
    const ended = await end(who.accountId, first.sessionId);
    const third = await startPlayback(who);

    expect(second).toMatchObject({ status: 409, error: 'STREAM_LIMIT_REACHED' });
    expect(ended.status).toBe(204);
    expect(third.status).toBe(201);
  });

  it('lets exactly one of 10 simultaneous starts through on the basic plan', async () => {
    const who = viewer('basic');

    const responses = await Promise.all(Array.from({ length: 10 }, () => startPlayback(who)));

    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.error === 'STREAM_LIMIT_REACHED')).toHaveLength(9);
  });

  it("answers 404 PROFILE_NOT_FOUND for another account's profile", async () => {
    const owner = viewer();
    profiles.add(owner.accountId, 'only-mine');
    const intruder = viewer();

    const response = await startPlayback(intruder, { profileId: 'only-mine', titleId: 'movie-1' });

    expect(response).toMatchObject({ status: 404, error: 'PROFILE_NOT_FOUND' });
  });

  it("checks the licence in the viewer's country, from X-Viewer-Country", async () => {
    const who = viewer('premium');
    const body = { profileId: who.profileId, titleId: 'samba' };

    const fromUs = await startPlayback(who, body);
    const fromBrazil = await startPlayback(who, body, { headers: { 'X-Viewer-Country': 'BR' } });

    expect(fromUs).toMatchObject({ status: 404, error: 'TITLE_NOT_FOUND' });
    expect(fromBrazil.status).toBe(201);
  });

  it.each([
    ['PAYMENT_PAST_DUE', 402],
    ['NO_SUBSCRIPTION', 403],
    ['SUBSCRIPTION_CANCELED', 403],
  ] as const)('answers %s with %i from the entitlement', async (reasonCode, status) => {
    const who = viewer();
    entitlements.refuse(who.accountId, reasonCode);

    expect(await startPlayback(who)).toMatchObject({ status, error: reasonCode });
  });

  it.each([
    ['malformed JSON', '{"profileId":', 'MALFORMED_JSON'],
    ['no body', undefined, 'INVALID_REQUEST'],
    ['an unknown field', { profileId: 'p1', titleId: 'movie-1', resume: true }, 'INVALID_REQUEST'],
    ['a bad title id', { profileId: 'p1', titleId: '../x' }, 'INVALID_REQUEST'],
    [
      'a height as a string',
      { profileId: 'p1', titleId: 'movie-1', device: { maxHeight: '720' } },
      'INVALID_REQUEST',
    ],
    ['a zero height', { profileId: 'p1', titleId: 'movie-1', device: { maxHeight: 0 } }, 'INVALID_REQUEST'],
    [
      'a codec that is not one',
      { profileId: 'p1', titleId: 'movie-1', device: { codecs: ['h264!'] } },
      'INVALID_REQUEST',
    ],
    [
      'an unknown device field',
      { profileId: 'p1', titleId: 'movie-1', device: { drm: 'x' } },
      'INVALID_REQUEST',
    ],
  ])('answers 400 %s', async (_, body, code) => {
    const who = viewer();

    const response =
      body === undefined
        ? await call(startHandler, { method: 'POST', path: '/v1/playback', accountId: who.accountId })
        : await startPlayback(who, body);

    expect(response).toMatchObject({ status: 400, error: code });
  });

  it('answers 409 NO_PLAYABLE_RENDITION to a device that decodes none of the renditions', async () => {
    const who = viewer();

    const response = await startPlayback(who, {
      profileId: 'p1',
      titleId: 'movie-1',
      device: { codecs: ['vp09'] },
    });

    expect(response).toMatchObject({ status: 409, error: 'NO_PLAYABLE_RENDITION' });
  });
});

describe('GET /v1/playback/{sessionId}/master.m3u8', () => {
  it('serves an HLS playlist no shared cache keeps, with both pathways and the steering server', async () => {
    const who = viewer('basic');
    const session = await started(who);

    const response = await master(session.sessionId, { token: session.token });

    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'application/vnd.apple.mpegurl',
      'cache-control': 'private, no-store',
    });
    expect(response.body).toContain('PATHWAY-ID="edge-a"');
    expect(response.body).toContain('PATHWAY-ID="edge-b"');
    expect(response.body).toContain(
      `#EXT-X-CONTENT-STEERING:SERVER-URI="${API}/v1/steering/${session.sessionId}?token=${session.token}",PATHWAY-ID="edge-a"`,
    );
    expect(response.body).not.toMatch(/1080p|2160p/);
  });

  it('hands out URIs the edge function forwards to the origin, and refuses a guessed 1080p path', async () => {
    const who = viewer('basic');
    const session = await started(who);
    const text = (await master(session.sessionId, { token: session.token })).body;
    const uri720 = text.split('\n').find((l) => l.endsWith('/index_720p.m3u8')) ?? never();

    expect(await atEdge(uri720)).toEqual({ forwarded: '/media/movie-1/asset-1/hls/index_720p.m3u8' });
    expect(await atEdge(uri720.replace('index_720p', 'index_1080p'))).toEqual({ refused: 'height' });
  });

  it('has the edge refuse the session once it ended (revoked at the edge)', async () => {
    const who = viewer('basic');
    const session = await started(who);
    const text = (await master(session.sessionId, { token: session.token })).body;
    const uri = text.split('\n').find((l) => l.endsWith('/index_360p.m3u8')) ?? never();

    await end(who.accountId, session.sessionId);

    expect(kvs.has(edgeRevocationEntry(session.sessionId))).toBe(true);
    expect(await atEdge(uri)).toEqual({ refused: 'revoked' });
    const after = await master(session.sessionId, { token: session.token });
    expect(after.status).toBe(403);
    expect(JSON.parse(after.body)).toMatchObject({ error: { code: 'SESSION_ENDED' } });
  });

  it.each([
    ['no token', undefined, 'INVALID_TOKEN'],
    [
      'a tampered token',
      { token: 'k1.1999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      'INVALID_TOKEN',
    ],
  ])('answers 403 with %s', async (_, query, code) => {
    const session = await started(viewer('premium'));

    const response = await master(session.sessionId, query);

    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ error: { code, message: expect.any(String) } });
  });

  it("answers 403 INVALID_TOKEN to another session's token", async () => {
    const a = await started(viewer('premium'));
    const b = await started(viewer('premium'));

    expect((await master(a.sessionId, { token: b.token })).status).toBe(403);
  });

  it('answers 400 to a malformed session id and to an unknown query parameter', async () => {
    const session = await started(viewer('premium'));

    expect((await master('../etc', { token: session.token })).status).toBe(400);
    expect((await master(session.sessionId, { token: session.token, debug: '1' })).status).toBe(400);
  });
});

describe('GET /v1/steering/{sessionId}', () => {
  it('answers the steering manifest with the unhealthy edge last', async () => {
    const session = await started(viewer('premium'));
    const [edgeA] = edges;
    if (edgeA) edgeA.healthy = false;

    const response = await steer(session.sessionId, {
      token: session.token,
      _HLS_pathway: 'edge-a',
      _HLS_throughput: '5000000',
    });

    expect(response).toEqual({
      status: 200,
      body: {
        VERSION: 1,
        TTL: 10,
        'RELOAD-URI': `${API}/v1/steering/${session.sessionId}?token=${session.token}`,
        'PATHWAY-PRIORITY': ['edge-b', 'edge-a'],
      },
    });
  });

  it('puts a recovered edge back first once the 2 s health cache has passed', async () => {
    const session = await started(viewer('premium'));
    await new Promise((resolve) => setTimeout(resolve, 2_100));

    const response = await steer(session.sessionId, { token: session.token });

    expect((response.body as { 'PATHWAY-PRIORITY': string[] })['PATHWAY-PRIORITY']).toEqual([
      'edge-a',
      'edge-b',
    ]);
  });

  it('accepts and ignores other _HLS_ parameters, refuses other unknown ones', async () => {
    const session = await started(viewer('premium'));

    const withHls = await steer(session.sessionId, { token: session.token, _HLS_start_offset: '1' });
    const withOther = await steer(session.sessionId, { token: session.token, debug: '1' });

    expect(withHls.status).toBe(200);
    expect(withOther).toMatchObject({ status: 400, error: 'INVALID_QUERY' });
  });

  it('answers 403 INVALID_TOKEN without a valid token', async () => {
    const session = await started(viewer('premium'));

    expect(await steer(session.sessionId)).toMatchObject({ status: 403, error: 'INVALID_TOKEN' });
    expect(await steer(randomUUID(), { token: session.token })).toMatchObject({
      status: 403,
      error: 'INVALID_TOKEN',
    });
  });
});

describe('POST /v1/playback/{sessionId}/heartbeat', () => {
  it('extends the session', async () => {
    const who = viewer();
    const session = await started(who);

    const response = await beat(who.accountId, session.sessionId);

    expect(response).toEqual({
      status: 200,
      body: { sessionId: session.sessionId, expiresAt: expect.stringMatching(/^\d{4}-/) },
    });
  });

  it("answers 404 SESSION_NOT_FOUND for another account's, an ended and an unknown session", async () => {
    const who = viewer();
    const session = await started(who);

    const foreign = await beat(randomUUID(), session.sessionId);
    await end(who.accountId, session.sessionId);
    const ended = await beat(who.accountId, session.sessionId);
    const unknown = await beat(who.accountId, randomUUID());

    for (const response of [foreign, ended, unknown]) {
      expect(response).toMatchObject({ status: 404, error: 'SESSION_NOT_FOUND' });
    }
  });
});

describe('DELETE /v1/playback/{sessionId}', () => {
  it("answers 404 SESSION_NOT_FOUND for another account's session and leaves it playing", async () => {
    const who = viewer();
    const session = await started(who);

    const response = await end(randomUUID(), session.sessionId);

    expect(response).toEqual({ status: 404, error: 'SESSION_NOT_FOUND' });
    expect(kvs.has(edgeRevocationEntry(session.sessionId))).toBe(false);
    expect((await master(session.sessionId, { token: session.token })).status).toBe(200);
  });

  it('answers 204 again to a repeated DELETE', async () => {
    const who = viewer();
    const session = await started(who);

    expect((await end(who.accountId, session.sessionId)).status).toBe(204);
    expect((await end(who.accountId, session.sessionId)).status).toBe(204);
  });

  it('answers 400 INVALID_SESSION_ID to a malformed id', async () => {
    expect(await end(randomUUID(), 'not an id')).toEqual({ status: 400, error: 'INVALID_SESSION_ID' });
  });
});

/** An edge stand-in that answers `/_edge/health` with 200 or 503. */
async function startHealthEdge(): Promise<{ server: Server; healthy: boolean }> {
  const edge = { server: undefined as unknown as Server, healthy: true };
  edge.server = createServer((req, res) => {
    if (req.url === '/_edge/health') res.writeHead(edge.healthy ? 200 : 503).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => edge.server.listen(0, '127.0.0.1', resolve));
  return edge;
}

function port(server: Server): number {
  return (server.address() as AddressInfo).port;
}
