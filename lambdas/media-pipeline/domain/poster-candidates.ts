/**
 * The ChooseArtwork step's use case: read the frames the transcode captured as poster
 * candidates, measure each, choose the best (`artwork.ts`) and publish them under `artwork/`,
 * where the edge serves them without a token. Rejected captures stay where the transcode wrote
 * them (under the asset's private `media/` prefix) and are never published.
 *
 * Idempotent: an artwork id is a digest of the image's bytes, so a retried step writes the same
 * keys with the same bytes.
 */
import type { PosterCandidate } from '#contracts/media.ts';
import { PipelineError } from '#shared/errors.ts';
import {
  artworkKey,
  choosePosterCandidates,
  type FrameVerdict,
  type LumaFrame,
  type MeasuredFrame,
  measureFrame,
} from './artwork.ts';
import { type FrameCaptureKeys, frameCaptureIndex, frameCaptureTimeSec } from './job-settings.ts';

/** Where the captures are read from and the chosen ones written to. */
export interface ArtworkObjects {
  /** Every key that starts with `prefix`. */
  list(prefix: string): Promise<string[]>;
  read(key: string): Promise<Uint8Array>;
  /** Stores a public JPEG (long-lived cache headers) under `key`. */
  publish(key: string, bytes: Uint8Array): Promise<void>;
}

export interface PosterCandidateDeps {
  readonly objects: ArtworkObjects;
  /** JPEG bytes to luma (`adapters/jpeg-frames.ts`). */
  readonly decode: (bytes: Uint8Array) => LumaFrame;
  /** A stable id for an image's bytes, `[A-Za-z0-9_-]`. */
  readonly digest: (bytes: Uint8Array) => string;
}

export interface PosterCandidateInput {
  readonly titleId: string;
  readonly assetId: string;
  /** The poster-candidate capture group; `null` when the job's settings had none. */
  readonly captures: FrameCaptureKeys | null;
  /** Duration of the asset, seconds: it sets how far apart the candidates must be. */
  readonly durationSec: number;
}

export interface PosterCandidateResult {
  /** Best first. */
  readonly candidates: PosterCandidate[];
  /** How many captures got each verdict, for the logs. */
  readonly verdicts: Partial<Record<FrameVerdict, number>>;
}

/** Captures read at once: S3 GETs in flight while earlier frames are decoded. */
const READ_BATCH = 8;

export async function publishPosterCandidates(
  deps: PosterCandidateDeps,
  input: PosterCandidateInput,
): Promise<PosterCandidateResult> {
  const { captures } = input;
  if (captures === null) return { candidates: [], verdicts: {} };
  const keys = (await deps.objects.list(`${captures.baseKey}.`))
    .flatMap((key) => {
      const index = frameCaptureIndex(captures, key);
      return index === undefined ? [] : [{ key, index }];
    })
    .sort((a, b) => a.index - b.index);

  const frames: MeasuredFrame[] = [];
  const bytesByIndex = new Map<number, Uint8Array>();
  for (let i = 0; i < keys.length; i += READ_BATCH) {
    const batch = keys.slice(i, i + READ_BATCH);
    const contents = await Promise.all(batch.map(({ key }) => deps.objects.read(key)));
    batch.forEach(({ key, index }, j) => {
      const bytes = contents[j] as Uint8Array;
      bytesByIndex.set(index, bytes);
      frames.push({
        index,
        atSec: frameCaptureTimeSec(captures, index),
        measures: measureFrame(decode(deps, key, bytes)),
      });
    });
  }

  const choice = choosePosterCandidates(frames, { durationSec: input.durationSec });
  const candidates = choice.chosen.map((frame) => {
    const bytes = bytesByIndex.get(frame.index) as Uint8Array;
    const artworkId = deps.digest(bytes);
    return {
      artworkId,
      key: artworkKey(input.titleId, input.assetId, artworkId),
      atSec: frame.atSec,
      score: frame.score,
      bytes,
    };
  });
  await Promise.all(candidates.map((c) => deps.objects.publish(c.key, c.bytes)));

  const verdicts: Partial<Record<FrameVerdict, number>> = {};
  for (const frame of choice.judged) verdicts[frame.verdict] = (verdicts[frame.verdict] ?? 0) + 1;
  return {
    candidates: candidates.map(({ artworkId, key, atSec, score }) => ({ artworkId, key, atSec, score })),
    verdicts,
  };
}

/** The transcode wrote something that is not a JPEG: the outputs are not whole. */
function decode(deps: PosterCandidateDeps, key: string, bytes: Uint8Array): LumaFrame {
  try {
    return deps.decode(bytes);
  } catch (cause) {
    throw new PipelineError(
      'OUTPUT_INVALID',
      `poster candidate ${key} is not a readable JPEG (${String(cause)})`,
      {
        cause,
      },
    );
  }
}
