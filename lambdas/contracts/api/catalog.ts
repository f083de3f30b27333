/** catalog: movies, series → seasons → episodes, with regional availability windows. */
import * as z from 'zod';
import { assetSchema } from '../media.ts';
import { countrySchema, cursorSchema, idSchema, limitSchema, maturitySchema } from './common.ts';

export const TITLE_KINDS = ['movie', 'series', 'episode'] as const;
export const titleKindSchema = z.enum(TITLE_KINDS);
export type TitleKind = z.infer<typeof titleKindSchema>;

/**
 * A licensing window: the title is live in `countries` from `from` until `to` (exclusive; open
 * when absent). A title is visible in a country when any window covers it now.
 */
export const availabilityWindowSchema = z
  .object({
    countries: z.array(countrySchema).min(1).max(250),
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .refine((w) => w.to === undefined || Date.parse(w.to) > Date.parse(w.from), '`to` must be after `from`');
export type AvailabilityWindow = z.infer<typeof availabilityWindowSchema>;

const genreSchema = z.string().trim().toLowerCase().min(1).max(40);
const artworkSchema = z
  .object({ poster: z.string().max(2048).optional(), backdrop: z.string().max(2048).optional() })
  .strict();

/** The editable fields, without defaults (a PATCH must not fill in what it was not given). */
const titleFields = {
  name: z.string().trim().min(1).max(200),
  synopsis: z.string().trim().max(4000),
  genres: z.array(genreSchema).max(10),
  cast: z.array(z.string().trim().min(1).max(100)).max(50),
  maturity: maturitySchema,
  releaseYear: z.number().int().min(1870).max(2100),
  artwork: artworkSchema,
  availability: z.array(availabilityWindowSchema).max(50),
};

const titleFieldsSchema = z.object({
  ...titleFields,
  synopsis: titleFields.synopsis.default(''),
  genres: titleFields.genres.default([]),
  cast: titleFields.cast.default([]),
  releaseYear: titleFields.releaseYear.optional(),
  artwork: titleFields.artwork.default({}),
  availability: titleFields.availability.default([]),
});

/**
 * `POST /v1/admin/titles`. `kind` defaults to `movie`; an episode names its series, season and
 * number (and inherits nothing: its own maturity and windows apply).
 */
export const createTitleRequestSchema = titleFieldsSchema
  .extend({
    kind: titleKindSchema.default('movie'),
    seriesId: idSchema.optional(),
    seasonNumber: z.number().int().min(1).max(100).optional(),
    episodeNumber: z.number().int().min(1).max(1000).optional(),
  })
  .strict()
  .refine(
    (t) =>
      t.kind === 'episode'
        ? t.seriesId !== undefined && t.seasonNumber !== undefined && t.episodeNumber !== undefined
        : t.seriesId === undefined && t.seasonNumber === undefined && t.episodeNumber === undefined,
    'an episode needs seriesId, seasonNumber and episodeNumber; movies and series take none of them',
  );
export type CreateTitleRequest = z.infer<typeof createTitleRequestSchema>;

/** `PATCH /v1/admin/titles/{titleId}`: any of the editable fields; `availability` replaces all windows. */
export const updateTitleRequestSchema = z
  .object(titleFields)
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type UpdateTitleRequest = z.infer<typeof updateTitleRequestSchema>;

/** The playable asset a READY encode job attached to a title: the pipeline's asset, as published. */
export const titleAssetSchema = assetSchema.extend({ jobId: z.string(), publishedAt: z.string() });
export type TitleAsset = z.infer<typeof titleAssetSchema>;

export const episodeSummarySchema = z.object({
  titleId: z.string(),
  name: z.string(),
  seasonNumber: z.number().int(),
  episodeNumber: z.number().int(),
  durationSec: z.number().optional(),
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
  releaseYear: z.number().optional(),
  artwork: artworkSchema,
  durationSec: z.number().optional(),
  /** True when an asset is attached: playback can start. */
  playable: z.boolean(),
  seriesId: z.string().optional(),
  seasonNumber: z.number().optional(),
  episodeNumber: z.number().optional(),
  /** Series only: seasons with the episodes visible to the caller, in order. */
  seasons: z
    .array(z.object({ seasonNumber: z.number().int(), episodes: z.array(episodeSummarySchema) }))
    .optional(),
});
export type TitleView = z.infer<typeof titleViewSchema>;

/** A title as admins see it: everything, windows and asset included. */
export const adminTitleSchema = titleViewSchema.extend({
  availability: z.array(availabilityWindowSchema),
  asset: titleAssetSchema.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AdminTitle = z.infer<typeof adminTitleSchema>;

/** `GET /v1/titles?genre=&cursor=&limit=&profileId=`: movies and series, by name. */
export const listTitlesQuerySchema = z
  .object({
    genre: z.string().trim().toLowerCase().min(1).max(40).optional(),
    cursor: cursorSchema.optional(),
    limit: limitSchema.default(20),
    /** Browse as this profile of the caller's account: its maturity filters the list. */
    profileId: idSchema.optional(),
  })
  .strict();
export type ListTitlesQuery = z.infer<typeof listTitlesQuerySchema>;

export const getTitleQuerySchema = z.object({ profileId: idSchema.optional() }).strict();

export const titleListSchema = z.object({
  items: z.array(titleViewSchema),
  nextCursor: z.string().optional(),
});
export const createTitleResponseSchema = z.object({ titleId: z.string() });
