/** history: heartbeats, resume positions, continue-watching. */
import * as z from '../zod.ts';
import { cursorSchema, limitSchema } from './common.ts';

/** A title counts as finished from this share of its duration on. */
export const FINISHED_RATIO = 0.95;

export const heartbeatRequestSchema = z
  .strictObject({
    positionSec: z.number().check(z.nonnegative(), z.lte(7 * 24 * 3600)),
    durationSec: z.number().check(z.positive(), z.lte(7 * 24 * 3600)),
    /** When the player took the position (ms since epoch or ISO instant); orders heartbeats. */
    clientTs: z.union([z.int().check(z.nonnegative()), z.iso.datetime({ offset: true })]),
  })
  .check(z.refine((h) => h.positionSec <= h.durationSec + 1, 'positionSec is beyond durationSec'));
export type HeartbeatRequest = z.infer<typeof heartbeatRequestSchema>;

export const historyEntrySchema = z.object({
  titleId: z.string(),
  positionSec: z.number(),
  durationSec: z.number(),
  /** Server time of the last accepted heartbeat. */
  updatedAt: z.string(),
  /** Client time of the stored position (ms since epoch). */
  clientTs: z.number(),
  finished: z.boolean(),
  name: z.optional(z.string()),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const historyQuerySchema = z.strictObject({
  cursor: z.optional(cursorSchema),
  limit: z._default(limitSchema, 20),
});
export const historyPageSchema = z.object({
  items: z.array(historyEntrySchema),
  nextCursor: z.optional(z.string()),
});
/** Continue-watching: started, unfinished titles, and the next episode after a finished one. */
export const continueWatchingSchema = z.object({
  items: z.array(z.extend(historyEntrySchema, { reason: z.enum(['resume', 'next-episode']) })),
});
