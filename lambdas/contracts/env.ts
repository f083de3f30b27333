/**
 * Names of the environment variables the functions read. CDK sets them, the local platform sets
 * them, handlers read them through `#shared/env.ts`: one list, so a rename cannot drift.
 */
export const ENV = {
  JOBS_TABLE: 'SHOWRUNNER_JOBS_TABLE',
  INGEST_BUCKET: 'SHOWRUNNER_INGEST_BUCKET',
  MEDIA_BUCKET: 'SHOWRUNNER_MEDIA_BUCKET',
  /** Base URL under which the media bucket's `media/` keys are playable (edge or local origin). */
  MEDIA_BASE_URL: 'SHOWRUNNER_MEDIA_BASE_URL',
  /** `aws` | `localstack` | `local`: lets `/v1/health` say where it runs. */
  TARGET: 'SHOWRUNNER_TARGET',
  /** Largest source accepted, bytes. */
  MAX_SOURCE_BYTES: 'SHOWRUNNER_MAX_SOURCE_BYTES',
  /** Longest source accepted, seconds. */
  MAX_SOURCE_SECONDS: 'SHOWRUNNER_MAX_SOURCE_SECONDS',
} as const;
export type EnvName = (typeof ENV)[keyof typeof ENV];
