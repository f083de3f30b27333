/** catalog: movies, series → seasons → episodes, with regional availability windows. */
import { assetSchema } from '../media.ts';
import * as z from '../zod.ts';
import { countrySchema, cursorSchema, idSchema, limitSchema, maturitySchema } from './common.ts';

export const TITLE_KINDS = ['movie', 'series', 'episode'] as const;
export const titleKindSchema = z.enum(TITLE_KINDS);
export type TitleKind = z.infer<typeof titleKindSchema>;

/**
 * A licensing window: the title is live in `countries` from `from` until `to` (exclusive; open
 * when absent). A title is visible in a country when any window covers it now.
 */
export const availabilityWindowSchema = z
  .strictObject({
    countries: z.array(countrySchema).check(z.minLength(1), z.maxLength(250)),
    from: z.iso.datetime({ offset: true }),
    to: z.optional(z.iso.datetime({ offset: true })),
  })
  .check(
    z.refine((w) => w.to === undefined || Date.parse(w.to) > Date.parse(w.from), '`to` must be after `from`'),
  );
export type AvailabilityWindow = z.infer<typeof availabilityWindowSchema>;

const genreSchema = z.string().check(z.trim(), z.toLowerCase(), z.minLength(1), z.maxLength(40));
const artworkSchema = z.strictObject({
  poster: z.optional(z.string().check(z.maxLength(2048))),
  backdrop: z.optional(z.string().check(z.maxLength(2048))),
});

/** The editable fields, without defaults (a PATCH must not fill in what it was not given). */
const titleFields = {
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  synopsis: z.string().check(z.trim(), z.maxLength(4000)),
  genres: z.array(genreSchema).check(z.maxLength(10)),
  cast: z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))).check(z.maxLength(50)),
  maturity: maturitySchema,
  releaseYear: z.int().check(z.gte(1870), z.lte(2100)),
  artwork: artworkSchema,
  availability: z.array(availabilityWindowSchema).check(z.maxLength(50)),
};

/** The editable fields of a new title, with their defaults. */
const newTitleFields = {
  ...titleFields,
  synopsis: z._default(titleFields.synopsis, ''),
  genres: z._default(titleFields.genres, []),
  cast: z._default(titleFields.cast, []),
  releaseYear: z.optional(titleFields.releaseYear),
  artwork: z._default(titleFields.artwork, {}),
  availability: z._default(titleFields.availability, []),
};

/**
 * `POST /v1/admin/titles`. `kind` defaults to `movie`; an episode names its series, season and
 * number (and inherits nothing: its own maturity and windows apply).
 */
export const createTitleRequestSchema = z
  .strictObject({
    ...newTitleFields,
    kind: z._default(titleKindSchema, 'movie'),
    seriesId: z.optional(idSchema),
    seasonNumber: z.optional(z.int().check(z.gte(1), z.lte(100))),
    episodeNumber: z.optional(z.int().check(z.gte(1), z.lte(1000))),
  })
  .check(
    z.refine(
      (t) =>
        t.kind === 'episode'
          ? t.seriesId !== undefined && t.seasonNumber !== undefined && t.episodeNumber !== undefined
          : t.seriesId === undefined && t.seasonNumber === undefined && t.episodeNumber === undefined,
      'an episode needs seriesId, seasonNumber and episodeNumber; movies and series take none of them',
    ),
  );
export type CreateTitleRequest = z.infer<typeof createTitleRequestSchema>;

/** `PATCH /v1/admin/titles/{titleId}`: any of the editable fields; `availability` replaces all windows. */
export const updateTitleRequestSchema = z
  .partial(z.strictObject(titleFields))
  .check(z.refine((v) => Object.keys(v).length > 0, 'give at least one field to change'));
export type UpdateTitleRequest = z.infer<typeof updateTitleRequestSchema>;

/** The playable asset a READY encode job attached to a title: the pipeline's asset, as published. */
export const titleAssetSchema = z.extend(assetSchema, { jobId: z.string(), publishedAt: z.string() });
export type TitleAsset = z.infer<typeof titleAssetSchema>;

export const episodeSummarySchema = z.object({
  titleId: z.string(),
  name: z.string(),
  seasonNumber: z.int(),
  episodeNumber: z.int(),
  durationSec: z.optional(z.number()),
  playable: z.boolean(),
});

/** A title as viewers see it. */
export const titleViewSchema = z.object({
  titleId: z.string(),
  kind: titleKindSchema,
  name: z.string(),
  synopsis: z.string(),
  genres: z.array(z.string()),
  cast: z.array(z.string()),
  maturity: maturitySchema,
  releaseYear: z.optional(z.number()),
  artwork: artworkSchema,
  durationSec: z.optional(z.number()),
  /** True when an asset is attached: playback can start. */
  playable: z.boolean(),
  seriesId: z.optional(z.string()),
  seasonNumber: z.optional(z.number()),
  episodeNumber: z.optional(z.number()),
  /** Series only: seasons with the episodes visible to the caller, in order. */
  seasons: z.optional(z.array(z.object({ seasonNumber: z.int(), episodes: z.array(episodeSummarySchema) }))),
});
export type TitleView = z.infer<typeof titleViewSchema>;

/** A title as admins see it: everything, windows and asset included. */
export const adminTitleSchema = z.extend(titleViewSchema, {
  availability: z.array(availabilityWindowSchema),
  asset: z.optional(titleAssetSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AdminTitle = z.infer<typeof adminTitleSchema>;

/** `GET /v1/titles?genre=&cursor=&limit=&profileId=`: movies and series, by name. */
export const listTitlesQuerySchema = z.strictObject({
  genre: z.optional(z.string().check(z.trim(), z.toLowerCase(), z.minLength(1), z.maxLength(40))),
  cursor: z.optional(cursorSchema),
  limit: z._default(limitSchema, 20),
  /** Browse as this profile of the caller's account: its maturity filters the list. */
  profileId: z.optional(idSchema),
});
export type ListTitlesQuery = z.infer<typeof listTitlesQuerySchema>;

export const getTitleQuerySchema = z.strictObject({ profileId: z.optional(idSchema) });

export const titleListSchema = z.object({
  items: z.array(titleViewSchema),
  nextCursor: z.optional(z.string()),
});
export const createTitleResponseSchema = z.object({ titleId: z.string() });
