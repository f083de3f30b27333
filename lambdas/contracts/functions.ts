/**
 * Every Lambda function, declared once: CDK builds each with the house construct in the stack the
 * declaration names and tags it with its id; the local platform finds the function by that tag
 * in the synthesized template, and routes name their function by id. What a function needs —
 * tables, buckets, other functions, the delivery edge, the identity provider, configuration, a
 * schedule or an event — is declared here too: one wiring function (`lib/wiring/wire-function.ts`)
 * turns it into environment variables and least-privilege grants in every stack, so a handler's
 * needs and its rights sit side by side.
 */

import { recommendationsInternalRequestSchema, recommendShardEventSchema } from './discovery.ts';
import {
  catalogInternalRequestSchema,
  EVENTS,
  historyInternalRequestSchema,
  profilesInternalRequestSchema,
  subscriptionsInternalRequestSchema,
} from './internal.ts';
import {
  ARTWORK_PREFIX,
  type BucketId,
  DISCOVERY_PREFIX,
  MEDIA_PREFIX,
  SIDECAR_PREFIX,
  SOURCE_PREFIX,
} from './storage.ts';
import type { TableId } from './tables.ts';
import type * as z from './zod.ts';

/** `read`: GetItem, BatchGetItem, Query (table and its indexes). `write`: read plus Put/Update/Delete and transactions. */
export type TableAccess = 'read' | 'write';

/** What it does with objects under one key prefix of a bucket. */
export type ObjectAction = 'get' | 'put' | 'delete' | 'list';

/** Objects under one prefix, and why the function needs them (the reason goes with the IAM wildcard). */
export interface ObjectGrant {
  readonly prefix: string;
  readonly actions: readonly ObjectAction[];
  readonly why: string;
}

/**
 * Values of the target's configuration it reads: `target` (aws, localstack, local),
 * `gracePeriodDays` (PAST_DUE playback), `maxSourceBytes` / `maxSourceSeconds` (upload limits).
 */
export type ConfigNeed = 'target' | 'gracePeriodDays' | 'maxSourceBytes' | 'maxSourceSeconds';

/**
 * Addresses it hands to clients: `api` (the API's base URL as players reach it, for manifest and
 * steering URLs; unset: the request's host), `mediaOrigin` (where published media plays without
 * a session: only the local platform has one, for operators' previews).
 */
export type UrlNeed = 'api' | 'mediaOrigin';

/**
 * What of the delivery edge it uses (targets with an edge only): `pathways` (the edges' base
 * URLs, for manifests and steering), `keys` (signs edge and playlist tokens), `revocations`
 * (writes and sweeps revoked sessions in the edge KeyValueStore), `provision` (copies the signing
 * keys into the edge KeyValueStore: the edge stack's custom resource).
 */
export type EdgeNeed = 'pathways' | 'keys' | 'revocations' | 'provision';

/** What starts it besides a route or another function: a schedule or an EventBridge event. */
export type Trigger =
  | {
      readonly kind: 'schedule';
      /** Construct id of the rule (an API: renaming it replaces the rule). */
      readonly ruleId: string;
      readonly description: string;
      /** UTC, EventBridge cron fields; or `rateHours`. */
      readonly cron?: { readonly minute: string; readonly hour: string };
      readonly rateHours?: number;
      readonly retryAttempts: number;
    }
  | {
      readonly kind: 'event';
      readonly ruleId: string;
      readonly description: string;
      readonly source: string;
      readonly detailType: string;
      /** The rest of the event pattern (`detail`), as EventBridge matches it. */
      readonly detail?: Readonly<Record<string, unknown>>;
      readonly retryAttempts: number;
    };

/**
 * A table's DynamoDB Stream the function consumes: on AWS a Lambda event source mapping (batches,
 * partial-batch failure reporting, bisect on error, failed batches' metadata to a dead-letter
 * queue); locally the embedded platform's stream poller, with the same batching, filters and
 * retries.
 */
export interface StreamSource {
  /** Construct id of the event source mapping (an API: renaming it replaces the mapping). */
  readonly mappingId: string;
  /** The table whose stream it reads (it must declare `stream: true`). */
  readonly table: TableId;
  readonly description: string;
  /** Most records per invocation. */
  readonly batchSize: number;
  /** Longest Lambda waits to fill a batch, seconds. */
  readonly maxBatchingWindowSec: number;
  /** Retries of a failing batch (from its first failed record) before it goes to the dead-letter queue. */
  readonly retryAttempts: number;
  /**
   * Lambda event filter patterns on the stream record (any one must match), e.g.
   * `{ eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: 'session#' }] } } } }`.
   * @default every record
   */
  readonly filters?: readonly Readonly<Record<string, unknown>>[];
}

export interface FunctionDeclaration {
  /** Source file, relative to the repository root. */
  readonly entry: string;
  /** The stack that owns it. @default 'controlPlane' */
  readonly stack?: 'controlPlane' | 'mediaPipeline' | 'edge';
  /** Files (relative to the repository root) copied next to the bundle, e.g. a WASM module. @default [] */
  readonly assetFiles?: readonly string[];
  /** Memory in MB. @default 512 */
  readonly memorySize?: number;
  /** Timeout in seconds. @default 10 */
  readonly timeoutSec?: number;
  /** Invoked asynchronously (EventBridge, S3): gets a dead-letter queue. @default false */
  readonly async?: boolean;
  readonly description: string;
  /** Tables it uses, and how. @default {} */
  readonly tables?: Partial<Record<TableId, TableAccess>>;
  /** Buckets it names (their names in `BUCKET_ENV`), with the object grants it needs in each. @default {} */
  readonly buckets?: Partial<Record<BucketId, readonly ObjectGrant[]>>;
  /** Internal functions of other services it invokes (Lambda `Invoke` on exactly those). @default [] */
  readonly invokes?: readonly string[];
  /** What of the delivery edge it uses; see `EdgeNeed`. @default [] */
  readonly edge?: readonly EdgeNeed[];
  /**
   * The identity provider: `verify` (verifies tokens, reads accounts), `manage` (also creates
   * accounts and sets passwords: Cognito's admin API on AWS).
   */
  readonly identity?: 'verify' | 'manage';
  /** Configuration values it reads. @default [] */
  readonly config?: readonly ConfigNeed[];
  /** Addresses it hands out. @default [] */
  readonly urls?: readonly UrlNeed[];
  /** What starts it besides a route or a call. */
  readonly trigger?: Trigger;
  /** DynamoDB Streams it consumes. @default [] */
  readonly streams?: readonly StreamSource[];
  /**
   * Where its AWS SDK comes from: `runtime` (the copy in the Lambda runtime, left out of the
   * bundle) or `bundled`: the edge KeyValueStore's client and the pure-JS SigV4A signer
   * (`@aws-sdk/signature-v4a`, not in the runtime) go into the bundle with the SDK core they
   * share (the signer registers itself in that core's module state), while every other client
   * still comes from the runtime (`BUNDLED_SDK_CLIENTS` in the house construct). Functions that
   * write the KeyValueStore need it. @default 'runtime'
   */
  readonly awsSdk?: 'runtime' | 'bundled';
  /**
   * The event's schema (internal functions: the request other services send): the handler chain
   * validates it, so the implementation gets it typed. Routes declare theirs in `routes.ts`.
   */
  readonly event?: z.core.$ZodType;
  /** A business metric counted once per successful invocation (CloudWatch EMF, `Count`). */
  readonly countAs?: string;
}

/** Reads published playlists: manifests are built from them. */
const READS_PUBLISHED_MEDIA = {
  media: [
    { prefix: MEDIA_PREFIX, actions: ['get'], why: 'reads the published playlists of the assets it serves' },
  ],
} as const satisfies FunctionDeclaration['buckets'];

/** Presigned URLs carry the signer's rights: PUT into the two upload prefixes, nothing else. */
const UPLOADS_WHY = 'presigns uploads to keys of new jobs, which do not exist yet';

/** Reads the catalog snapshot and search index discovery builds. */
const READS_DISCOVERY_SNAPSHOT = {
  discovery: [
    {
      prefix: DISCOVERY_PREFIX,
      actions: ['get'],
      why: 'reads the catalog snapshot and search index the indexer writes',
    },
  ],
} as const satisfies FunctionDeclaration['buckets'];

/** Prepositioning runs daily at this UTC time: off-peak for the Americas and Europe (docs/prepositioning.md). */
export const PREPOSITION_SCHEDULE = { minute: '0', hour: '4' } as const;

export const FUNCTIONS = {
  health: {
    entry: 'lambdas/platform/handlers/health.ts',
    description: 'GET /v1/health',
    config: ['target'],
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
    identity: 'manage',
  },
  login: {
    entry: 'lambdas/identity/handlers/login.ts',
    description: 'POST /v1/auth/login',
    tables: { identity: 'write' },
    identity: 'verify',
  },
  refreshToken: {
    entry: 'lambdas/identity/handlers/refresh.ts',
    description: 'POST /v1/auth/refresh',
    tables: { identity: 'write' },
    identity: 'verify',
  },
  getMe: {
    entry: 'lambdas/identity/handlers/me.ts',
    description: 'GET /v1/me',
    tables: { identity: 'read' },
    identity: 'verify',
  },
  jwks: {
    entry: 'lambdas/identity/handlers/jwks.ts',
    description: 'GET /v1/auth/jwks.json: public keys of the token issuer',
    tables: { identity: 'read' },
    identity: 'verify',
  },
  authorizer: {
    entry: 'lambdas/identity/handlers/authorizer.ts',
    description: 'API Gateway authorizer: verifies the bearer JWT, admits admins to /v1/admin/*',
    tables: { identity: 'read' },
    identity: 'verify',
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
    config: ['gracePeriodDays'],
  },
  putSubscription: {
    entry: 'lambdas/subscriptions/handlers/put-subscription.ts',
    description: 'PUT /v1/subscription: subscribe, change plan, update the card',
    tables: { subscriptions: 'write' },
    config: ['gracePeriodDays'],
  },
  renewSubscriptions: {
    entry: 'lambdas/subscriptions/handlers/renew-subscriptions.ts',
    timeoutSec: 300,
    async: true,
    description: 'Scheduled: charges due subscriptions; a failed charge makes the account PAST_DUE',
    tables: { subscriptions: 'write' },
    config: ['gracePeriodDays'],
    trigger: {
      kind: 'schedule',
      ruleId: 'RenewalSchedule',
      description: 'Daily, off-peak: charge due subscriptions',
      cron: { minute: '0', hour: '4' },
      retryAttempts: 2,
    },
  },
  subscriptionsInternal: {
    entry: 'lambdas/subscriptions/handlers/internal.ts',
    description: 'Internal: what an account may play (plan, streams, height, past-due grace)',
    tables: { subscriptions: 'read' },
    event: subscriptionsInternalRequestSchema,
    config: ['gracePeriodDays'],
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
    trigger: {
      kind: 'event',
      ruleId: 'AssetPublishedRule',
      description: 'Published assets → catalog (attach to the title)',
      source: EVENTS.ASSET_PUBLISHED.source,
      detailType: EVENTS.ASSET_PUBLISHED.detailType,
      retryAttempts: 4,
    },
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
    description:
      'Internal: where a profile left off in a title (playback resumes there), its continue-watching row',
    tables: { history: 'read' },
    invokes: ['catalogInternal'],
    event: historyInternalRequestSchema,
  },

  // playback
  startPlayback: {
    entry: 'lambdas/playback/handlers/start-playback.ts',
    description: 'POST /v1/playback: checks profile, title, plan and stream limit, then opens a session',
    tables: { playback: 'write' },
    invokes: ['profilesInternal', 'catalogInternal', 'subscriptionsInternal', 'historyInternal'],
    edge: ['keys'],
    buckets: READS_PUBLISHED_MEDIA,
    urls: ['api'],
  },
  getMasterPlaylist: {
    entry: 'lambdas/playback/handlers/master-playlist.ts',
    description: 'GET /v1/playback/{sessionId}/master.m3u8: the per-session master playlist',
    tables: { playback: 'read' },
    edge: ['pathways', 'keys'],
    buckets: READS_PUBLISHED_MEDIA,
    urls: ['api'],
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
    trigger: {
      kind: 'schedule',
      ruleId: 'RevocationSweepSchedule',
      description: 'Hourly: delete edge revocations whose tokens have expired (the KeyValueStore holds 5 MB)',
      rateHours: 1,
      retryAttempts: 2,
    },
  },
  provisionEdgeKeys: {
    entry: 'lambdas/playback/handlers/provision-edge-keys.ts',
    timeoutSec: 120,
    // CloudFormation invokes custom resources asynchronously.
    async: true,
    description:
      'Custom resource (edge stack, aws): copies the signing keys from Secrets Manager into the edge KeyValueStore',
    awsSdk: 'bundled',
    stack: 'edge',
    edge: ['provision'],
  },
  getSteering: {
    entry: 'lambdas/playback/handlers/steering.ts',
    description: 'GET /v1/steering/{sessionId}: HLS Content Steering manifest, pathways by edge health',
    edge: ['pathways', 'keys'],
    urls: ['api'],
  },
  prepositionTitles: {
    entry: 'lambdas/playback/handlers/preposition.ts',
    // API Gateway gives up on an integration after 29 s: the fill stops in time and says so.
    timeoutSec: 28,
    description: 'POST /v1/admin/edge/preposition: fills the edges with the most popular titles now',
    tables: { playback: 'read' },
    edge: ['pathways', 'keys'],
    buckets: READS_PUBLISHED_MEDIA,
  },
  prepositionSchedule: {
    entry: 'lambdas/playback/handlers/preposition-schedule.ts',
    timeoutSec: 900,
    async: true,
    description: 'Scheduled, off-peak: fills the edges with the opening of the most popular titles',
    tables: { playback: 'read' },
    edge: ['pathways', 'keys'],
    buckets: READS_PUBLISHED_MEDIA,
    trigger: {
      kind: 'schedule',
      ruleId: 'DailyPrepositionRule',
      description: 'Daily, off-peak: fill the edges with the opening of the most popular titles',
      cron: PREPOSITION_SCHEDULE,
      retryAttempts: 1,
    },
  },

  // discovery
  aggregateViewing: {
    entry: 'lambdas/discovery/handlers/aggregate-viewing.ts',
    timeoutSec: 60,
    description:
      'History and playback streams -> plays, unique viewers and watch time per country, day and title; liked titles and their co-occurrence',
    tables: { discovery: 'write' },
    streams: [
      {
        mappingId: 'HistoryViewingEvents',
        table: 'history',
        description: 'Heartbeats: watch time, and titles a profile liked (finished or watched half)',
        batchSize: 100,
        maxBatchingWindowSec: 5,
        retryAttempts: 3,
        filters: [{ eventName: ['INSERT', 'MODIFY'] }],
      },
      {
        mappingId: 'PlaybackStartEvents',
        table: 'playback',
        description: 'New playback sessions: plays and unique viewers',
        batchSize: 100,
        maxBatchingWindowSec: 5,
        retryAttempts: 3,
        filters: [{ eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: 'session#' }] } } } }],
      },
    ],
  },
  indexCatalog: {
    entry: 'lambdas/discovery/handlers/index-catalog.ts',
    memorySize: 1024,
    timeoutSec: 120,
    description:
      'Catalog stream (or the recommendations workflow) -> rebuilds the catalog snapshot and the search index',
    tables: { discovery: 'read' },
    invokes: ['catalogInternal'],
    buckets: {
      discovery: [
        {
          prefix: DISCOVERY_PREFIX,
          actions: ['put'],
          why: 'writes the catalog snapshot and the search index',
        },
      ],
    },
    streams: [
      {
        mappingId: 'CatalogChanges',
        table: 'catalog',
        description: 'Any title change: rebuild the snapshot and index (one rebuild per batch)',
        batchSize: 1000,
        maxBatchingWindowSec: 10,
        retryAttempts: 3,
      },
    ],
  },
  searchTitles: {
    entry: 'lambdas/discovery/handlers/search.ts',
    memorySize: 1024,
    description: 'GET /v1/search: typo-tolerant search over the catalog snapshot',
    // Reads artwork statistics and records which poster it showed a profile (the bandit's impressions).
    tables: { discovery: 'write' },
    invokes: ['profilesInternal'],
    buckets: READS_DISCOVERY_SNAPSHOT,
  },
  getTop10: {
    entry: 'lambdas/discovery/handlers/top10.ts',
    description: "GET /v1/top10: the most watched titles in the viewer's country over the last 7 days",
    tables: { discovery: 'read' },
    invokes: ['profilesInternal'],
    buckets: READS_DISCOVERY_SNAPSHOT,
  },
  getRecommendations: {
    entry: 'lambdas/discovery/handlers/recommendations.ts',
    description: "GET /v1/profiles/{profileId}/recommendations: the profile's stored recommendations",
    // Recomputes and stores a profile's list when it liked something since the last batch run.
    tables: { discovery: 'write' },
    invokes: ['profilesInternal'],
    buckets: READS_DISCOVERY_SNAPSHOT,
  },
  recommendationsInternal: {
    entry: 'lambdas/discovery/handlers/recommendations-internal.ts',
    description: "Internal: a profile's recommendations for the home page",
    tables: { discovery: 'write' },
    buckets: READS_DISCOVERY_SNAPSHOT,
    event: recommendationsInternalRequestSchema,
  },
  getHome: {
    entry: 'lambdas/discovery/handlers/home.ts',
    description: 'GET /v1/profiles/{profileId}/home: the home rows, each dependency behind a circuit breaker',
    // Reads Top 10 and artwork statistics; records which artwork it showed (the bandit's impressions).
    tables: { discovery: 'write' },
    invokes: ['profilesInternal', 'historyInternal', 'recommendationsInternal'],
    buckets: READS_DISCOVERY_SNAPSHOT,
  },
  recommendShard: {
    entry: 'lambdas/discovery/handlers/recommend-shard.ts',
    memorySize: 1024,
    timeoutSec: 300,
    description:
      'Recommendations workflow (Distributed Map item): recomputes the lists of one shard of profiles',
    tables: { discovery: 'write' },
    buckets: READS_DISCOVERY_SNAPSHOT,
    event: recommendShardEventSchema,
  },

  // media pipeline
  getJob: {
    entry: 'lambdas/media-pipeline/handlers/get-job.ts',
    description: 'GET /v1/admin/jobs/{jobId}',
    tables: { jobs: 'read' },
    urls: ['mediaOrigin'],
  },
  listTitleJobs: {
    entry: 'lambdas/media-pipeline/handlers/list-title-jobs.ts',
    description: 'GET /v1/admin/titles/{titleId}/jobs',
    tables: { jobs: 'read' },
    urls: ['mediaOrigin'],
  },
  createUpload: {
    entry: 'lambdas/media-pipeline/handlers/create-upload.ts',
    description: 'POST /v1/admin/titles/{titleId}/uploads: registers a job and presigns its upload',
    invokes: ['catalogInternal'],
    tables: { jobs: 'write' },
    buckets: {
      ingest: [
        { prefix: SOURCE_PREFIX, actions: ['put'], why: UPLOADS_WHY },
        { prefix: SIDECAR_PREFIX, actions: ['put'], why: UPLOADS_WHY },
      ],
    },
    config: ['maxSourceBytes'],
  },
  completeUpload: {
    entry: 'lambdas/media-pipeline/handlers/complete-upload.ts',
    description: 'POST /v1/admin/uploads/{jobId}/complete: completes a multipart upload',
    tables: { jobs: 'read' },
    buckets: {
      ingest: [
        { prefix: SOURCE_PREFIX, actions: ['put'], why: 'completes the multipart upload of a job source' },
      ],
    },
  },
  validateSource: {
    entry: 'lambdas/media-pipeline/handlers/validate-source.ts',
    memorySize: 1024,
    timeoutSec: 120,
    description: 'Pipeline step: probes the source with ranged reads and accepts or rejects it',
    stack: 'mediaPipeline',
    buckets: {
      ingest: [
        { prefix: SOURCE_PREFIX, actions: ['get'], why: 'ranged reads of any job source; keys are per job' },
      ],
    },
    config: ['maxSourceBytes', 'maxSourceSeconds'],
    // MediaInfoLib compiled to WebAssembly: the probe loads it from next to the bundle.
    assetFiles: ['node_modules/mediainfo.js/dist/MediaInfoModule.wasm'],
  },
  planEncode: {
    entry: 'lambdas/media-pipeline/handlers/plan-encode.ts',
    description: 'Pipeline step: plans the ladder and builds the MediaConvert job settings',
    stack: 'mediaPipeline',
    tables: { jobs: 'read' },
    // Names both buckets in the MediaConvert settings; reads no object.
    buckets: { ingest: [], media: [] },
  },
  verifyOutputs: {
    entry: 'lambdas/media-pipeline/handlers/verify-outputs.ts',
    timeoutSec: 120,
    description: 'Pipeline step: checks every playlist and segment and the duration',
    stack: 'mediaPipeline',
    buckets: {
      media: [
        {
          prefix: MEDIA_PREFIX,
          actions: ['get', 'list'],
          why: 'reads the playlists a job wrote; keys are per job',
        },
      ],
    },
  },
  chooseArtwork: {
    entry: 'lambdas/media-pipeline/handlers/choose-artwork.ts',
    // Decoding is CPU-bound: 1 GB buys about half a vCPU; up to 60 captures take 1–2 s.
    memorySize: 1024,
    timeoutSec: 120,
    description:
      'Pipeline step: scores the captured frames and publishes the best as public poster candidates',
    stack: 'mediaPipeline',
    buckets: {
      media: [
        {
          prefix: MEDIA_PREFIX,
          actions: ['get', 'list'],
          why: 'reads the frames a job captured as poster candidates; keys are per job',
        },
        {
          prefix: ARTWORK_PREFIX,
          actions: ['put'],
          why: 'publishes the chosen poster candidates of new assets; keys are per asset',
        },
      ],
    },
  },
  publishAsset: {
    entry: 'lambdas/media-pipeline/handlers/publish-asset.ts',
    description: 'Pipeline step: marks the job READY with its asset',
    countAs: 'AssetPublished',
    stack: 'mediaPipeline',
    tables: { jobs: 'write' },
  },
  discardOutputs: {
    entry: 'lambdas/media-pipeline/handlers/discard-outputs.ts',
    timeoutSec: 300,
    description: 'Pipeline step: deletes what a failed job wrote, so nothing half-made remains',
    countAs: 'JobFailed',
    stack: 'mediaPipeline',
    buckets: {
      media: [
        {
          prefix: MEDIA_PREFIX,
          actions: ['delete', 'list'],
          why: "deletes a failed job's partial outputs; keys are per job",
        },
        {
          prefix: ARTWORK_PREFIX,
          actions: ['delete', 'list'],
          why: "deletes a failed job's published poster candidates; keys are per job",
        },
      ],
    },
  },
  recordProgress: {
    entry: 'lambdas/media-pipeline/handlers/record-progress.ts',
    async: true,
    description: 'MediaConvert job state change events -> job progress',
    stack: 'mediaPipeline',
    tables: { jobs: 'write' },
    trigger: {
      kind: 'event',
      ruleId: 'TranscodeProgress',
      description: "MediaConvert progress of Showrunner's jobs → the job's progress.",
      source: 'aws.mediaconvert',
      detailType: 'MediaConvert Job State Change',
      detail: { status: ['STATUS_UPDATE'], userMetadata: { showrunnerJobId: [{ exists: true }] } },
      retryAttempts: 2,
    },
  },
} as const satisfies Record<string, FunctionDeclaration>;
export type FunctionId = keyof typeof FUNCTIONS;

/** The stack a function belongs to. */
export function stackOf(declaration: FunctionDeclaration): NonNullable<FunctionDeclaration['stack']> {
  return declaration.stack ?? 'controlPlane';
}

/** CloudFormation metadata keys the house construct writes and the local platform reads. */
export const FUNCTION_METADATA = {
  ID: 'showrunner:function',
  ENTRY: 'showrunner:entry',
  HANDLER: 'showrunner:handler',
} as const;
