/**
 * Pure rules about titles: who may see one (regional windows, maturity), how they are keyed for
 * listing and episode order, and how they look to viewers, admins and other services.
 */

import {
  type AdminTitle,
  type AvailabilityWindow,
  availabilityWindowSchema,
  type TitleAsset,
  type TitleKind,
  type TitleView,
  titleAssetSchema,
  titleKindSchema,
} from '#contracts/api/catalog.ts';
import { type Maturity, maturityAllows, maturitySchema } from '#contracts/api/common.ts';
import type { TitleFacts } from '#contracts/internal.ts';
import * as z from '#contracts/zod.ts';

/** A title as the catalog stores it (index attributes aside). */
export const titleRecordSchema = z.object({
  titleId: z.string(),
  kind: titleKindSchema,
  name: z.string(),
  synopsis: z.string(),
  genres: z.array(z.string()),
  cast: z.array(z.string()),
  maturity: maturitySchema,
  releaseYear: z.optional(z.number()),
  artwork: z.object({ poster: z.optional(z.string()), backdrop: z.optional(z.string()) }),
  availability: z.array(availabilityWindowSchema),
  /** Episodes only: the series, season and number. */
  seriesId: z.optional(z.string()),
  seasonNumber: z.optional(z.int()),
  episodeNumber: z.optional(z.int()),
  asset: z.optional(titleAssetSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TitleRecord = z.infer<typeof titleRecordSchema>;

/** Who is looking: the country they are in and, when browsing as a profile, its maturity. */
export interface Viewer {
  readonly country: string;
  /** Absent: no maturity filter (the account itself, not one of its profiles). */
  readonly maturity?: Maturity;
}

/** `true` when some window lists `country` and covers `now`: `from <= now < to` (`to` open when absent). */
export function isAvailable(windows: readonly AvailabilityWindow[], country: string, now: Date): boolean {
  const at = now.getTime();
  return windows.some(
    (w) =>
      w.countries.includes(country) &&
      Date.parse(w.from) <= at &&
      (w.to === undefined || at < Date.parse(w.to)),
  );
}

/** A title exists for this viewer only when it is live in their country and allowed for their maturity. */
export function isVisible(title: TitleRecord, viewer: Viewer, now: Date): boolean {
  if (viewer.maturity !== undefined && !maturityAllows(viewer.maturity, title.maturity)) return false;
  return isAvailable(title.availability, viewer.country, now);
}

/** Partition value of the `byListing` index: every browsable title (movies and series) shares it. */
export const LISTING = 'TITLE';

/** Movies and series are listed; episodes are reached through their series. */
export function isListed(kind: TitleKind): boolean {
  return kind !== 'episode';
}

/** `byListing` sort key: by name, case-insensitively; the id breaks ties between equal names. */
export function listingSortKey(name: string, titleId: string): string {
  return `${name.toLowerCase()}#${titleId}`;
}

/** `bySeries` sort key: `001#0007` for season 1, episode 7, so the index keeps episodes in order. */
export function episodeKey(seasonNumber: number, episodeNumber: number): string {
  return `${String(seasonNumber).padStart(3, '0')}#${String(episodeNumber).padStart(4, '0')}`;
}

export interface Season {
  seasonNumber: number;
  episodes: EpisodeSummary[];
}
export type EpisodeSummary = NonNullable<TitleView['seasons']>[number]['episodes'][number];

/** Episodes grouped by season, seasons and episodes in ascending order. */
export function groupSeasons(episodes: readonly TitleRecord[]): Season[] {
  const seasons = new Map<number, EpisodeSummary[]>();
  const ordered = [...episodes].sort(
    (a, b) =>
      (a.seasonNumber ?? 0) - (b.seasonNumber ?? 0) || (a.episodeNumber ?? 0) - (b.episodeNumber ?? 0),
  );
  for (const episode of ordered) {
    const seasonNumber = episode.seasonNumber ?? 0;
    const summary: EpisodeSummary = {
      titleId: episode.titleId,
      name: episode.name,
      seasonNumber,
      episodeNumber: episode.episodeNumber ?? 0,
      playable: episode.asset !== undefined,
    };
    if (episode.asset) summary.durationSec = episode.asset.durationSec;
    const list = seasons.get(seasonNumber) ?? [];
    list.push(summary);
    seasons.set(seasonNumber, list);
  }
  return [...seasons].map(([seasonNumber, list]) => ({ seasonNumber, episodes: list }));
}

/** A title as viewers see it: no windows, no asset internals; `playable` once an asset is attached. */
export function toTitleView(title: TitleRecord, seasons?: Season[]): TitleView {
  const view: TitleView = {
    titleId: title.titleId,
    kind: title.kind,
    name: title.name,
    synopsis: title.synopsis,
    genres: title.genres,
    cast: title.cast,
    maturity: title.maturity,
    artwork: title.artwork,
    playable: title.asset !== undefined,
  };
  if (title.releaseYear !== undefined) view.releaseYear = title.releaseYear;
  if (title.asset) view.durationSec = title.asset.durationSec;
  if (title.seriesId !== undefined) view.seriesId = title.seriesId;
  if (title.seasonNumber !== undefined) view.seasonNumber = title.seasonNumber;
  if (title.episodeNumber !== undefined) view.episodeNumber = title.episodeNumber;
  if (seasons) view.seasons = seasons;
  return view;
}

/** A title as admins see it: everything, windows and asset included. */
export function toAdminTitle(title: TitleRecord): AdminTitle {
  const view: AdminTitle = {
    ...toTitleView(title),
    availability: title.availability,
    createdAt: title.createdAt,
    updatedAt: title.updatedAt,
  };
  if (title.asset) view.asset = title.asset;
  return view;
}

/** A title as other services need it. */
export function toTitleFacts(title: TitleRecord): TitleFacts {
  const facts: TitleFacts = {
    titleId: title.titleId,
    kind: title.kind,
    name: title.name,
    maturity: title.maturity,
  };
  if (title.seriesId !== undefined) facts.seriesId = title.seriesId;
  if (title.seasonNumber !== undefined) facts.seasonNumber = title.seasonNumber;
  if (title.episodeNumber !== undefined) facts.episodeNumber = title.episodeNumber;
  if (title.asset) facts.asset = title.asset;
  return facts;
}

/**
 * Whether an incoming asset may replace the attached one: the later `publishedAt` wins; on a tie
 * the greater job id wins, so the same event delivered twice rewrites the same asset and two
 * jobs published in the same instant settle the same way whatever the delivery order. The
 * titles table applies this rule in its conditional write.
 */
export function supersedes(incoming: TitleAsset, current: TitleAsset | undefined): boolean {
  if (current === undefined) return true;
  if (incoming.publishedAt !== current.publishedAt) return incoming.publishedAt > current.publishedAt;
  return incoming.jobId >= current.jobId;
}
