/**
 * One representative event per function for `npm run bench:lambda`: what its trigger sends it.
 *
 * - Routed functions (`lambdas/contracts/routes.ts`): an API Gateway REST proxy event for the
 *   route's method and path, with the path's parameters filled in, a valid body and query where
 *   the route has them, and for `user` / `admin` routes the context the authorizer gives
 *   (`requestContext.authorizer`), as API Gateway sends it after the authorizer has run.
 * - The authorizer: a TOKEN event with an RS256 access token that the stub's JWKS verifies.
 * - Internal functions: their JSON request (`lambdas/contracts/internal.ts`).
 * - Pipeline steps, EventBridge targets and scheduled functions: their state or event.
 *
 * A function this file does not know (added since) gets a generic event (the route's, without a
 * body, or `{}`), and the bench says so in its `event` column.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';

export const IDS = {
  accountId: 'a-bench-0001',
  profileId: 'p-bench-0001',
  titleId: 't-bench-0001',
  sessionId: 's-bench-0001',
  jobId: 'job-bench-0001',
} as const;

const API_HOST = 'abc123defg.execute-api.us-east-1.amazonaws.com';
const STAGE = 'prod';

export interface RouteInfo {
  readonly method: string;
  readonly path: string;
  readonly auth: 'none' | 'user' | 'admin';
}

/** What events need that only the running bench knows. */
export interface EventInputs {
  readonly route: RouteInfo | undefined;
  /** `?token=` of the playback session's master playlist and steering manifest. */
  readonly playlistToken: string | undefined;
  /** `Bearer …` for the authorizer. */
  readonly accessToken: string;
  /** Settings the planner builds for the bench source, for `verifyOutputs` (absent if the planner did not load). */
  readonly jobSettings: unknown;
  readonly account: string;
  readonly region: string;
}

export interface BenchEvent {
  readonly event: unknown;
  /** `route`, `route, generic`, `own`, or `generic` (a function this file does not know). */
  readonly kind: string;
}

const NOW = () => new Date().toISOString();

/** A valid JSON body for each route that takes one. */
function bodyOf(functionId: string): unknown {
  switch (functionId) {
    case 'signup':
      return { email: 'bench@example.com', password: 'correct horse battery', country: 'US' };
    case 'login':
      return { email: 'bench@example.com', password: 'correct horse battery' };
    case 'refreshToken':
      return { refreshToken: 'bench-refresh-token' };
    case 'createProfile':
      return { name: 'Bench', maturity: 'adult', language: 'en' };
    case 'updateProfile':
      return { name: 'Bench again' };
    case 'putSubscription':
      return {
        plan: 'standard',
        card: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' },
      };
    case 'createTitle':
      return {
        name: 'Bench movie',
        maturity: 'teen',
        genres: ['drama'],
        availability: [{ countries: ['US'], from: '2026-01-01T00:00:00Z' }],
      };
    case 'updateTitle':
      return { synopsis: 'Edited by the bench.' };
    case 'createUpload':
      return { fileName: 'bench.mp4', sizeBytes: 10 * 1024 * 1024, contentType: 'video/mp4' };
    case 'completeUpload':
      return { uploadId: 'bench-upload', parts: [{ partNumber: 1, etag: '"bench"' }] };
    case 'putHeartbeat':
      return { positionSec: 120, durationSec: 5400, clientTs: Date.now() };
    case 'startPlayback':
      return { profileId: IDS.profileId, titleId: IDS.titleId };
    case 'prepositionTitles':
      return { titles: 10 };
    default:
      return undefined;
  }
}

function queryOf(functionId: string, inputs: EventInputs): Record<string, string> | null {
  switch (functionId) {
    case 'getMasterPlaylist':
      return inputs.playlistToken ? { token: inputs.playlistToken } : null;
    case 'getSteering':
      return inputs.playlistToken ? { token: inputs.playlistToken, _HLS_pathway: 'edge-a' } : null;
    default:
      return null;
  }
}

function pathParameterValue(name: string): string {
  const known: Record<string, string> = {
    profileId: IDS.profileId,
    titleId: IDS.titleId,
    sessionId: IDS.sessionId,
    jobId: IDS.jobId,
  };
  return known[name] ?? `${name}-bench`;
}

/** An API Gateway REST API (v1) Lambda proxy event. */
function proxyEvent(
  functionId: string,
  route: RouteInfo,
  inputs: EventInputs,
): { event: unknown; known: boolean } {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
  const pathParameters = Object.fromEntries(names.map((n) => [n, pathParameterValue(n)]));
  const path = route.path.replace(/\{(\w+)\}/g, (_, n: string) => pathParameterValue(n));
  const body = bodyOf(functionId);
  const query = queryOf(functionId, inputs);
  const headers: Record<string, string> = {
    Host: API_HOST,
    'User-Agent': 'Mozilla/5.0 (bench)',
    Accept: 'application/json',
    'CloudFront-Viewer-Country': 'US',
    'X-Forwarded-Proto': 'https',
    'X-Forwarded-For': '203.0.113.7',
    ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    ...(route.auth === 'none' ? {} : { Authorization: inputs.accessToken }),
  };
  const authorizer =
    route.auth === 'none'
      ? undefined
      : {
          principalId: IDS.accountId,
          accountId: IDS.accountId,
          email: 'bench@example.com',
          country: 'US',
          isAdmin: String(route.auth === 'admin'),
          integrationLatency: 12,
        };
  const event = {
    resource: route.path,
    path,
    httpMethod: route.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query,
    multiValueQueryStringParameters: query
      ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]]))
      : null,
    pathParameters: names.length > 0 ? pathParameters : null,
    stageVariables: null,
    requestContext: {
      accountId: inputs.account,
      apiId: API_HOST.split('.')[0],
      ...(authorizer ? { authorizer } : {}),
      domainName: API_HOST,
      domainPrefix: API_HOST.split('.')[0],
      httpMethod: route.method,
      identity: { sourceIp: '203.0.113.7', userAgent: 'Mozilla/5.0 (bench)' },
      path: `/${STAGE}${path}`,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTime: new Date().toUTCString(),
      requestTimeEpoch: Date.now(),
      resourceId: 'abc123',
      resourcePath: route.path,
      stage: STAGE,
    },
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
  };
  const needsBody = ['POST', 'PUT', 'PATCH'].includes(route.method) && functionId !== 'playbackHeartbeat';
  return { event, known: body !== undefined || !needsBody };
}

/** A 90-minute 1080p source as ValidateSource describes it: the pipeline steps' probe. */
export const PROBE = {
  container: 'MPEG-4',
  durationSec: 5400,
  sizeBytes: 4_000_000_000,
  video: {
    codec: 'AVC',
    width: 1920,
    height: 1080,
    displayWidth: 1920,
    displayHeight: 1080,
    rotation: 0,
    frameRate: 24,
    bitDepth: 8,
  },
  audio: { codec: 'AAC', channels: 2, sampleRate: 48000 },
} as const;

const ASSET = {
  assetId: IDS.jobId,
  titleId: IDS.titleId,
  manifestKey: `media/${IDS.titleId}/${IDS.jobId}/hls/main.m3u8`,
  durationSec: 5400,
  renditions: [
    {
      name: '720p',
      width: 1280,
      height: 720,
      bandwidth: 4_500_000,
      playlistKey: `media/${IDS.titleId}/${IDS.jobId}/hls/main_720p.m3u8`,
    },
  ],
  audio: true,
  captions: [],
  posterKey: `media/${IDS.titleId}/${IDS.jobId}/poster/poster.0000000.jpg`,
  thumbnails: { intervalSec: 10, keys: [`media/${IDS.titleId}/${IDS.jobId}/thumbnails/thumbs.0000000.jpg`] },
};

function scheduledEvent(inputs: EventInputs, rule: string): unknown {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: inputs.account,
    time: NOW(),
    region: inputs.region,
    resources: [`arn:aws:events:${inputs.region}:${inputs.account}:rule/${rule}`],
    detail: {},
  };
}

function eventBridgeEvent(inputs: EventInputs, source: string, detailType: string, detail: unknown): unknown {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source,
    account: inputs.account,
    time: NOW(),
    region: inputs.region,
    resources: [],
    detail,
  };
}

/** The event of a function that no route serves, or `undefined` if this file does not know it. */
function ownEvent(functionId: string, inputs: EventInputs): unknown {
  const source = { bucket: 'showrunner-data-ingestbucket', key: `sources/${IDS.jobId}/bench.mp4` };
  const outputPrefix = `media/${IDS.titleId}/${IDS.jobId}/`;
  switch (functionId) {
    case 'authorizer':
      return {
        type: 'TOKEN',
        authorizationToken: inputs.accessToken,
        methodArn: `arn:aws:execute-api:${inputs.region}:${inputs.account}:abc123defg/${STAGE}/GET/v1/me`,
      };
    case 'profilesInternal':
      return { op: 'getProfile', accountId: IDS.accountId, profileId: IDS.profileId };
    case 'catalogInternal':
      return { op: 'describeTitles', titleIds: [IDS.titleId], country: 'US', maturity: 'adult' };
    case 'subscriptionsInternal':
      return { op: 'getEntitlement', accountId: IDS.accountId };
    case 'historyInternal':
      return {
        op: 'resumePosition',
        accountId: IDS.accountId,
        profileId: IDS.profileId,
        titleId: IDS.titleId,
      };
    case 'attachAsset':
      return eventBridgeEvent(inputs, 'showrunner.media', 'Asset Published', {
        jobId: IDS.jobId,
        titleId: IDS.titleId,
        asset: ASSET,
      });
    case 'recordProgress':
      return eventBridgeEvent(inputs, 'aws.mediaconvert', 'MediaConvert Job State Change', {
        status: 'STATUS_UPDATE',
        userMetadata: { showrunnerJobId: IDS.jobId },
        jobProgress: { jobPercentComplete: 42 },
      });
    case 'renewSubscriptions':
      return scheduledEvent(inputs, 'Showrunner-RenewSubscriptions');
    case 'sweepRevocations':
      return scheduledEvent(inputs, 'Showrunner-SweepRevocations');
    case 'prepositionSchedule':
      return scheduledEvent(inputs, 'Showrunner-PrepositionSchedule');
    case 'provisionEdgeKeys':
      // Invoked directly (a rotation step), not as a CloudFormation custom resource.
      return {};
    case 'validateSource':
      return { jobId: IDS.jobId, source };
    case 'planEncode':
      return { jobId: IDS.jobId, source, probe: PROBE };
    case 'verifyOutputs':
      return {
        jobId: IDS.jobId,
        probe: PROBE,
        plan: { titleId: IDS.titleId, assetId: IDS.jobId, outputPrefix, settings: inputs.jobSettings ?? {} },
      };
    case 'publishAsset':
      return { jobId: IDS.jobId, asset: ASSET };
    case 'discardOutputs':
      return {
        jobId: IDS.jobId,
        error: { Error: 'OUTPUT_MISSING', Cause: '{"errorType":"PipelineError","errorMessage":"bench"}' },
        plan: { outputPrefix },
      };
    default:
      return undefined;
  }
}

export function benchEvent(functionId: string, inputs: EventInputs): BenchEvent {
  if (inputs.route) {
    const { event, known } = proxyEvent(functionId, inputs.route, inputs);
    return { event, kind: known ? 'route' : 'route, no body' };
  }
  const own = ownEvent(functionId, inputs);
  return own === undefined ? { event: {}, kind: 'generic {}' } : { event: own, kind: 'own' };
}

/** An RS256 Cognito-shaped access token for the authorizer, and the JWKS that verifies it. */
export async function cognitoAccessToken(options: {
  region: string;
  userPoolId: string;
  clientId: string;
}): Promise<{ bearer: string; jwks: unknown }> {
  const { generateKeyPairSync } = await import('node:crypto');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'bench-key-1';
  const issuer = `https://cognito-idp.${options.region}.amazonaws.com/${options.userPoolId}`;
  const token = await new SignJWT({
    token_use: 'access',
    client_id: options.clientId,
    username: IDS.accountId,
    scope: 'aws.cognito.signin.user.admin',
  })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(issuer)
    .setSubject(IDS.accountId)
    .setIssuedAt()
    .setExpirationTime('1h')
    .setJti(randomUUID())
    .sign(privateKey);
  const jwk = publicKey.export({ format: 'jwk' });
  return { bearer: `Bearer ${token}`, jwks: { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] } };
}
