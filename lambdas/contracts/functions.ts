/**
 * Every Lambda function, declared once: CDK builds each with the house construct and tags it
 * with its id; the local platform finds the function by that tag in the synthesized template,
 * and routes name their function by id.
 */
export interface FunctionDeclaration {
  /** Source file, relative to the repository root. */
  readonly entry: string;
  /** Exported handler name. @default 'handler' */
  readonly handler?: string;
  /** Memory in MB. @default 512 */
  readonly memorySize?: number;
  /** Timeout in seconds. @default 10 */
  readonly timeoutSec?: number;
  /** Invoked asynchronously (EventBridge, S3): gets a dead-letter queue. @default false */
  readonly async?: boolean;
  readonly description: string;
}

export const FUNCTIONS = {
  health: {
    entry: 'lambdas/platform/handlers/health.ts',
    description: 'GET /v1/health',
  },
  getJob: {
    entry: 'lambdas/media-pipeline/handlers/get-job.ts',
    description: 'GET /v1/admin/jobs/{jobId}',
  },
  createUpload: {
    entry: 'lambdas/media-pipeline/handlers/create-upload.ts',
    description: 'POST /v1/admin/uploads: registers a job and presigns its upload',
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
  },
  discardOutputs: {
    entry: 'lambdas/media-pipeline/handlers/discard-outputs.ts',
    timeoutSec: 300,
    description: 'Pipeline step: deletes what a failed job wrote, so nothing half-made remains',
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
