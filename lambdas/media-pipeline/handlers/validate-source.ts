/**
 * Pipeline step: probes the source with ranged reads (never downloading it whole) and accepts
 * it with its probe, or rejects it with a reason code. A rejection is a result, not an error.
 */
import { ENV } from '#contracts/env.ts';
import type { ValidationResult } from '#contracts/media.ts';
import { s3Client } from '#shared/aws.ts';
import { numberEnv } from '#shared/env.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { logger } from '#shared/logger.ts';
import { countMetric } from '#shared/metrics.ts';
import { probeMedia } from '../adapters/media-probe.ts';
import { s3RangeReader } from '../adapters/s3-range-reader.ts';
import { validateSource } from '../domain/validation.ts';

const s3 = s3Client();
const limits = {
  maxSizeBytes: numberEnv(ENV.MAX_SOURCE_BYTES),
  maxDurationSec: numberEnv(ENV.MAX_SOURCE_SECONDS),
};

interface ValidateInput {
  jobId: string;
  source: { bucket: string; key: string };
}

export const handler = functionHandler(
  'validateSource',
  async (event: ValidateInput): Promise<ValidationResult> => {
    const reader = await s3RangeReader(s3, event.source.bucket, event.source.key);
    const summary = await probeMedia(reader);
    const result = validateSource(summary, limits);
    logger.info('source probed', { jobId: event.jobId, verdict: result.verdict, sizeBytes: reader.size });
    if (result.verdict === 'REJECTED') countMetric('SourceRejected');
    return result;
  },
);
