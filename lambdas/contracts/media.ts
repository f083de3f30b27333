/**
 * Shapes exchanged by the media pipeline's steps: what the probe saw, the ladder the planner
 * chose, and the asset a finished job publishes. Pure types and zod schemas only: `lib/` may
 * import this module.
 */
import * as z from './zod.ts';

/** Why a source was refused. Stable codes: clients and tests match on them. */
export const REJECTION_CODES = [
  'SOURCE_EMPTY',
  'SOURCE_UNREADABLE',
  'SOURCE_TRUNCATED',
  'NO_VIDEO_STREAM',
  'UNSUPPORTED_CODEC',
  'UNSUPPORTED_DIMENSIONS',
  'UNSUPPORTED_FRAME_RATE',
  'TOO_SHORT',
  'TOO_LONG',
  'TOO_LARGE',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export const videoStreamSchema = z.object({
  /** Codec as MediaInfo names it: 'AVC', 'HEVC', 'VP9', 'AV1', 'ProRes' … */
  codec: z.string(),
  /** Coded (storage) dimensions. */
  width: z.int(),
  height: z.int(),
  /** Dimensions as shown, after rotation metadata is applied. */
  displayWidth: z.int(),
  displayHeight: z.int(),
  rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]),
  frameRate: z.number(),
  bitDepth: z.int(),
});

export const audioStreamSchema = z.object({
  codec: z.string(),
  channels: z.int(),
  sampleRate: z.int(),
});

export const sourceProbeSchema = z.object({
  /** Container format as MediaInfo names it: 'MPEG-4', 'WebM', 'Matroska', 'QuickTime' … */
  container: z.string(),
  durationSec: z.number(),
  sizeBytes: z.int(),
  video: videoStreamSchema,
  /** `null` for a silent source: it is valid and gets a video-only ladder. */
  audio: z.nullable(audioStreamSchema),
});
export type SourceProbe = z.infer<typeof sourceProbeSchema>;

/** What the Validate step returns; a rejection is an outcome, not an exception. */
export const validationResultSchema = z.discriminatedUnion('verdict', [
  z.object({ verdict: z.literal('ACCEPTED'), probe: sourceProbeSchema }),
  z.object({
    verdict: z.literal('REJECTED'),
    code: z.enum(REJECTION_CODES),
    message: z.string(),
  }),
]);
export type ValidationResult = z.infer<typeof validationResultSchema>;

export const rungSchema = z.object({
  /** Rendition name, also its folder/file modifier: '720p'. Named by the shorter side. */
  name: z.string(),
  width: z.int(),
  height: z.int(),
  /** Average video bitrate in bits per second. */
  videoBitrate: z.int(),
  /** Peak video bitrate (QVBR/VBV cap) in bits per second. */
  maxBitrate: z.int(),
  /** H.264 profile: 'MAIN' or 'HIGH' (MediaConvert's spelling). */
  profile: z.enum(['MAIN', 'HIGH']),
});
export type Rung = z.infer<typeof rungSchema>;

export const ladderSchema = z.object({
  rungs: z.array(rungSchema).check(z.minLength(1)),
  /** Output frame rate as a fraction, e.g. 30000/1001. */
  frameRate: z.object({ numerator: z.int(), denominator: z.int() }),
  /** Keyframe interval, seconds; segments are a whole number of GOPs. */
  gopSec: z.number(),
  segmentSec: z.int(),
  audio: z.nullable(z.object({ bitrate: z.int(), channels: z.int(), sampleRate: z.int() })),
});
export type Ladder = z.infer<typeof ladderSchema>;

export const captionTrackSchema = z.object({
  /** BCP-47 language tag: 'en', 'pt-BR'. */
  lang: z.string().check(z.regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/)),
  /** Object key of the WebVTT sidecar in the ingest bucket. */
  key: z.string(),
});
export type CaptionTrack = z.infer<typeof captionTrackSchema>;

/**
 * A frame the pipeline chose as poster artwork for the asset's title (sharp, not black, well
 * composed), published where viewers fetch it without a playback token.
 */
export const posterCandidateSchema = z.object({
  /** Stable id of the image (a digest of its bytes): the same frame keeps its id across retries. */
  artworkId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/)),
  /** Media-bucket key: `artwork/<titleId>/<assetId>/<artworkId>.jpg`. */
  key: z.string(),
  /** Where in the asset the frame was captured, seconds from the start. */
  atSec: z.number(),
  /** The heuristic's score, 0–1: higher is a better poster. */
  score: z.number(),
});
export type PosterCandidate = z.infer<typeof posterCandidateSchema>;

/**
 * The URL viewers fetch a public artwork key at: `<edge base URL>/<key>`. The edge serves
 * `/artwork/*` without a token (posters are not secret): on AWS any pathway's
 * `https://<distribution domain>`, locally an edge's `http://localhost:<port>`. Keys need no
 * escaping (ids are `[A-Za-z0-9_-]`).
 */
export function artworkUrl(edgeBaseUrl: string, key: string): string {
  return `${edgeBaseUrl.replace(/\/+$/, '')}/${key}`;
}

/** The playable asset a READY job publishes. Keys are media-bucket object keys. */
export const assetSchema = z.object({
  assetId: z.string(),
  titleId: z.string(),
  /** Key of the HLS multivariant (master) playlist. */
  manifestKey: z.string(),
  durationSec: z.number(),
  renditions: z.array(
    z.object({
      name: z.string(),
      width: z.int(),
      height: z.int(),
      bandwidth: z.int(),
      playlistKey: z.string(),
    }),
  ),
  audio: z.boolean(),
  captions: z.array(z.object({ lang: z.string(), playlistKey: z.string() })),
  posterKey: z.string(),
  thumbnails: z.object({ intervalSec: z.number(), keys: z.array(z.string()) }),
  /**
   * Up to 4 poster candidates, best first; absent on assets published before the pipeline chose
   * them, empty when no captured frame was good enough.
   */
  posterCandidates: z.optional(z.array(posterCandidateSchema)),
});
export type Asset = z.infer<typeof assetSchema>;
