/** playback: sessions, the per-session master playlist and the steering manifest. */
import * as z from 'zod';
import { idSchema, profileIdSchema, titleIdSchema } from './common.ts';

/** An RFC 6381 codec string or its prefix: `avc1`, `avc1.640028`, `mp4a.40.2`, `hvc1`. */
export const codecSchema = z
  .string()
  .regex(/^[A-Za-z0-9]{4}(\.[A-Za-z0-9]+)*$/, 'not a codec (RFC 6381: avc1, avc1.640028, mp4a.40.2)');

export const deviceSchema = z
  .object({
    /** Tallest picture the device shows, in lines (the shorter side): 480, 720, 1080, 2160. */
    maxHeight: z.number().int().min(1).max(4320).optional(),
    /** Codecs the device decodes; absent: any. A variant stays only if it needs none other. */
    codecs: z.array(codecSchema).min(1).max(32).optional(),
  })
  .strict();
export type Device = z.infer<typeof deviceSchema>;

export const startPlaybackRequestSchema = z
  .object({ profileId: profileIdSchema, titleId: titleIdSchema, device: deviceSchema.optional() })
  .strict();
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

export const sessionIdSchema = idSchema.describe('playback session id');

/** `?token=`: the playlist token from `manifestUrl`; a missing or bad one is a 403. */
export const playlistQuerySchema = z.object({ token: z.string().max(512).optional() }).strict();

/**
 * The steering manifest's query: the token, and the parameters players add (hls.js sends
 * `_HLS_pathway` and `_HLS_throughput`); any other `_HLS_*` parameter is accepted and ignored.
 */
const steeringQueryFields = {
  token: z.string().max(512).optional(),
  _HLS_pathway: z.string().max(128).optional(),
  _HLS_throughput: z.string().max(32).optional(),
};
export const steeringQuerySchema = z
  .object(steeringQueryFields)
  .catchall(z.string().max(256))
  .superRefine((query, ctx) => {
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
  });

export const playbackHeartbeatResponseSchema = z.object({ sessionId: z.string(), expiresAt: z.string() });

/** HLS Content Steering manifest (version 1). */
export const steeringManifestSchema = z.object({
  VERSION: z.literal(1),
  TTL: z.number().int(),
  'RELOAD-URI': z.string(),
  'PATHWAY-PRIORITY': z.array(z.string()),
});

/** `POST /v1/admin/edge/preposition`: fill the edges now; every field has the scheduled run's default. */
export const prepositionRequestSchema = z
  .object({
    /** How many of the most popular titles. @default 150 */
    titles: z.number().int().min(1).max(1000).optional(),
    /** Seconds from the start of every rendition. @default 60 */
    openingSec: z.number().int().min(1).max(3600).optional(),
    /** Days of playback starts to rank by, today included. @default 7 */
    days: z.number().int().min(1).max(35).optional(),
  })
  .strict();
export type PrepositionRequest = z.infer<typeof prepositionRequestSchema>;

const edgeFillSchema = z.object({
  pathwayId: z.string(),
  filled: z.number().int(),
  filledBytes: z.number().int(),
  alreadyCached: z.number().int(),
  unknown: z.number().int(),
  failed: z.number().int(),
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
      starts: z.number().int(),
      objects: z.number().int(),
    }),
  ),
  skipped: z.array(z.object({ titleId: z.string(), reason: z.string() })),
  edges: z.array(edgeFillSchema),
  notAttempted: z.number().int(),
  truncated: z.boolean(),
  seconds: z.number(),
});
