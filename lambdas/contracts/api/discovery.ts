/**
 * discovery: Top 10 per country, recommendations, search and the home page. Every answer lists
 * only titles live in the viewer's country and, with a profile, rated for it.
 */
import * as z from '../zod.ts';
import { countrySchema, idSchema, maturitySchema } from './common.ts';

/** The artwork shown for a title: the candidate chosen for this viewer, and why. */
export const chosenArtworkSchema = z.object({
  /** Absent: the title has no poster candidates yet (its asset predates artwork selection). */
  artworkId: z.optional(z.string()),
  /** URL of the image, where one is published. */
  url: z.optional(z.string()),
  /** Why this one: `EXPLORE` (still learning), `BEST_FOR_YOU`, `ONLY_CANDIDATE`, `EDITORIAL`. */
  reason: z.string(),
});
export type ChosenArtwork = z.infer<typeof chosenArtworkSchema>;

/** A title as discovery rows show it. */
export const discoveryItemSchema = z.object({
  titleId: z.string(),
  kind: z.enum(['movie', 'series']),
  name: z.string(),
  synopsis: z.string(),
  genres: z.array(z.string()),
  maturity: maturitySchema,
  releaseYear: z.optional(z.number()),
  artwork: chosenArtworkSchema,
});
export type DiscoveryItem = z.infer<typeof discoveryItemSchema>;

/** `?profileId=`: answer for this profile of the caller's account (its maturity filters). */
export const discoveryProfileQuerySchema = z.strictObject({ profileId: z.optional(idSchema) });

/** `GET /v1/top10`. */
export const top10Schema = z.object({
  country: countrySchema,
  /** The UTC days counted, oldest first (`YYYY-MM-DD`). */
  days: z.array(z.string()),
  items: z.array(
    z.extend(discoveryItemSchema, {
      rank: z.int(),
      plays: z.int(),
      viewers: z.int(),
      watchHours: z.number(),
    }),
  ),
});
export type Top10 = z.infer<typeof top10Schema>;

/** Longest search query accepted, characters (after trimming). */
export const MAX_SEARCH_QUERY = 200;

/** `GET /v1/search?q=&profileId=&limit=`. */
export const searchQuerySchema = z.strictObject({
  q: z.string().check(z.trim(), z.minLength(1, 'give a search query'), z.maxLength(MAX_SEARCH_QUERY)),
  profileId: z.optional(idSchema),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(50)), 20),
});
export type SearchQuery = z.infer<typeof searchQuerySchema>;

export const searchResultsSchema = z.object({
  query: z.string(),
  items: z.array(
    z.extend(discoveryItemSchema, {
      score: z.number(),
      /** Fields the query matched in: `name`, `synopsis`, `cast`, `genres`. */
      matched: z.array(z.string()),
    }),
  ),
});
export type SearchResults = z.infer<typeof searchResultsSchema>;

/** Why a title is recommended. */
export const recommendationReasonSchema = z.object({
  /** `BECAUSE_YOU_WATCHED` (viewers who liked it liked this), `SIMILAR_TO` (genres, cast), `POPULAR`. */
  code: z.enum(['BECAUSE_YOU_WATCHED', 'SIMILAR_TO', 'POPULAR']),
  /** The title the reason names, for the first two. */
  titleId: z.optional(z.string()),
  /** Readable: "Because you watched The Lighthouse Keeper". */
  text: z.string(),
});
export type RecommendationReason = z.infer<typeof recommendationReasonSchema>;

/** `GET /v1/profiles/{profileId}/recommendations`. */
export const recommendationsSchema = z.object({
  profileId: z.string(),
  /** When the list was computed (ISO instant). */
  computedAt: z.string(),
  items: z.array(z.extend(discoveryItemSchema, { score: z.number(), reason: recommendationReasonSchema })),
});
export type Recommendations = z.infer<typeof recommendationsSchema>;

/** A dependency of the home page, each behind its own circuit breaker. */
export const HOME_DEPENDENCIES = ['history', 'recommendations', 'top10', 'catalog'] as const;
export type HomeDependency = (typeof HOME_DEPENDENCIES)[number];

export const homeRowSchema = z.object({
  /** Stable: `continue-watching`, `top10`, `because-<titleId>`, `recommended`, `genre-<genre>`, `new-arrivals`. */
  id: z.string(),
  title: z.string(),
  reason: z.optional(z.string()),
  items: z.array(
    z.extend(discoveryItemSchema, {
      /** Continue watching: what to play (a series' episode) and where to resume. */
      playTitleId: z.optional(z.string()),
      positionSec: z.optional(z.number()),
      durationSec: z.optional(z.number()),
    }),
  ),
});
export type HomeRow = z.infer<typeof homeRowSchema>;

/** `GET /v1/profiles/{profileId}/home`. */
export const homeSchema = z.object({
  profileId: z.string(),
  country: countrySchema,
  rows: z.array(homeRowSchema),
  /** Dependencies that failed or were cut off by their breaker, and what stood in for them. */
  degraded: z.array(
    z.object({
      dependency: z.enum(HOME_DEPENDENCIES),
      /** `OPEN` (breaker open: not called), `TIMEOUT`, `ERROR`. */
      cause: z.enum(['OPEN', 'TIMEOUT', 'ERROR']),
      /** What the page shows instead: `top10`, `catalog`, `omitted`. */
      fallback: z.string(),
    }),
  ),
});
export type Home = z.infer<typeof homeSchema>;
