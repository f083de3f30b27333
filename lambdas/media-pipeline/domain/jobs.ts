/** Pure rules about encode jobs: how they look from the API, how progress moves, why they failed. */

import { type JobRecord, type JobView, STATUS_PROGRESS } from '#contracts/jobs.ts';
import { pipelineErrorCode } from '#shared/errors.ts';

/** What `GET /v1/admin/jobs/{jobId}` shows; `manifestUrl` only when the asset is playable. */
export function toJobView(job: JobRecord, mediaBaseUrl: string | undefined): JobView {
  const view: JobView = {
    jobId: job.jobId,
    titleId: job.titleId,
    titleName: job.titleName,
    status: job.status,
    progress: Math.round(job.progress),
    createdAt: job.createdAt,
  };
  if (job.updatedAt) view.updatedAt = job.updatedAt;
  if (job.reasonCode) view.reasonCode = job.reasonCode;
  if (job.reason) view.reason = job.reason;
  if (job.status === 'READY' && job.asset) {
    view.asset = job.asset;
    if (mediaBaseUrl) view.manifestUrl = `${mediaBaseUrl.replace(/\/+$/, '')}/${job.asset.manifestKey}`;
  }
  return view;
}

/** Overall progress while MediaConvert reports `percent` of the transcode done. */
export function transcodeProgress(percent: number): number {
  const clamped = Math.min(100, Math.max(0, percent));
  const span = STATUS_PROGRESS.VERIFYING - STATUS_PROGRESS.TRANSCODING;
  return Math.round((STATUS_PROGRESS.TRANSCODING + (clamped / 100) * span) * 10) / 10;
}

/** A Step Functions error as caught by a Catch (`{ Error, Cause }`). */
export interface CaughtError {
  readonly Error?: string;
  readonly Cause?: string;
}

/**
 * Turns a caught error into a reason an operator can read. Lambda causes are JSON
 * (`errorType`, `errorMessage`); MediaConvert's carry `errorMessage` or `Job.ErrorMessage`.
 */
export function describeFailure(error: CaughtError | undefined): { code: string; reason: string } {
  const name = error?.Error ?? 'Unknown';
  const cause = error?.Cause ?? '';
  let detail = cause;
  let code = 'INTERNAL_ERROR';
  try {
    const parsed = JSON.parse(cause) as Record<string, unknown>;
    const job = parsed.Job as Record<string, unknown> | undefined;
    const message = parsed.errorMessage ?? parsed.ErrorMessage ?? job?.ErrorMessage ?? parsed.message;
    if (typeof message === 'string') detail = message;
    const pipelineCode =
      parsed.errorType === 'PipelineError' && typeof message === 'string'
        ? pipelineErrorCode(message)
        : undefined;
    if (pipelineCode) {
      code = pipelineCode;
      detail = detail.slice(pipelineCode.length + 3);
    }
  } catch {
    // Not JSON: keep the cause as it is.
  }
  if (name.startsWith('MediaConvert') || cause.includes('"Job"')) code = 'TRANSCODE_FAILED';
  if (name === 'States.Timeout') code = 'TIMED_OUT';
  const trimmed = detail.length > 500 ? `${detail.slice(0, 500)}…` : detail;
  return { code, reason: trimmed ? `${name}: ${trimmed}` : name };
}
