/**
 * Every Lambda function, declared once: CDK builds each with the house construct and tags it
 * with its id; the local platform finds the function by that tag in the synthesized template,
 * and routes name their function by id. What a control-plane function may touch is declared
 * here too (`tables`, `invokes`): the stack turns it into environment variables and
 * least-privilege grants, so a handler's needs and its rights sit side by side.
 */
import type { z } from 'zod';
import {
  catalogInternalRequestSchema,
  historyInternalRequestSchema,
  profilesInternalRequestSchema,
  subscriptionsInternalRequestSchema,
} from './internal.ts';
import type { TableId } from './tables.ts';

/** `read`: GetItem, BatchGetItem, Query (table and its indexes). `write`: read plus Put/Update/Delete and transactions. */
export type TableAccess = 'read' | 'write';

export interface FunctionDeclaration {
  /** Source file, relative to the repository root. */
  readonly entry: string;
  /** Memory in MB. @default 512 */
  readonly memorySize?: number;
  /** Timeout in seconds. @default 10 */
  readonly timeoutSec?: number;
  /** Invoked asynchronously (EventBridge, S3): gets a dead-letter queue. @default false */
  readonly async?: boolean;
  readonly description: string;
  /** Tables of its own service it uses, and how. @default {} */
  readonly tables?: Partial<Record<TableId, TableAccess>>;
  /** Internal functions of other services it invokes (Lambda `Invoke` on exactly those). @default [] */
  readonly invokes?: readonly string[];
  /**
   * What of the delivery edge it uses (targets with an edge only): `pathways` (the edges' base
   * URLs, for manifests and steering), `keys` (signs edge and playlist tokens), `revocations`
   * (writes and sweeps revoked sessions in the edge KeyValueStore). The stack turns each into
   * environment variables and grants for the target's edge. @default []
   */
  readonly edge?: readonly EdgeNeed[];
  /** Reads published media (`media/` in the media bucket): playlists to build manifests from. */
  readonly media?: 'read';
  /**
   * Where its AWS SDK comes from: `runtime` (the copy in the Lambda runtime, left out of the
   * bundle) or `bundled` (the locked versions, in the bundle). Functions that write the edge
   * KeyValueStore need `bundled`: its API is signed with SigV4A, whose pure-JS signer
   * (`@aws-sdk/signature-v4a`) is not in the runtime and registers itself in the SDK's own module
   * state, so it must share one copy of the SDK with the client. @default 'runtime'
   */
  readonly awsSdk?: 'runtime' | 'bundled';
  /**
   * The event's schema (internal functions: the request other services send): the handler chain
   * validates it, so the implementation gets it typed. Routes declare theirs in `routes.ts`.
   */
  readonly event?: z.ZodType;
  /** A business metric counted once per successful invocation (CloudWatch EMF, `Count`). */
  readonly countAs?: string;
}

export type EdgeNeed = 'pathways' | 'keys' | 'revocations';

export const FUNCTIONS = {
  health: {
    entry: 'lambdas/platform/handlers/health.ts',
    description: 'GET /v1/health',
  },
  openapi: {
    entry: 'lambdas/platform/handlers/openapi.ts',
    description: 'GET /v1/openapi.json: the OpenAPI 3 document built from the route declaration',
  },

  // identity
  signup: {
    entry: 'lambdas/identity/handlers/signup.ts',
    description: 'POST /v1/auth/signup',
    tables: { identity: 'write' },
  },
  login: {
    entry: 'lambdas/identity/handlers/login.ts',
    description: 'POST /v1/auth/login',
    tables: { identity: 'write' },
  },
  refreshToken: {
    entry: 'lambdas/identity/handlers/refresh.ts',
    description: 'POST /v1/auth/refresh',
    tables: { identity: 'write' },
  },
  getMe: {
    entry: 'lambdas/identity/handlers/me.ts',
    description: 'GET /v1/me',
    tables: { identity: 'read' },
  },
  jwks: {
    entry: 'lambdas/identity/handlers/jwks.ts',
    description: 'GET /v1/auth/jwks.json: public keys of the token issuer',
    tables: { identity: 'read' },
  },
  authorizer: {
    entry: 'lambdas/identity/handlers/authorizer.ts',
    description: 'API Gateway authorizer: verifies the bearer JWT, admits admins to /v1/admin/*',
    tables: { identity: 'read' },
  },

  // profiles
  listProfiles: {
    entry: 'lambdas/profiles/handlers/list-profiles.ts',
    description: 'GET /v1/profiles',
    tables: { profiles: 'read' },
  },
  createProfile: {
    entry: 'lambdas/profiles/handlers/create-profile.ts',
    description: 'POST /v1/profiles',
    tables: { profiles: 'write' },
  },
  updateProfile: {
    entry: 'lambdas/profiles/handlers/update-profile.ts',
    description: 'PATCH /v1/profiles/{profileId}',
    tables: { profiles: 'write' },
  },
  deleteProfile: {
    entry: 'lambdas/profiles/handlers/delete-profile.ts',
    description: 'DELETE /v1/profiles/{profileId}',
    tables: { profiles: 'write' },
  },
  profilesInternal: {
    entry: 'lambdas/profiles/handlers/internal.ts',
    description: 'Internal: other services ask whose profile this is and its maturity',
    tables: { profiles: 'read' },
    event: profilesInternalRequestSchema,
  },

  // subscriptions
  getSubscription: {
    entry: 'lambdas/subscriptions/handlers/get-subscription.ts',
    description: 'GET /v1/subscription',
    tables: { subscriptions: 'read' },
  },
  putSubscription: {
    entry: 'lambdas/subscriptions/handlers/put-subscription.ts',
    description: 'PUT /v1/subscription: subscribe, change plan, update the card',
    tables: { subscriptions: 'write' },
  },
  renewSubscriptions: {
    entry: 'lambdas/subscriptions/handlers/renew-subscriptions.ts',
    timeoutSec: 300,
    async: true,
    description: 'Scheduled: charges due subscriptions; a failed charge makes the account PAST_DUE',
    tables: { subscriptions: 'write' },
  },
  subscriptionsInternal: {
    entry: 'lambdas/subscriptions/handlers/internal.ts',
    description: 'Internal: what an account may play (plan, streams, height, past-due grace)',
    tables: { subscriptions: 'read' },
    event: subscriptionsInternalRequestSchema,
  },

  // catalog
  listTitles: {
    entry: 'lambdas/catalog/handlers/list-titles.ts',
    description: 'GET /v1/titles',
    tables: { catalog: 'read' },
    invokes: ['profilesInternal'],
  },
  getTitle: {
    entry: 'lambdas/catalog/handlers/get-title.ts',
    description: 'GET /v1/titles/{titleId}',
    tables: { catalog: 'read' },
    invokes: ['profilesInternal'],
  },
  createTitle: {
    entry: 'lambdas/catalog/handlers/create-title.ts',
    description: 'POST /v1/admin/titles',
    tables: { catalog: 'write' },
  },
  updateTitle: {
    entry: 'lambdas/catalog/handlers/update-title.ts',
    description: 'PATCH /v1/admin/titles/{titleId}',
    tables: { catalog: 'write' },
  },
  catalogInternal: {
    entry: 'lambdas/catalog/handlers/internal.ts',
    description: 'Internal: title facts, visibility and next episodes for other services',
    tables: { catalog: 'read' },
    event: catalogInternalRequestSchema,
  },
  attachAsset: {
    entry: 'lambdas/catalog/handlers/attach-asset.ts',
    async: true,
    description: 'Asset Published events -> the title gets its playable asset',
    tables: { catalog: 'write' },
  },

  // history
  putHeartbeat: {
    entry: 'lambdas/history/handlers/put-heartbeat.ts',
    description: 'PUT /v1/profiles/{profileId}/history/{titleId}',
    tables: { history: 'write' },
    invokes: ['profilesInternal', 'catalogInternal'],
  },
  listHistory: {
    entry: 'lambdas/history/handlers/list-history.ts',
    description: 'GET /v1/profiles/{profileId}/history',
    tables: { history: 'read' },
    invokes: ['profilesInternal', 'catalogInternal'],
  },
  deleteHistory: {
    entry: 'lambdas/history/handlers/delete-history.ts',
    description: 'DELETE /v1/profiles/{profileId}/history/{titleId}',
    tables: { history: 'write' },
    invokes: ['profilesInternal'],
  },
  continueWatching: {
    entry: 'lambdas/history/handlers/continue-watching.ts',
    description: 'GET /v1/profiles/{profileId}/continue-watching',
    tables: { history: 'read' },
    invokes: ['profilesInternal', 'catalogInternal'],
  },
  historyInternal: {
    entry: 'lambdas/history/handlers/internal.ts',
    description: 'Internal: where a profile left off in a title (playback resumes there)',
    tables: { history: 'read' },
    event: historyInternalRequestSchema,
  },

  // playback
  startPlayback: {
    entry: 'lambdas/playback/handlers/start-playback.ts',
    description: 'POST /v1/playback: checks profile, title, plan and stream limit, then opens a session',
    tables: { playback: 'write' },
    invokes: ['profilesInternal', 'catalogInternal', 'subscriptionsInternal', 'historyInternal'],
    edge: ['keys'],
    media: 'read',
  },
  getMasterPlaylist: {
    entry: 'lambdas/playback/handlers/master-playlist.ts',
    description: 'GET /v1/playback/{sessionId}/master.m3u8: the per-session master playlist',
    tables: { playback: 'read' },
    edge: ['pathways', 'keys'],
    media: 'read',
  },
  playbackHeartbeat: {
    entry: 'lambdas/playback/handlers/heartbeat.ts',
    description: 'POST /v1/playback/{sessionId}/heartbeat: keeps a session and its stream slot open',
    tables: { playback: 'write' },
  },
  endPlayback: {
    entry: 'lambdas/playback/handlers/end-playback.ts',
    description: 'DELETE /v1/playback/{sessionId}: ends a session and revokes it at the edge',
    tables: { playback: 'write' },
    edge: ['revocations'],
    awsSdk: 'bundled',
  },
  sweepRevocations: {
    entry: 'lambdas/playback/handlers/sweep-revocations.ts',
    timeoutSec: 300,
    async: true,
    description: 'Scheduled, hourly: deletes the edge revocations whose tokens have expired anyway',
    edge: ['revocations'],
    awsSdk: 'bundled',
  },
  provisionEdgeKeys: {
    entry: 'lambdas/playback/handlers/provision-edge-keys.ts',
    timeoutSec: 120,
    // CloudFormation invokes custom resources asynchronously.
    async: true,
    description:
      'Custom resource (edge stack, aws): copies the signing keys from Secrets Manager into the edge KeyValueStore',
    awsSdk: 'bundled',
  },
  getSteering: {
    entry: 'lambdas/playback/handlers/steering.ts',
    description: 'GET /v1/steering/{sessionId}: HLS Content Steering manifest, pathways by edge health',
    edge: ['pathways', 'keys'],
  },
  prepositionTitles: {
    entry: 'lambdas/playback/handlers/preposition.ts',
    // API Gateway gives up on an integration after 29 s: the fill stops in time and says so.
    timeoutSec: 28,
    description: 'POST /v1/admin/edge/preposition: fills the edges with the most popular titles now',
    tables: { playback: 'read' },
    edge: ['pathways', 'keys'],
    media: 'read',
  },
  prepositionSchedule: {
    entry: 'lambdas/playback/handlers/preposition-schedule.ts',
    timeoutSec: 900,
    async: true,
    description: 'Scheduled, off-peak: fills the edges with the opening of the most popular titles',
    tables: { playback: 'read' },
    edge: ['pathways', 'keys'],
    media: 'read',
  },

  // media pipeline
  getJob: {
    entry: 'lambdas/media-pipeline/handlers/get-job.ts',
    description: 'GET /v1/admin/jobs/{jobId}',
  },
  listTitleJobs: {
    entry: 'lambdas/media-pipeline/handlers/list-title-jobs.ts',
    description: 'GET /v1/admin/titles/{titleId}/jobs',
  },
  createUpload: {
    entry: 'lambdas/media-pipeline/handlers/create-upload.ts',
    description: 'POST /v1/admin/titles/{titleId}/uploads: registers a job and presigns its upload',
    invokes: ['catalogInternal'],
  },
  completeUpload: {
    entry: 'lambdas/media-pipeline/handlers/complete-upload.ts',
    description: 'POST /v1/admin/uploads/{jobId}/complete: completes a multipart upload',
  },
  validateSource: {
    entry: 'lambdas/media-pipeline/handlers/validate-source.ts',
    memorySize: 1024,
    timeoutSec: 120,
    description: 'Pipeline step: probes the source with ranged reads and accepts or rejects it',
  },
  planEncode: {
    entry: 'lambdas/media-pipeline/handlers/plan-encode.ts',
    description: 'Pipeline step: plans the ladder and builds the MediaConvert job settings',
  },
  verifyOutputs: {
    entry: 'lambdas/media-pipeline/handlers/verify-outputs.ts',
    timeoutSec: 120,
    description: 'Pipeline step: checks every playlist and segment and the duration',
  },
  publishAsset: {
    entry: 'lambdas/media-pipeline/handlers/publish-asset.ts',
    description: 'Pipeline step: marks the job READY with its asset',
    countAs: 'AssetPublished',
  },
  discardOutputs: {
    entry: 'lambdas/media-pipeline/handlers/discard-outputs.ts',
    timeoutSec: 300,
    description: 'Pipeline step: deletes what a failed job wrote, so nothing half-made remains',
    countAs: 'JobFailed',
  },
  recordProgress: {
    entry: 'lambdas/media-pipeline/handlers/record-progress.ts',
    async: true,
    description: 'MediaConvert job state change events -> job progress',
  },
} as const satisfies Record<string, FunctionDeclaration>;
export type FunctionId = keyof typeof FUNCTIONS;

/** CloudFormation metadata keys the house construct writes and the local platform reads. */
export const FUNCTION_METADATA = {
  ID: 'showrunner:function',
  ENTRY: 'showrunner:entry',
  HANDLER: 'showrunner:handler',
} as const;
