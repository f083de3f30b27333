/** What the catalog's use cases need from the outside world. Adapters implement these; tests fake them. */
import type { TitleAsset, TitleKind } from '#contracts/api/catalog.ts';
import type { Maturity } from '#contracts/api/common.ts';
import type { TitleRecord } from './titles.ts';

/** Where a listing page resumes: the last title the previous page showed. */
export interface ListingKey {
  readonly titleId: string;
  readonly sortKey: string;
}

/** Fields an admin edit may change; only the ones present are written. */
export type TitleChanges = Partial<
  Pick<
    TitleRecord,
    'name' | 'synopsis' | 'genres' | 'cast' | 'maturity' | 'releaseYear' | 'artwork' | 'availability'
  >
>;

export type CreateEpisodeOutcome = 'CREATED' | 'SERIES_NOT_FOUND' | 'EPISODE_EXISTS';
export type AttachAssetOutcome = 'ATTACHED' | 'TITLE_NOT_FOUND' | 'NEWER_ASSET_KEPT';

export interface TitlesRepository {
  get(titleId: string): Promise<TitleRecord | undefined>;
  /** The titles that exist among `titleIds` (at most 100), in no particular order. */
  getMany(titleIds: readonly string[]): Promise<TitleRecord[]>;
  /** Movies and series by `listingSortKey`, strictly after `after`; read `pageSize` at a time. */
  listing(options: { after?: ListingKey; pageSize: number }): AsyncIterable<TitleRecord>;
  /** A series' episodes in (season, episode) order, strictly after the episode key `after`. */
  episodes(seriesId: string, options?: { after?: string }): AsyncIterable<TitleRecord>;
  /** Stores a new movie or series. */
  create(title: TitleRecord): Promise<void>;
  /**
   * Stores a new episode, atomically: only if its series exists and is a series, and only if no
   * other episode holds the same (series, season, episode).
   */
  createEpisode(episode: TitleRecord): Promise<CreateEpisodeOutcome>;
  /** Writes the given fields (and `updatedAt`); `undefined` when the title does not exist. */
  update(
    titleId: string,
    kind: TitleKind,
    changes: TitleChanges,
    updatedAt: string,
  ): Promise<TitleRecord | undefined>;
  /** Attaches the asset unless the title is unknown or holds one that `supersedes` it. */
  attachAsset(titleId: string, asset: TitleAsset): Promise<AttachAssetOutcome>;
}

/** The profiles service, as far as the catalog needs it. */
export interface ProfileDirectory {
  /** The profile's maturity if it belongs to the account, else `undefined`. */
  maturityOf(accountId: string, profileId: string): Promise<Maturity | undefined>;
}
