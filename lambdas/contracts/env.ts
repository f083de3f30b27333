/**
 * Names of the environment variables the functions read. CDK sets them, the local platform sets
 * them, handlers read them through `#shared/env.ts`: one list, so a rename cannot drift.
 *
 * Table names and the names of functions a function may invoke are not listed one by one: their
 * variable names are derived from the table and function ids (`tableEnv`, `functionEnv`), so a
 * declaration in `tables.ts` or `functions.ts` is all it takes.
 */
import type { ConfigNeed, EdgeNeed, UrlNeed } from './functions.ts';

export const ENV = {
  INGEST_BUCKET: 'SHOWRUNNER_INGEST_BUCKET',
  MEDIA_BUCKET: 'SHOWRUNNER_MEDIA_BUCKET',
  DISCOVERY_BUCKET: 'SHOWRUNNER_DISCOVERY_BUCKET',
  /** Base URL under which the media bucket's `media/` keys are playable (edge or local origin). */
  MEDIA_BASE_URL: 'SHOWRUNNER_MEDIA_BASE_URL',
  /** `aws` | `localstack` | `local`: lets `/v1/health` say where it runs. */
  TARGET: 'SHOWRUNNER_TARGET',
  /** Largest source accepted, bytes. */
  MAX_SOURCE_BYTES: 'SHOWRUNNER_MAX_SOURCE_BYTES',
  /** Longest source accepted, seconds. */
  MAX_SOURCE_SECONDS: 'SHOWRUNNER_MAX_SOURCE_SECONDS',
  /** `cognito` (AWS) or `local` (embedded platform, LocalStack): which identity provider signs tokens. */
  IDENTITY_PROVIDER: 'SHOWRUNNER_IDENTITY_PROVIDER',
  /** Cognito user pool id and app client id (identity provider `cognito`). */
  USER_POOL_ID: 'SHOWRUNNER_USER_POOL_ID',
  USER_POOL_CLIENT_ID: 'SHOWRUNNER_USER_POOL_CLIENT_ID',
  /** Issuer (`iss`) of tokens minted by the local identity provider. */
  TOKEN_ISSUER: 'SHOWRUNNER_TOKEN_ISSUER',
  /** Days a PAST_DUE subscription may still play before playback is refused. */
  GRACE_PERIOD_DAYS: 'SHOWRUNNER_GRACE_PERIOD_DAYS',
  /**
   * Edge pathways for HLS Content Steering, JSON `[{ "id": "edge-a", "baseUrl": "https://…" }]`
   * in default priority order (playback's master playlist and steering functions).
   */
  EDGE_PATHWAYS: 'SHOWRUNNER_EDGE_PATHWAYS',
  /** Id of the key playback signs edge and playlist tokens with (the edges find `key:<id>`). */
  EDGE_KEY_ID: 'SHOWRUNNER_EDGE_KEY_ID',
  /** That key's secret, base64 (the value stored under `key:<id>` in the edge KeyValueStore). */
  EDGE_KEY_SECRET: 'SHOWRUNNER_EDGE_KEY_SECRET',
  /**
   * Base URL players reach the API at, stage included, no trailing slash (`https://example.com`,
   * `http://127.0.0.1:3000`): playback builds manifest and steering URLs on it. Unset: the
   * request's own host.
   */
  API_BASE_URL: 'SHOWRUNNER_API_BASE_URL',
  /**
   * AWS (instead of `EDGE_PATHWAYS`): name of the SSM parameter holding the pathways JSON, which
   * the edge stack publishes; playback reads it at run time and caches it for minutes.
   */
  EDGE_PATHWAYS_PARAMETER: 'SHOWRUNNER_EDGE_PATHWAYS_PARAMETER',
  /**
   * AWS (instead of `EDGE_KEY_ID` / `EDGE_KEY_SECRET`): ARN of the Secrets Manager secret holding
   * the signing keys, JSON `{ kid, secret, previous? }` (`lambdas/contracts/edge-signing-secret.ts`).
   */
  EDGE_KEY_SECRET_ARN: 'SHOWRUNNER_EDGE_KEY_SECRET_ARN',
  /**
   * AWS: name of the SSM parameter holding the edge KeyValueStore's ARN (revocations). The local
   * platform stands its edges' store in instead (`#shared/stand-ins.ts`).
   */
  EDGE_KVS_ARN_PARAMETER: 'SHOWRUNNER_EDGE_KVS_ARN_PARAMETER',
  /** AWS, edge stack: the edge KeyValueStore's ARN, for the function that provisions the signing keys into it. */
  EDGE_KVS_ARN: 'SHOWRUNNER_EDGE_KVS_ARN',
} as const;
export type EnvName =
  | (typeof ENV)[keyof typeof ENV]
  | `SHOWRUNNER_TABLE_${string}`
  | `SHOWRUNNER_FUNCTION_${string}`;

/** Where a function finds the name of a bucket its declaration names (`buckets`). */
export const BUCKET_ENV = {
  ingest: ENV.INGEST_BUCKET,
  media: ENV.MEDIA_BUCKET,
  discovery: ENV.DISCOVERY_BUCKET,
} as const;

/** `profiles` → `SHOWRUNNER_TABLE_PROFILES`: where a function finds a declared table's name. */
export function tableEnv(tableId: string): `SHOWRUNNER_TABLE_${string}` {
  return `SHOWRUNNER_TABLE_${screaming(tableId)}`;
}

/** `catalogInternal` → `SHOWRUNNER_FUNCTION_CATALOG_INTERNAL`: the name of a function it may invoke. */
export function functionEnv(functionId: string): `SHOWRUNNER_FUNCTION_${string}` {
  return `SHOWRUNNER_FUNCTION_${screaming(functionId)}`;
}

function screaming(id: string): string {
  return id.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}

/** The variable each configuration need sets (`config` in `functions.ts`). */
export const CONFIG_ENV = {
  target: ENV.TARGET,
  gracePeriodDays: ENV.GRACE_PERIOD_DAYS,
  maxSourceBytes: ENV.MAX_SOURCE_BYTES,
  maxSourceSeconds: ENV.MAX_SOURCE_SECONDS,
} as const satisfies Record<ConfigNeed, EnvName>;

/** The variable each address need sets (`urls`). */
export const URL_ENV = { api: ENV.API_BASE_URL, mediaOrigin: ENV.MEDIA_BASE_URL } as const satisfies Record<
  UrlNeed,
  EnvName
>;

/**
 * The variables each edge need sets (`edge`), by the target's delivery edge: on the embedded
 * platform the values themselves, which only the running platform knows (it sets them at start;
 * revocations go to the store it stands in); on CloudFront where to find them, set by the stacks.
 */
export const EDGE_ENV = {
  local: {
    pathways: [ENV.EDGE_PATHWAYS],
    keys: [ENV.EDGE_KEY_ID, ENV.EDGE_KEY_SECRET],
    revocations: [],
    provision: [],
  },
  cloudfront: {
    pathways: [ENV.EDGE_PATHWAYS_PARAMETER],
    keys: [ENV.EDGE_KEY_SECRET_ARN],
    revocations: [ENV.EDGE_KVS_ARN_PARAMETER],
    provision: [ENV.EDGE_KVS_ARN, ENV.EDGE_KEY_SECRET_ARN],
  },
} as const satisfies Record<'local' | 'cloudfront', Record<EdgeNeed, readonly EnvName[]>>;

/** The variables the identity need sets, by provider (`identity`). */
export const IDENTITY_ENV = {
  local: [ENV.IDENTITY_PROVIDER, ENV.TOKEN_ISSUER],
  cognito: [ENV.IDENTITY_PROVIDER, ENV.USER_POOL_ID, ENV.USER_POOL_CLIENT_ID],
} as const satisfies Record<'local' | 'cognito', readonly EnvName[]>;
