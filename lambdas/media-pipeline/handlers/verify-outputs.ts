/**
 * Pipeline step: reads back what the transcode wrote and checks it is whole: every playlist
 * and segment present, every rendition as long as the source (±0.5 s). Throws when it is not,
 * so the workflow discards the outputs and the job ends FAILED.
 */

import type { JobSettings } from '@aws-sdk/client-mediaconvert';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { type Asset, sourceProbeSchema } from '#contracts/media.ts';
import { s3Client } from '#shared/aws.ts';
import { PipelineError } from '#shared/errors.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { describeOutputKeys } from '../domain/job-settings.ts';
import { playlistKeysReferencedBy, verifyOutputs } from '../domain/verify.ts';

const s3 = s3Client();

interface VerifyEvent {
  jobId: string;
  plan: { titleId: string; assetId: string; outputPrefix: string; settings: JobSettings };
  probe: unknown;
}

export const handler = functionHandler(
  'verifyOutputs',
  async (event: VerifyEvent): Promise<{ asset: Asset }> => {
    const probe = sourceProbeSchema.parse(event.probe);
    const layout = describeOutputKeys(event.plan.settings);
    const existingKeys = await listKeys(layout.bucket, event.plan.outputPrefix);
    if (!existingKeys.has(layout.masterPlaylistKey)) {
      throw new PipelineError(
        'OUTPUT_MISSING',
        `The transcode wrote no multivariant playlist (${layout.masterPlaylistKey}).`,
      );
    }
    const masterPlaylist = await readText(layout.bucket, layout.masterPlaylistKey);
    const renditionPlaylists: Record<string, string> = {};
    for (const key of playlistKeysReferencedBy(layout.masterPlaylistKey, masterPlaylist)) {
      if (existingKeys.has(key)) renditionPlaylists[key] = await readText(layout.bucket, key);
    }
    const result = verifyOutputs({
      layout,
      masterPlaylist,
      renditionPlaylists,
      existingKeys,
      sourceDurationSec: probe.durationSec,
    });
    if (!result.ok) throw new PipelineError('OUTPUT_INVALID', result.message);
    return { asset: { ...result.asset, assetId: event.plan.assetId, titleId: event.plan.titleId } };
  },
);

async function listKeys(bucket: string, prefix: string): Promise<Set<string>> {
  const keys = new Set<string>();
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) if (object.Key) keys.add(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

async function readText(bucket: string, key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await object.Body?.transformToString('utf8')) ?? '';
}
