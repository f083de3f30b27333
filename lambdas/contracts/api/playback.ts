/** playback: sessions, the per-session master playlist and the steering manifest. */
import * as z from '../zod.ts';
import { idSchema, profileIdSchema, titleIdSchema } from './common.ts';

/** An RFC 6381 codec string or its prefix: `avc1`, `avc1.640028`, `mp4a.40.2`, `hvc1`. */
export const codecSchema = z
  .string()
  .check(
    z.regex(/^[A-Za-z0-9]{4}(\.[A-Za-z0-9]+)*$/, 'not a codec (RFC 6381: avc1, avc1.640028, mp4a.40.2)'),
  );

export const deviceSchema = z.strictObject({
  /** Tallest picture the device shows, in lines (the shorter side): 480, 720, 1080, 2160. */
  maxHeight: z.optional(z.int().check(z.gte(1), z.lte(4320))),
  /** Codecs the device decodes; absent: any. A variant stays only if it needs none other. */
  codecs: z.optional(z.array(codecSchema).check(z.minLength(1), z.maxLength(32))),
});
export type Device = z.infer<typeof deviceSchema>;

export const startPlaybackRequestSchema = z.strictObject({
  profileId: profileIdSchema,
  titleId: titleIdSchema,
  device: z.optional(deviceSchema),
  /**
   * The poster the viewer started from (discovery's `artwork.artworkId`): discovery's artwork
   * bandit counts the play for it.
   */
  artworkId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an artwork id'))),
});
export type StartPlaybackRequest = z.infer<typeof startPlaybackRequestSchema>;

export const startPlaybackResponseSchema = z.object({
  sessionId: z.string(),
  /** The session's master playlist: usable by a player as is (the token is in the query). */
  manifestUrl: z.string(),
  /** Where to start, seconds. */
  resumeAtSec: z.number(),
  /** When the session lapses unless a heartbeat extends it (ISO 8601). */
  expiresAt: z.string(),
});
export type StartPlaybackResponse = z.infer<typeof startPlaybackResponseSchema>;

export const sessionIdSchema = idSchema.check(z.describe('playback session id'));

/** `?token=`: the playlist token from `manifestUrl`; a missing or bad one is a 403. */
export const playlistQuerySchema = z.strictObject({ token: z.optional(z.string().check(z.maxLength(512))) });

/**
 * The steering manifest's query: the token, and the parameters players add (hls.js sends
 * `_HLS_pathway` and `_HLS_throughput`); any other `_HLS_*` parameter is accepted and ignored.
 */
const steeringQueryFields = {
  token: z.optional(z.string().check(z.maxLength(512))),
  _HLS_pathway: z.optional(z.string().check(z.maxLength(128))),
  _HLS_throughput: z.optional(z.string().check(z.maxLength(32))),
};
export const steeringQuerySchema = z
  .catchall(z.object(steeringQueryFields), z.string().check(z.maxLength(256)))
  .check(
    z.superRefine((query, ctx) => {
      for (const key of Object.keys(query)) {
        if (!Object.hasOwn(steeringQueryFields, key) && !key.startsWith('_HLS_')) {
          ctx.addIssue({
            code: 'unrecognized_keys',
            keys: [key],
            input: query,
            message: `Unrecognized key: "${key}"`,
          });
        }
      }
    }),
  );

export const playbackHeartbeatResponseSchema = z.object({ sessionId: z.string(), expiresAt: z.string() });

/** HLS Content Steering manifest (version 1). */
export const steeringManifestSchema = z.object({
  VERSION: z.literal(1),
  TTL: z.int(),
  'RELOAD-URI': z.string(),
  'PATHWAY-PRIORITY': z.array(z.string()),
});

/** `POST /v1/admin/edge/preposition`: fill the edges now; every field has the scheduled run's default. */
export const prepositionRequestSchema = z.strictObject({
  /** How many of the most popular titles. @default 150 */
  titles: z.optional(z.int().check(z.gte(1), z.lte(1000))),
  /** Seconds from the start of every rendition. @default 60 */
  openingSec: z.optional(z.int().check(z.gte(1), z.lte(3600))),
  /** Days of playback starts to rank by, today included. @default 7 */
  days: z.optional(z.int().check(z.gte(1), z.lte(35))),
});
export type PrepositionRequest = z.infer<typeof prepositionRequestSchema>;

const edgeFillSchema = z.object({
  pathwayId: z.string(),
  filled: z.int(),
  filledBytes: z.int(),
  alreadyCached: z.int(),
  unknown: z.int(),
  failed: z.int(),
  failures: z.array(z.string()),
});

/** What a prepositioning run filled. */
export const prepositionReportSchema = z.object({
  days: z.array(z.string()),
  openingSec: z.number(),
  titles: z.array(
    z.object({
      titleId: z.string(),
      assetId: z.string(),
      starts: z.int(),
      objects: z.int(),
    }),
  ),
  skipped: z.array(z.object({ titleId: z.string(), reason: z.string() })),
  edges: z.array(edgeFillSchema),
  notAttempted: z.int(),
  truncated: z.boolean(),
  seconds: z.number(),
});
