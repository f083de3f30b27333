/**
 * Discovery's internal contracts: the recommendations workflow (schedule, shards, the event each
 * Distributed Map item gets) and the internal call the home page makes for recommendations.
 */

import { countrySchema, idSchema, maturitySchema } from './api/common.ts';
import { recommendationsSchema } from './api/discovery.ts';
import * as z from './zod.ts';

/** Top 10 counts this many UTC days, today included. */
export const TOP10_DAYS = 7;

/** A title a profile watched at least this share of (or finished) is a positive signal. */
export const POSITIVE_WATCH_RATIO = 0.5;

/**
 * The recommendations batch: a schedule starts a Step Functions workflow that refreshes the
 * catalog snapshot, then a Distributed Map recomputes every profile shard in parallel.
 */
export const RECOMMENDATIONS_WORKFLOW = {
  /** Construct id of the schedule rule (an API: renaming it replaces the rule). */
  ruleId: 'RecommendationsSchedule',
  /** UTC, every 6 hours at :30 (EventBridge cron fields). */
  cron: { minute: '30', hour: '*/6' },
  /** Profiles are spread over this many shards by a hash of their key (one Map item each). */
  shardCount: 16,
  /** Shards computed at once. */
  maxConcurrency: 8,
} as const;

/** What each Distributed Map item gets: one shard of profiles. */
export const recommendShardEventSchema = z.object({
  shard: z.int().check(z.gte(0)),
  shardCount: z.int().check(z.gte(1)),
});
export type RecommendShardEvent = z.infer<typeof recommendShardEventSchema>;
export const recommendShardResultSchema = z.object({ shard: z.int(), profiles: z.int() });
export type RecommendShardResult = z.infer<typeof recommendShardResultSchema>;

/** recommendationsInternal: the caller (home) has checked the profile is the account's. */
export const recommendationsInternalRequestSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('forProfile'),
    accountId: idSchema,
    profileId: idSchema,
    country: countrySchema,
    maturity: maturitySchema,
    limit: z.int().check(z.gte(1), z.lte(100)),
  }),
]);
export type RecommendationsInternalRequest = z.infer<typeof recommendationsInternalRequestSchema>;
export const recommendationsInternalResponseSchema = recommendationsSchema;
