/**
 * The HTTP API, declared once: CDK builds API Gateway resources and methods from it, the local
 * gateway routes with it, the OpenAPI document is generated from it, every route handler's
 * middleware chain is built from it (`routeHandler` in `#shared/route-handler.ts`), and tests
 * enumerate it. A route names its function, who may call it, the schemas of its path, query,
 * body and answer, and the errors it answers beyond those every route of its kind may.
 */
import {
  adminTitleSchema,
  createTitleRequestSchema,
  createTitleResponseSchema,
  getTitleQuerySchema,
  listTitlesQuerySchema,
  titleListSchema,
  titleViewSchema,
  updateTitleRequestSchema,
} from './api/catalog.ts';
import { emptySchema, profileIdSchema, titleIdSchema } from './api/common.ts';
import {
  discoveryProfileQuerySchema,
  homeSchema,
  recommendationsSchema,
  searchQuerySchema,
  searchResultsSchema,
  top10Schema,
} from './api/discovery.ts';
import {
  continueWatchingSchema,
  heartbeatRequestSchema,
  historyEntrySchema,
  historyPageSchema,
  historyQuerySchema,
} from './api/history.ts';
import {
  jwksSchema,
  loginRequestSchema,
  meResponseSchema,
  refreshRequestSchema,
  signupRequestSchema,
  signupResponseSchema,
  tokensResponseSchema,
} from './api/identity.ts';
import { healthSchema, openApiDocumentSchema } from './api/platform.ts';
import {
  playbackHeartbeatResponseSchema,
  playlistQuerySchema,
  prepositionReportSchema,
  prepositionRequestSchema,
  sessionIdSchema,
  startPlaybackRequestSchema,
  startPlaybackResponseSchema,
  steeringManifestSchema,
  steeringQuerySchema,
} from './api/playback.ts';
import {
  createProfileRequestSchema,
  profileListSchema,
  profileSchema,
  updateProfileRequestSchema,
} from './api/profiles.ts';
import { putSubscriptionRequestSchema, subscriptionSchema } from './api/subscriptions.ts';
import type { FunctionId } from './functions.ts';
import {
  completeUploadRequestSchema,
  completeUploadResponseSchema,
  createUploadRequestSchema,
  createUploadResponseSchema,
  jobIdSchema,
  jobListSchema,
  jobViewSchema,
} from './jobs.ts';
import * as z from './zod.ts';

/**
 * `none`: public. `user`: a valid access token (the authorizer runs). `admin`: a valid token of
 * a member of the admin group; anyone else gets 403.
 */
export type RouteAuth = 'none' | 'user' | 'admin';

/** Statuses a route may answer with the house error body. */
export type ErrorStatus = 400 | 401 | 402 | 403 | 404 | 409 | 413 | 429 | 503;

export interface RouteResponse {
  readonly status: number;
  /** The body's schema; `null`: no body (204). */
  readonly schema: z.core.$ZodType | null;
  /** @default 'application/json; charset=utf-8' (a `string` body is sent as is otherwise) */
  readonly contentType?: string;
  /** Headers every answer of the route carries (caching, CORS). @default { 'cache-control': 'no-store' } */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * An answer that is the same for every viewer of a country may be kept by shared caches: these
   * headers are added unless the query names one of `personalWith` (a profile makes it personal).
   */
  readonly sharedCache?: {
    readonly headers: Readonly<Record<string, string>>;
    readonly personalWith: readonly string[];
  };
}

export interface RouteDeclaration {
  /** The function that serves it (one function per route). */
  readonly function: FunctionId;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway path syntax: `/v1/admin/jobs/{jobId}`. */
  readonly path: string;
  readonly auth: RouteAuth;
  /** One line for the OpenAPI document. */
  readonly summary: string;
  /** The path parameters: an object whose keys are exactly the path's `{placeholders}`. */
  readonly params?: z.core.$ZodType;
  /** The query string (absent means `{}`). */
  readonly query?: z.core.$ZodType;
  /** The JSON body; a route without one refuses a body. */
  readonly body?: z.core.$ZodType;
  /**
   * The error code of a body whose first bad field is under one of these top-level fields.
   * @default 'INVALID_REQUEST' for every field
   */
  readonly bodyErrorCodes?: Readonly<Record<string, string>>;
  readonly response: RouteResponse;
  /**
   * Errors the route itself answers, with when. The chain adds those of its kind: 400 for a route
   * with input, 401 for signed-in routes, 403 for admin routes, 413 for routes with a body.
   */
  readonly errors: Partial<Readonly<Record<ErrorStatus, string>>>;
  /** A business metric counted once per successful answer (CloudWatch EMF, `Count`). */
  readonly countAs?: string;
  /**
   * A part of the platform the route cannot work without. `edge`: the delivery edge (signing
   * key, pathways, revocations), which the embedded platform has and the AWS target gets with the
   * edge stack; a stack leaves out routes its target cannot serve.
   */
  readonly requires?: 'edge';
}

/** A route as declared below, keyed by its function. */
export type RouteShape = Omit<RouteDeclaration, 'function'>;

const NO_BODY = { status: 204, schema: null } as const;
const profileParams = z.strictObject({ profileId: profileIdSchema });
const titleParams = z.strictObject({ titleId: titleIdSchema });
const sessionParams = z.strictObject({ sessionId: sessionIdSchema });
const jobParams = z.strictObject({ jobId: jobIdSchema });
/** Public, cacheable JSON. */
const PUBLIC_5_MIN = { 'cache-control': 'public, max-age=300' } as const;
/** The same for every viewer of a country unless a profile is named: shared caches may keep it 5 minutes. */
const SAME_PER_COUNTRY = {
  headers: {
    'cache-control': 'public, max-age=300',
    vary: 'Authorization, CloudFront-Viewer-Country, X-Viewer-Country',
  },
  personalWith: ['profileId'],
} as const;
/** Players on any origin (the web app, other hosts) fetch it without credentials. */
const ANY_ORIGIN = { 'access-control-allow-origin': '*' } as const;

/** Every route, by the function that serves it (one function per route). */
export const ROUTE_DECLARATIONS = {
  // platform
  health: {
    method: 'GET',
    path: '/v1/health',
    auth: 'none',
    summary: 'Liveness and target',
    response: { status: 200, schema: healthSchema },
    errors: {},
  },
  openapi: {
    method: 'GET',
    path: '/v1/openapi.json',
    auth: 'none',
    summary: 'This document',
    response: { status: 200, schema: openApiDocumentSchema, headers: PUBLIC_5_MIN },
    errors: {},
  },

  // identity
  signup: {
    method: 'POST',
    path: '/v1/auth/signup',
    auth: 'none',
    summary: 'Create an account',
    body: signupRequestSchema,
    response: { status: 201, schema: signupResponseSchema },
    errors: { 400: 'WEAK_PASSWORD, or an invalid field', 409: 'EMAIL_TAKEN' },
    countAs: 'SignUp',
  },
  login: {
    method: 'POST',
    path: '/v1/auth/login',
    auth: 'none',
    summary: 'Exchange email and password for tokens',
    body: loginRequestSchema,
    response: { status: 200, schema: tokensResponseSchema },
    errors: { 401: 'INVALID_CREDENTIALS' },
  },
  refreshToken: {
    method: 'POST',
    path: '/v1/auth/refresh',
    auth: 'none',
    summary: 'Exchange a refresh token for new tokens',
    body: refreshRequestSchema,
    response: { status: 200, schema: tokensResponseSchema },
    errors: { 401: 'INVALID_REFRESH_TOKEN' },
  },
  jwks: {
    method: 'GET',
    path: '/v1/auth/jwks.json',
    auth: 'none',
    summary: 'Public keys that verify access tokens',
    response: { status: 200, schema: jwksSchema, headers: PUBLIC_5_MIN },
    errors: {},
  },
  getMe: {
    method: 'GET',
    path: '/v1/me',
    auth: 'user',
    summary: 'The signed-in account',
    response: { status: 200, schema: meResponseSchema },
    errors: { 404: 'ACCOUNT_NOT_FOUND: the account no longer exists' },
  },

  // profiles
  listProfiles: {
    method: 'GET',
    path: '/v1/profiles',
    auth: 'user',
    summary: "The account's profiles",
    query: emptySchema,
    response: { status: 200, schema: profileListSchema },
    errors: {},
  },
  createProfile: {
    method: 'POST',
    path: '/v1/profiles',
    auth: 'user',
    summary: 'Add a profile (at most 5)',
    body: createProfileRequestSchema,
    response: { status: 201, schema: profileSchema },
    errors: { 409: 'PROFILE_LIMIT_REACHED' },
  },
  updateProfile: {
    method: 'PATCH',
    path: '/v1/profiles/{profileId}',
    auth: 'user',
    summary: 'Rename or change a profile',
    params: profileParams,
    body: updateProfileRequestSchema,
    response: { status: 200, schema: profileSchema },
    errors: { 404: 'PROFILE_NOT_FOUND (also for another account’s profile)' },
  },
  deleteProfile: {
    method: 'DELETE',
    path: '/v1/profiles/{profileId}',
    auth: 'user',
    summary: 'Remove a profile',
    params: profileParams,
    response: NO_BODY,
    errors: { 404: 'PROFILE_NOT_FOUND' },
  },

  // subscriptions
  getSubscription: {
    method: 'GET',
    path: '/v1/subscription',
    auth: 'user',
    summary: "The account's plan and status",
    response: { status: 200, schema: subscriptionSchema },
    errors: { 404: 'SUBSCRIPTION_NOT_FOUND' },
  },
  putSubscription: {
    method: 'PUT',
    path: '/v1/subscription',
    auth: 'user',
    summary: 'Subscribe, change plan or card (402 when declined)',
    body: putSubscriptionRequestSchema,
    bodyErrorCodes: { card: 'INVALID_CARD' },
    response: { status: 200, schema: subscriptionSchema },
    errors: {
      400: 'INVALID_CARD, CARD_REQUIRED, or an invalid field',
      402: 'PAYMENT_DECLINED',
      409: 'PAYMENT_IN_PROGRESS, SUBSCRIPTION_CONFLICT: a concurrent change; try again',
    },
    countAs: 'SubscriptionChange',
  },

  // catalog
  listTitles: {
    method: 'GET',
    path: '/v1/titles',
    auth: 'user',
    summary: "Movies and series live in the viewer's country",
    query: listTitlesQuerySchema,
    response: { status: 200, schema: titleListSchema },
    errors: { 400: 'INVALID_CURSOR, INVALID_QUERY', 404: 'PROFILE_NOT_FOUND (?profileId=)' },
  },
  getTitle: {
    method: 'GET',
    path: '/v1/titles/{titleId}',
    auth: 'user',
    summary: 'One title (a series with its episodes)',
    params: titleParams,
    query: getTitleQuerySchema,
    response: { status: 200, schema: titleViewSchema },
    errors: { 404: 'TITLE_NOT_FOUND (or not visible here), PROFILE_NOT_FOUND' },
  },
  createTitle: {
    method: 'POST',
    path: '/v1/admin/titles',
    auth: 'admin',
    summary: 'Create a title',
    body: createTitleRequestSchema,
    response: { status: 201, schema: createTitleResponseSchema },
    errors: {
      400: 'SERIES_NOT_FOUND (an episode of an unknown series), or an invalid field',
      409: 'EPISODE_EXISTS (that season and episode number of the series)',
    },
  },
  updateTitle: {
    method: 'PATCH',
    path: '/v1/admin/titles/{titleId}',
    auth: 'admin',
    summary: 'Edit a title and its windows',
    params: titleParams,
    body: updateTitleRequestSchema,
    response: { status: 200, schema: adminTitleSchema },
    errors: { 404: 'TITLE_NOT_FOUND' },
  },
  createUpload: {
    method: 'POST',
    path: '/v1/admin/titles/{titleId}/uploads',
    auth: 'admin',
    summary: 'Presigned upload of a source into the pipeline',
    params: titleParams,
    body: createUploadRequestSchema,
    response: { status: 201, schema: createUploadResponseSchema },
    errors: {
      400: 'SOURCE_TOO_LARGE, DUPLICATE_CAPTIONS, NOT_PLAYABLE_KIND (a series), or an invalid field',
      404: 'TITLE_NOT_FOUND',
    },
    countAs: 'UploadCreated',
  },
  listTitleJobs: {
    method: 'GET',
    path: '/v1/admin/titles/{titleId}/jobs',
    auth: 'admin',
    summary: "A title's encode jobs, newest first",
    params: titleParams,
    response: { status: 200, schema: jobListSchema },
    errors: {},
  },
  completeUpload: {
    method: 'POST',
    path: '/v1/admin/uploads/{jobId}/complete',
    auth: 'admin',
    summary: 'Complete a multipart upload',
    params: jobParams,
    body: completeUploadRequestSchema,
    response: { status: 200, schema: completeUploadResponseSchema },
    errors: {
      400: 'INVALID_UPLOAD (S3 refused the parts)',
      404: 'JOB_NOT_FOUND',
      409: 'UPLOAD_ALREADY_COMPLETE',
    },
  },
  getJob: {
    method: 'GET',
    path: '/v1/admin/jobs/{jobId}',
    auth: 'admin',
    summary: 'An encode job: status, progress, reason, manifest',
    params: jobParams,
    response: { status: 200, schema: jobViewSchema },
    errors: { 404: 'JOB_NOT_FOUND' },
  },

  // history
  putHeartbeat: {
    method: 'PUT',
    path: '/v1/profiles/{profileId}/history/{titleId}',
    auth: 'user',
    summary: 'Heartbeat: record a position',
    params: z.extend(profileParams, titleParams.shape),
    body: heartbeatRequestSchema,
    response: { status: 200, schema: historyEntrySchema },
    errors: {
      400: 'INVALID_CLIENT_TS, TITLE_NOT_PLAYABLE (a series), or an invalid field',
      404: 'PROFILE_NOT_FOUND, TITLE_NOT_FOUND',
    },
  },
  listHistory: {
    method: 'GET',
    path: '/v1/profiles/{profileId}/history',
    auth: 'user',
    summary: 'Viewing history, newest first',
    params: profileParams,
    query: historyQuerySchema,
    response: { status: 200, schema: historyPageSchema },
    errors: { 400: 'INVALID_CURSOR, INVALID_QUERY', 404: 'PROFILE_NOT_FOUND' },
  },
  deleteHistory: {
    method: 'DELETE',
    path: '/v1/profiles/{profileId}/history/{titleId}',
    auth: 'user',
    summary: 'Forget a title',
    params: z.extend(profileParams, titleParams.shape),
    response: NO_BODY,
    errors: { 404: 'PROFILE_NOT_FOUND' },
  },
  continueWatching: {
    method: 'GET',
    path: '/v1/profiles/{profileId}/continue-watching',
    auth: 'user',
    summary: 'Started titles and next episodes',
    params: profileParams,
    query: emptySchema,
    response: { status: 200, schema: continueWatchingSchema },
    errors: { 404: 'PROFILE_NOT_FOUND' },
  },

  // discovery
  getTop10: {
    method: 'GET',
    path: '/v1/top10',
    auth: 'user',
    summary: "Top 10 in the viewer's country over the last 7 days",
    query: discoveryProfileQuerySchema,
    response: { status: 200, schema: top10Schema, sharedCache: SAME_PER_COUNTRY },
    errors: { 404: 'PROFILE_NOT_FOUND (?profileId=)' },
  },
  searchTitles: {
    method: 'GET',
    path: '/v1/search',
    auth: 'user',
    summary: 'Search titles by name, synopsis, cast and genre (typo-tolerant, prefixes, accents)',
    query: searchQuerySchema,
    response: { status: 200, schema: searchResultsSchema, sharedCache: SAME_PER_COUNTRY },
    errors: {
      400: 'INVALID_QUERY (empty or longer than 200 characters)',
      404: 'PROFILE_NOT_FOUND (?profileId=)',
    },
  },
  getRecommendations: {
    method: 'GET',
    path: '/v1/profiles/{profileId}/recommendations',
    auth: 'user',
    summary: 'Titles recommended for the profile, with reasons',
    params: profileParams,
    query: emptySchema,
    response: { status: 200, schema: recommendationsSchema },
    errors: { 404: 'PROFILE_NOT_FOUND' },
  },
  getHome: {
    method: 'GET',
    path: '/v1/profiles/{profileId}/home',
    auth: 'user',
    summary: 'The home page rows; says which dependencies were degraded',
    params: profileParams,
    query: emptySchema,
    response: { status: 200, schema: homeSchema },
    errors: { 404: 'PROFILE_NOT_FOUND' },
  },

  // playback
  startPlayback: {
    method: 'POST',
    path: '/v1/playback',
    auth: 'user',
    summary: 'Start playback: a session and its manifest URL',
    body: startPlaybackRequestSchema,
    response: { status: 201, schema: startPlaybackResponseSchema },
    errors: {
      402: 'PAYMENT_PAST_DUE: the subscription is past due beyond its grace',
      403: 'NO_SUBSCRIPTION, SUBSCRIPTION_CANCELED',
      404: 'PROFILE_NOT_FOUND, TITLE_NOT_FOUND (or not visible here, or above the profile’s maturity)',
      409: 'STREAM_LIMIT_REACHED, TITLE_NOT_PLAYABLE, NO_PLAYABLE_RENDITION (none fits the plan and device)',
      503: 'EDGE_NOT_READY (the delivery edge is not deployed yet), STREAM_CLAIM_CONTENDED (retry)',
    },
    countAs: 'PlaybackStarted',
    requires: 'edge',
  },
  getMasterPlaylist: {
    method: 'GET',
    path: '/v1/playback/{sessionId}/master.m3u8',
    auth: 'none',
    summary: "The session's HLS master playlist (authorized by ?token=)",
    params: sessionParams,
    query: playlistQuerySchema,
    response: {
      status: 200,
      schema: z.string(),
      contentType: 'application/vnd.apple.mpegurl',
      // Per session and carrying tokens: no shared cache may keep it.
      headers: { 'cache-control': 'private, no-store', ...ANY_ORIGIN },
    },
    errors: {
      403: 'INVALID_TOKEN, TOKEN_EXPIRED, SESSION_ENDED',
      404: 'SESSION_NOT_FOUND',
      503: 'EDGE_NOT_READY',
    },
    requires: 'edge',
  },
  playbackHeartbeat: {
    method: 'POST',
    path: '/v1/playback/{sessionId}/heartbeat',
    auth: 'user',
    summary: 'Keep a playback session open',
    params: sessionParams,
    response: { status: 200, schema: playbackHeartbeatResponseSchema },
    errors: { 404: 'SESSION_NOT_FOUND (or ended, or another account’s)' },
    requires: 'edge',
  },
  endPlayback: {
    method: 'DELETE',
    path: '/v1/playback/{sessionId}',
    auth: 'user',
    summary: 'End a playback session',
    params: sessionParams,
    response: NO_BODY,
    errors: { 404: 'SESSION_NOT_FOUND', 503: 'EDGE_NOT_READY' },
    requires: 'edge',
  },
  getSteering: {
    method: 'GET',
    path: '/v1/steering/{sessionId}',
    auth: 'none',
    summary: 'HLS Content Steering manifest (authorized by ?token=)',
    params: sessionParams,
    query: steeringQuerySchema,
    response: {
      status: 200,
      schema: steeringManifestSchema,
      headers: { 'cache-control': 'no-store', ...ANY_ORIGIN },
    },
    errors: { 403: 'INVALID_TOKEN, TOKEN_EXPIRED', 503: 'EDGE_NOT_READY' },
    requires: 'edge',
  },
  prepositionTitles: {
    method: 'POST',
    path: '/v1/admin/edge/preposition',
    auth: 'admin',
    summary:
      "Fill the edges now with the opening of the most popular titles (the scheduled job's work, on demand)",
    body: prepositionRequestSchema,
    response: { status: 200, schema: prepositionReportSchema },
    errors: { 503: 'EDGE_NOT_READY' },
    requires: 'edge',
  },
} as const satisfies Partial<Record<FunctionId, RouteShape>>;

/** The functions that serve a route. */
export type RoutedFunctionId = keyof typeof ROUTE_DECLARATIONS;

/** Every route, in declaration order. */
export const ROUTES: readonly RouteDeclaration[] = (
  Object.entries(ROUTE_DECLARATIONS) as [RoutedFunctionId, RouteShape][]
).map(([fn, shape]) => ({ ...shape, function: fn }));

/** The `{placeholders}` of a route's path, in order. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
}

/** Bodies above this are refused before a handler sees them (API Gateway's own limit is 10 MB). */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * Answers API Gateway gives before any function runs, in the house error shape. CDK sets them
 * as gateway responses; the local gateway answers with the same.
 */
export const GATEWAY_ERRORS = {
  UNAUTHORIZED: { status: 401, code: 'UNAUTHORIZED', message: 'A valid bearer access token is required.' },
  ACCESS_DENIED: { status: 403, code: 'FORBIDDEN', message: 'This route is for administrators only.' },
  ROUTE_NOT_FOUND: { status: 404, code: 'ROUTE_NOT_FOUND', message: 'No such route.' },
  THROTTLED: { status: 429, code: 'THROTTLED', message: 'Too many requests: slow down and retry.' },
} as const;
