/**
 * The HTTP API, declared once: CDK builds API Gateway resources and methods from it, the local
 * gateway routes with it, the OpenAPI document is generated from it, tests enumerate it.
 */
import type { z } from 'zod';
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
import {
  continueWatchingSchema,
  heartbeatRequestSchema,
  historyEntrySchema,
  historyPageSchema,
  historyQuerySchema,
} from './api/history.ts';
import {
  loginRequestSchema,
  meResponseSchema,
  refreshRequestSchema,
  signupRequestSchema,
  signupResponseSchema,
  tokensResponseSchema,
} from './api/identity.ts';
import {
  playbackHeartbeatResponseSchema,
  playlistQuerySchema,
  prepositionReportSchema,
  prepositionRequestSchema,
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
import { completeUploadRequestSchema, createUploadRequestSchema } from './jobs.ts';

/**
 * `none`: public. `user`: a valid access token (the authorizer runs). `admin`: a valid token of
 * a member of the admin group; anyone else gets 403.
 */
export type RouteAuth = 'none' | 'user' | 'admin';

export interface RouteDeclaration {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway path syntax: `/v1/admin/jobs/{jobId}`. */
  readonly path: string;
  readonly function: FunctionId;
  readonly auth: RouteAuth;
  /** One line for the OpenAPI document. */
  readonly summary: string;
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  /** Success status and body (`null`: no body). */
  readonly response: { readonly status: number; readonly schema: z.ZodType | null };
  /**
   * A part of the platform the route cannot work without. `edge`: the delivery edge (signing
   * key, pathways, revocations), which the embedded platform has and the AWS and LocalStack
   * targets get with the edge stack; a stack leaves out routes its target cannot serve.
   */
  readonly requires?: 'edge';
}

export const ROUTES = [
  // platform
  r('GET', '/v1/health', 'health', 'none', 'Liveness and target', { status: 200, schema: null }),
  r('GET', '/v1/openapi.json', 'openapi', 'none', 'This document', { status: 200, schema: null }),
  // identity
  r(
    'POST',
    '/v1/auth/signup',
    'signup',
    'none',
    'Create an account',
    { status: 201, schema: signupResponseSchema },
    {
      body: signupRequestSchema,
    },
  ),
  r(
    'POST',
    '/v1/auth/login',
    'login',
    'none',
    'Exchange email and password for tokens',
    {
      status: 200,
      schema: tokensResponseSchema,
    },
    { body: loginRequestSchema },
  ),
  r(
    'POST',
    '/v1/auth/refresh',
    'refreshToken',
    'none',
    'Exchange a refresh token for new tokens',
    {
      status: 200,
      schema: tokensResponseSchema,
    },
    { body: refreshRequestSchema },
  ),
  r('GET', '/v1/auth/jwks.json', 'jwks', 'none', 'Public keys that verify access tokens', {
    status: 200,
    schema: null,
  }),
  r('GET', '/v1/me', 'getMe', 'user', 'The signed-in account', { status: 200, schema: meResponseSchema }),
  // profiles
  r('GET', '/v1/profiles', 'listProfiles', 'user', "The account's profiles", {
    status: 200,
    schema: profileListSchema,
  }),
  r(
    'POST',
    '/v1/profiles',
    'createProfile',
    'user',
    'Add a profile (at most 5)',
    { status: 201, schema: profileSchema },
    {
      body: createProfileRequestSchema,
    },
  ),
  r(
    'PATCH',
    '/v1/profiles/{profileId}',
    'updateProfile',
    'user',
    'Rename or change a profile',
    {
      status: 200,
      schema: profileSchema,
    },
    { body: updateProfileRequestSchema },
  ),
  r('DELETE', '/v1/profiles/{profileId}', 'deleteProfile', 'user', 'Remove a profile', {
    status: 204,
    schema: null,
  }),
  // subscriptions
  r('GET', '/v1/subscription', 'getSubscription', 'user', "The account's plan and status", {
    status: 200,
    schema: subscriptionSchema,
  }),
  r(
    'PUT',
    '/v1/subscription',
    'putSubscription',
    'user',
    'Subscribe, change plan or card (402 when declined)',
    {
      status: 200,
      schema: subscriptionSchema,
    },
    { body: putSubscriptionRequestSchema },
  ),
  // catalog
  r(
    'GET',
    '/v1/titles',
    'listTitles',
    'user',
    "Movies and series live in the viewer's country",
    {
      status: 200,
      schema: titleListSchema,
    },
    { query: listTitlesQuerySchema },
  ),
  r(
    'GET',
    '/v1/titles/{titleId}',
    'getTitle',
    'user',
    'One title (a series with its episodes)',
    {
      status: 200,
      schema: titleViewSchema,
    },
    { query: getTitleQuerySchema },
  ),
  r(
    'POST',
    '/v1/admin/titles',
    'createTitle',
    'admin',
    'Create a title',
    { status: 201, schema: createTitleResponseSchema },
    {
      body: createTitleRequestSchema,
    },
  ),
  r(
    'PATCH',
    '/v1/admin/titles/{titleId}',
    'updateTitle',
    'admin',
    'Edit a title and its windows',
    {
      status: 200,
      schema: adminTitleSchema,
    },
    { body: updateTitleRequestSchema },
  ),
  r(
    'POST',
    '/v1/admin/titles/{titleId}/uploads',
    'createUpload',
    'admin',
    'Presigned upload of a source into the pipeline',
    {
      status: 201,
      schema: null,
    },
    { body: createUploadRequestSchema },
  ),
  r(
    'GET',
    '/v1/admin/titles/{titleId}/jobs',
    'listTitleJobs',
    'admin',
    "A title's encode jobs, newest first",
    {
      status: 200,
      schema: null,
    },
  ),
  r(
    'POST',
    '/v1/admin/uploads/{jobId}/complete',
    'completeUpload',
    'admin',
    'Complete a multipart upload',
    {
      status: 200,
      schema: null,
    },
    { body: completeUploadRequestSchema },
  ),
  r('GET', '/v1/admin/jobs/{jobId}', 'getJob', 'admin', 'An encode job: status, progress, reason, manifest', {
    status: 200,
    schema: null,
  }),
  // history
  r(
    'PUT',
    '/v1/profiles/{profileId}/history/{titleId}',
    'putHeartbeat',
    'user',
    'Heartbeat: record a position',
    {
      status: 200,
      schema: historyEntrySchema,
    },
    { body: heartbeatRequestSchema },
  ),
  r(
    'GET',
    '/v1/profiles/{profileId}/history',
    'listHistory',
    'user',
    'Viewing history, newest first',
    {
      status: 200,
      schema: historyPageSchema,
    },
    { query: historyQuerySchema },
  ),
  r('DELETE', '/v1/profiles/{profileId}/history/{titleId}', 'deleteHistory', 'user', 'Forget a title', {
    status: 204,
    schema: null,
  }),
  r(
    'GET',
    '/v1/profiles/{profileId}/continue-watching',
    'continueWatching',
    'user',
    'Started titles and next episodes',
    {
      status: 200,
      schema: continueWatchingSchema,
    },
  ),
  // playback
  r(
    'POST',
    '/v1/playback',
    'startPlayback',
    'user',
    'Start playback: a session and its manifest URL (402/403 by plan, 409 STREAM_LIMIT_REACHED)',
    { status: 201, schema: startPlaybackResponseSchema },
    { body: startPlaybackRequestSchema, requires: 'edge' },
  ),
  r(
    'GET',
    '/v1/playback/{sessionId}/master.m3u8',
    'getMasterPlaylist',
    'none',
    "The session's HLS master playlist (authorized by ?token=)",
    { status: 200, schema: null },
    { query: playlistQuerySchema, requires: 'edge' },
  ),
  r(
    'POST',
    '/v1/playback/{sessionId}/heartbeat',
    'playbackHeartbeat',
    'user',
    'Keep a playback session open',
    { status: 200, schema: playbackHeartbeatResponseSchema },
    { requires: 'edge' },
  ),
  r(
    'DELETE',
    '/v1/playback/{sessionId}',
    'endPlayback',
    'user',
    'End a playback session',
    { status: 204, schema: null },
    { requires: 'edge' },
  ),
  r(
    'GET',
    '/v1/steering/{sessionId}',
    'getSteering',
    'none',
    'HLS Content Steering manifest (authorized by ?token=)',
    { status: 200, schema: steeringManifestSchema },
    { query: steeringQuerySchema, requires: 'edge' },
  ),
  r(
    'POST',
    '/v1/admin/edge/preposition',
    'prepositionTitles',
    'admin',
    "Fill the edges now with the opening of the most popular titles (the scheduled job's work, on demand)",
    { status: 200, schema: prepositionReportSchema },
    { body: prepositionRequestSchema, requires: 'edge' },
  ),
] as const satisfies readonly RouteDeclaration[];

function r(
  method: RouteDeclaration['method'],
  path: string,
  fn: FunctionId,
  auth: RouteAuth,
  summary: string,
  response: RouteDeclaration['response'],
  extra: { body?: z.ZodType; query?: z.ZodType; requires?: 'edge' } = {},
): RouteDeclaration {
  return { method, path, function: fn, auth, summary, response, ...extra };
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
