/**
 * Decides whether an uploaded source can enter the encode pipeline, from what MediaInfo saw in it.
 * Every refusal is an outcome with a stable code and a sentence a person can act on; acceptance
 * yields the `SourceProbe` the planner builds the ladder from. Pure: the probe adapter gathers
 * the facts, this module only judges them.
 */
import type { RejectionCode, SourceProbe, ValidationResult } from '#contracts/media.ts';

/** One video track as MediaInfo describes it. `null` where MediaInfo did not report the field. */
export interface VideoTrackInfo {
  /** MediaInfo's `Format`: 'AVC', 'HEVC', 'VP9', 'AV1', 'MPEG Video', 'ProRes' … */
  readonly format: string | null;
  readonly formatProfile: string | null;
  /** Container-level codec id: 'avc1', 'hvc1', 'V_VP9' … */
  readonly codecId: string | null;
  /** Coded width in pixels, before any rotation. */
  readonly width: number | null;
  readonly height: number | null;
  /** Display rotation in degrees, clockwise, from the container (MP4/MOV `tkhd` matrix). */
  readonly rotationDeg: number | null;
  /** Frames per second; for variable frame rate, MediaInfo's average. */
  readonly frameRate: number | null;
  /** 'CFR' or 'VFR'. */
  readonly frameRateMode: string | null;
  readonly frameCount: number | null;
  readonly bitDepth: number | null;
  readonly chromaSubsampling: string | null;
  readonly durationSec: number | null;
  /** Bytes of this stream's payload the container declares (MP4: exact; Matroska: estimated). */
  readonly streamSizeBytes: number | null;
}

/** One audio track as MediaInfo describes it. */
export interface AudioTrackInfo {
  /** MediaInfo's `Format`: 'AAC', 'Opus', 'AC-3', 'MPEG Audio', 'PCM' … */
  readonly format: string | null;
  readonly codecId: string | null;
  readonly channels: number | null;
  readonly samplingRate: number | null;
  readonly durationSec: number | null;
  readonly streamSizeBytes: number | null;
}

/**
 * The raw facts the probe gathers: MediaInfo's General, Video and Audio tracks reduced to the
 * fields validation needs, plus how much of the object the probe had to read.
 */
export interface MediaInfoSummary {
  /** Size of the object, from the store (not MediaInfo's guess). */
  readonly sizeBytes: number;
  /** MediaInfo's General `Format` ('MPEG-4', 'WebM', 'Matroska' …); `null` when it recognised nothing. */
  readonly container: string | null;
  readonly containerProfile: string | null;
  /** General `Duration`, seconds. */
  readonly durationSec: number | null;
  /** MediaInfo's `IsTruncated`: an element (box, segment) declares more bytes than the file has. */
  readonly isTruncated: boolean;
  /** MediaInfo's conformance messages, e.g. "File size is less than expected size (…)". */
  readonly conformanceErrors: readonly string[];
  readonly video: readonly VideoTrackInfo[];
  readonly audio: readonly AudioTrackInfo[];
  /** Still-image tracks (a PNG or JPEG upload has one and no video). */
  readonly imageCount: number;
  readonly textCount: number;
  /** Diagnostics, ignored by validation: bytes handed to MediaInfo, and in how many reads. */
  readonly bytesRead: number;
  readonly readCount: number;
  /**
   * The probe stopped at its byte budget before MediaInfo was done. Header facts stay exact;
   * facts MediaInfo derives by walking the file (a fragmented MP4's duration) may be partial.
   */
  readonly budgetExhausted: boolean;
}

/** Bounds a source must fall within. Defaults in {@link DEFAULT_SOURCE_LIMITS}. */
export interface SourceLimits {
  /** @default 100 GiB */
  readonly maxSizeBytes: number;
  /** @default 6 hours */
  readonly maxDurationSec: number;
  /** @default 1 */
  readonly minDurationSec: number;
  /** Shorter side of the picture, pixels: below it there is nothing worth a ladder. @default 96 */
  readonly minShortSide: number;
  /** Longer side of the picture, pixels: MediaConvert's input limit is 8192. @default 8192 */
  readonly maxLongSide: number;
  /** @default 10 */
  readonly minFrameRate: number;
  /** @default 120 */
  readonly maxFrameRate: number;
}

export const DEFAULT_SOURCE_LIMITS: SourceLimits = {
  maxSizeBytes: 100 * 1024 ** 3,
  maxDurationSec: 6 * 3600,
  minDurationSec: 1,
  minShortSide: 96,
  maxLongSide: 8192,
  minFrameRate: 10,
  maxFrameRate: 120,
};

/**
 * Video formats, as MediaInfo names them, that MediaConvert decodes. 'MPEG Video' covers MPEG-1
 * and MPEG-2; 'VC-3' is DNxHD; AVC-Intra reports as 'AVC'.
 * @see https://docs.aws.amazon.com/mediaconvert/latest/ug/reference-codecs-containers-input.html
 */
export const ACCEPTED_VIDEO_CODECS: readonly string[] = [
  'AVC',
  'HEVC',
  'VP8',
  'VP9',
  'AV1',
  'MPEG Video',
  'MPEG-4 Visual',
  'ProRes',
  'DV',
  'VC-1',
  'VC-3',
  'JPEG 2000',
];

/**
 * Slack on the declared-payload check: Matroska stream sizes are bitrate × duration estimates,
 * so only a clear excess means bytes are missing.
 */
const DECLARED_PAYLOAD_SLACK = 1.01;

/**
 * Accepts or rejects a probed source. Checks run from the cheapest and most fundamental (is there
 * anything at all, is it whole) to the specific, so a file gets the rejection that explains it
 * best: a cut-off MP4 whose index is missing is "truncated", not "has no video".
 */
export function validateSource(
  summary: MediaInfoSummary,
  limits: Partial<SourceLimits> = {},
): ValidationResult {
  const bounds: SourceLimits = { ...DEFAULT_SOURCE_LIMITS, ...limits };
  const { sizeBytes } = summary;

  if (sizeBytes === 0) {
    return reject('SOURCE_EMPTY', 'The file is empty (0 bytes); the upload may not have completed.');
  }
  if (sizeBytes > bounds.maxSizeBytes) {
    return reject(
      'TOO_LARGE',
      `The file is ${formatBytes(sizeBytes)}; the largest accepted is ${formatBytes(bounds.maxSizeBytes)}.`,
    );
  }

  const declaredPayload = sum(
    [...summary.video, ...summary.audio].map((track) => track.streamSizeBytes ?? 0),
  );
  if (summary.isTruncated || declaredPayload > sizeBytes * DECLARED_PAYLOAD_SLACK) {
    const detail = summary.conformanceErrors.find((error) => /size/i.test(error));
    return reject(
      'SOURCE_TRUNCATED',
      `The ${summary.container ?? 'media'} file is cut short: it ends before the data its container declares` +
        `${detail === undefined ? '' : ` (${detail})`}. Upload the complete file again.`,
    );
  }

  if (summary.container === null) {
    return reject('SOURCE_UNREADABLE', 'The file is not a video in any format we recognise.');
  }
  if (summary.video.length === 0 && summary.audio.length === 0 && summary.imageCount === 0) {
    return reject('SOURCE_UNREADABLE', `The ${summary.container} file holds no video or audio we can read.`);
  }

  const video = summary.video[0];
  if (video === undefined) {
    const audioFormat = summary.audio[0]?.format;
    return reject(
      'NO_VIDEO_STREAM',
      summary.audio.length > 0
        ? `The file has only audio (${audioFormat ?? 'unknown format'}) and no video track.`
        : `The file is a still image (${summary.container}), not a video.`,
    );
  }

  if (video.format === null || !ACCEPTED_VIDEO_CODECS.includes(video.format)) {
    return reject(
      'UNSUPPORTED_CODEC',
      `The video codec ${video.format ?? video.codecId ?? '(unknown)'} is not supported; ` +
        `accepted codecs are ${ACCEPTED_VIDEO_CODECS.join(', ')}.`,
    );
  }

  const { width, height } = video;
  if (width === null || height === null || width <= 0 || height <= 0) {
    return reject('UNSUPPORTED_DIMENSIONS', 'The video does not declare its picture size.');
  }
  const shortSide = Math.min(width, height);
  const longSide = Math.max(width, height);
  if (shortSide < bounds.minShortSide || longSide > bounds.maxLongSide) {
    return reject(
      'UNSUPPORTED_DIMENSIONS',
      `The picture is ${width}×${height}; each side must be at least ${bounds.minShortSide} ` +
        `and at most ${bounds.maxLongSide} pixels.`,
    );
  }

  const durationSec = summary.durationSec ?? video.durationSec;
  const frameRate =
    video.frameRate ??
    (video.frameCount !== null && durationSec !== null && durationSec > 0
      ? video.frameCount / durationSec
      : null);
  if (frameRate === null || frameRate <= 0) {
    return reject('UNSUPPORTED_FRAME_RATE', 'The video does not declare a frame rate.');
  }
  if (frameRate < bounds.minFrameRate || frameRate > bounds.maxFrameRate) {
    return reject(
      'UNSUPPORTED_FRAME_RATE',
      `The video runs at ${round(frameRate, 3)} fps; accepted rates are ${bounds.minFrameRate} to ${bounds.maxFrameRate} fps.`,
    );
  }

  if (durationSec === null) {
    // Typically a browser (MediaRecorder) WebM, which never writes its Duration; without it
    // the length limit cannot be enforced nor the outputs checked. `ffmpeg -i in -c copy out`
    // rewrites the header.
    return reject(
      'SOURCE_UNREADABLE',
      `The ${summary.container} file does not declare its duration; re-save (remux) it and upload again.`,
    );
  }
  if (durationSec < bounds.minDurationSec) {
    return reject(
      'TOO_SHORT',
      `The video is ${round(durationSec, 3)} s long; the shortest accepted is ${bounds.minDurationSec} s.`,
    );
  }
  if (durationSec > bounds.maxDurationSec) {
    return reject(
      'TOO_LONG',
      `The video is ${formatDuration(durationSec)} long; the longest accepted is ${formatDuration(bounds.maxDurationSec)}.`,
    );
  }

  const rotation = rightAngle(video.rotationDeg ?? 0);
  const quarterTurn = rotation === 90 || rotation === 270;
  const audio = summary.audio[0];
  const probe: SourceProbe = {
    container: summary.container,
    durationSec,
    sizeBytes,
    video: {
      codec: video.format,
      width,
      height,
      displayWidth: quarterTurn ? height : width,
      displayHeight: quarterTurn ? width : height,
      rotation,
      frameRate: round(frameRate, 3),
      // MediaInfo omits the depth only for formats that have no other (VP8, MPEG-2 Main).
      bitDepth: video.bitDepth ?? 8,
    },
    audio:
      audio === undefined
        ? null
        : {
            codec: audio.format ?? audio.codecId ?? 'unknown',
            // Unparsed audio still decodes in MediaConvert, which remixes to the output layout;
            // stereo at 48 kHz is what it would produce anyway.
            channels: audio.channels ?? 2,
            sampleRate: audio.samplingRate ?? 48_000,
          },
  };
  return { verdict: 'ACCEPTED', probe };
}

function reject(code: RejectionCode, message: string): ValidationResult {
  return { verdict: 'REJECTED', code, message };
}

/**
 * Normalises a rotation to a quarter turn. Other angles are taken as 0: MediaConvert's `Rotate`
 * setting only offers quarter turns, so the picture would be encoded as stored.
 */
function rightAngle(degrees: number): SourceProbe['video']['rotation'] {
  const normalised = ((Math.round(degrees) % 360) + 360) % 360;
  return normalised === 90 || normalised === 180 || normalised === 270 ? normalised : 0;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : round(value, 1)} ${units[unit]}`;
}

function formatDuration(seconds: number): string {
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
