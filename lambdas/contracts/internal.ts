/**
 * Calls between services. A service never reads another's table: it invokes that service's
 * internal function (Lambda `Invoke`, IAM-scoped to exactly that function) with one of these
 * requests. Invoke them with `invokeInternal` from `#shared/invoke.ts`.
 */
import { availabilityWindowSchema, titleAssetSchema, titleKindSchema } from './api/catalog.ts';
import { countrySchema, idSchema, maturitySchema } from './api/common.ts';
import { continueWatchingSchema } from './api/history.ts';
import { planIdSchema } from './api/subscriptions.ts';
import * as z from './zod.ts';

/** profilesInternal */
export const profilesInternalRequestSchema = z.discriminatedUnion('op', [
  /** The profile if it belongs to the account, else `{ profile: null }`. */
  z.object({ op: z.literal('getProfile'), accountId: idSchema, profileId: idSchema }),
]);
export type ProfilesInternalRequest = z.infer<typeof profilesInternalRequestSchema>;
export const profilesInternalResponseSchema = z.object({
  profile: z.nullable(z.object({ profileId: z.string(), maturity: maturitySchema, name: z.string() })),
});
export type ProfilesInternalResponse = z.infer<typeof profilesInternalResponseSchema>;

/** A title as other services need it. */
export const titleFactsSchema = z.object({
  titleId: z.string(),
  kind: titleKindSchema,
  name: z.string(),
  maturity: maturitySchema,
  seriesId: z.optional(z.string()),
  seasonNumber: z.optional(z.number()),
  episodeNumber: z.optional(z.number()),
  asset: z.optional(titleAssetSchema),
});
export type TitleFacts = z.infer<typeof titleFactsSchema>;

/** catalogInternal */
export const catalogInternalRequestSchema = z.discriminatedUnion('op', [
  /** Titles visible in `country` now (and, with `maturity`, rated at or below it); others are left out. */
  z.object({
    op: z.literal('describeTitles'),
    titleIds: z.array(idSchema).check(z.maxLength(100)),
    country: countrySchema,
    maturity: z.optional(maturitySchema),
  }),
  /** The episode after `titleId` in its series that is visible in `country`, if any. */
  z.object({
    op: z.literal('nextEpisode'),
    titleId: idSchema,
    country: countrySchema,
    maturity: z.optional(maturitySchema),
  }),
  /** Any title, regardless of windows (admin flows: uploads). */
  z.object({ op: z.literal('getTitleForAdmin'), titleId: idSchema }),
  /**
   * One page of every browsable title (movies and series) with what discovery indexes, windows
   * included (discovery filters by them itself): answers a `CatalogSnapshotPage`.
   */
  z.object({ op: z.literal('snapshot'), cursor: z.optional(z.string().check(z.maxLength(2048))) }),
]);
export type CatalogInternalRequest = z.infer<typeof catalogInternalRequestSchema>;
export const catalogInternalResponseSchema = z.object({ titles: z.array(titleFactsSchema) });
export type CatalogInternalResponse = z.infer<typeof catalogInternalResponseSchema>;

/** A browsable title as discovery keeps it in its snapshot. */
export const snapshotTitleSchema = z.object({
  titleId: z.string(),
  kind: z.enum(['movie', 'series']),
  name: z.string(),
  synopsis: z.string(),
  genres: z.array(z.string()),
  cast: z.array(z.string()),
  maturity: maturitySchema,
  releaseYear: z.optional(z.number()),
  availability: z.array(availabilityWindowSchema),
  /** Editorial artwork (`poster` URL), as the catalog holds it. */
  artwork: z.object({ poster: z.optional(z.string()), backdrop: z.optional(z.string()) }),
  /**
   * Poster candidates the pipeline extracted from the title's asset (a series: its first
   * episode's). `url` is the image's path on the delivery edge (`/artwork/…`, public, no token):
   * a client joins it to an edge's base URL (on AWS the distribution's domain).
   */
  artworkCandidates: z.optional(z.array(z.object({ artworkId: z.string(), url: z.string() }))),
  /** A movie with an asset, or a series with a playable episode. */
  playable: z.boolean(),
  /** Series only: its episodes (viewing of an episode counts for its series). */
  episodeIds: z.optional(z.array(z.string())),
  createdAt: z.string(),
});
export type SnapshotTitle = z.infer<typeof snapshotTitleSchema>;
export const catalogSnapshotPageSchema = z.object({
  titles: z.array(snapshotTitleSchema),
  nextCursor: z.optional(z.string()),
});
export type CatalogSnapshotPage = z.infer<typeof catalogSnapshotPageSchema>;

/** subscriptionsInternal */
export const subscriptionsInternalRequestSchema = z.discriminatedUnion('op', [
  /** What the account may play now: used by playback. */
  z.object({ op: z.literal('getEntitlement'), accountId: idSchema }),
]);
export type SubscriptionsInternalRequest = z.infer<typeof subscriptionsInternalRequestSchema>;
export const entitlementSchema = z.object({
  /** `false` with a reason code when playback must be refused. */
  playable: z.boolean(),
  reasonCode: z.optional(z.enum(['NO_SUBSCRIPTION', 'PAYMENT_PAST_DUE', 'SUBSCRIPTION_CANCELED'])),
  plan: z.optional(planIdSchema),
  maxStreams: z.int(),
  maxHeight: z.int(),
});
export type Entitlement = z.infer<typeof entitlementSchema>;

/** historyInternal */
export const historyInternalRequestSchema = z.discriminatedUnion('op', [
  /**
   * Where the profile left off in the title: its last position, or 0 when it never played it or
   * finished it (playback's `resumeAtSec`). The caller has checked the profile is the account's.
   */
  z.object({ op: z.literal('resumePosition'), accountId: idSchema, profileId: idSchema, titleId: idSchema }),
  /** The profile's continue-watching row as `GET …/continue-watching` answers it (discovery's home page). */
  z.object({
    op: z.literal('continueWatching'),
    accountId: idSchema,
    profileId: idSchema,
    country: countrySchema,
    maturity: maturitySchema,
  }),
]);
export const continueWatchingResponseSchema = continueWatchingSchema;
export type HistoryInternalRequest = z.infer<typeof historyInternalRequestSchema>;
export const resumePositionSchema = z.object({ positionSec: z.number().check(z.nonnegative()) });
export type ResumePosition = z.infer<typeof resumePositionSchema>;

/** Domain events on the account's default EventBridge bus. */
export const EVENTS = {
  /** The media pipeline published an asset: the catalog attaches it to its title. */
  ASSET_PUBLISHED: { source: 'showrunner.media', detailType: 'Asset Published' },
} as const;
export const assetPublishedDetailSchema = z.object({
  jobId: z.string(),
  titleId: z.string(),
  asset: z.unknown(),
});
