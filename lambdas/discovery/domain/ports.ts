/** What discovery's use cases need from the outside world. Adapters implement these; tests fake them. */
import type { Recommendations } from '#contracts/api/discovery.ts';
import type { SnapshotTitle } from '#contracts/internal.ts';
import type { PlayEvent, WatchEvent } from './viewing-events.ts';

/** Plays, unique viewers and watch time of one title. */
export interface TitleViewing {
  readonly plays: number;
  readonly viewers: number;
  readonly watchSec: number;
}

/** A title a profile liked (finished, or watched at least half). */
export interface Like {
  readonly titleId: string;
  /** ISO instant it became liked. */
  readonly likedAt: string;
  readonly finished: boolean;
}

/** One co-occurrence increment: one more profile liked both `a` and `b`. */
export interface CoOccurrenceIncrement {
  readonly a: string;
  readonly b: string;
}

/** Counts per (segment, artwork) of one title: how often each poster was shown, and played from. */
export type ArtworkCounts = ReadonlyMap<string, { readonly impressions: number; readonly plays: number }>;

/** The viewing aggregates (discovery table). Every write is applied exactly once per event id. */
export interface ViewingStore {
  /** Counts a play (and a new unique viewer of the title that day); `false` when already counted. */
  applyPlay(event: PlayEvent): Promise<boolean>;
  /** Adds watch time; `false` when already counted. */
  applyWatch(event: WatchEvent): Promise<boolean>;
  /**
   * Records that the profile liked the title, with the co-occurrence increments that follows
   * from it, together; `false` when the like was recorded before (nothing is counted twice).
   */
  recordLike(profileKey: string, like: Like, increments: readonly CoOccurrenceIncrement[]): Promise<boolean>;
  /** Per title, summed over the given UTC days, in one country or in all (`'ALL'`). */
  viewing(country: string, days: readonly string[]): Promise<Map<string, TitleViewing>>;
}

export interface TasteStore {
  /** Every title the profile liked. */
  likesOf(profileKey: string): Promise<Like[]>;
  /** How many profiles liked `titleId` together with each other title. */
  coOccurrence(titleId: string): Promise<Map<string, number>>;
  /** How many profiles liked each title. */
  likeCounts(): Promise<Map<string, number>>;
  /** Profiles with likes in one shard. */
  profilesInShard(shard: number): AsyncIterable<string>;
}

/** A profile's stored recommendations: unfiltered, best first (filtered at read time). */
export interface StoredRecommendations {
  readonly computedAt: string;
  /** The newest like the list accounts for: a newer one makes it stale. */
  readonly basedOn?: string;
  readonly items: readonly {
    readonly titleId: string;
    readonly score: number;
    readonly reason: Recommendations['items'][number]['reason'];
  }[];
}

export interface RecommendationStore {
  get(profileKey: string): Promise<StoredRecommendations | undefined>;
  put(profileKey: string, recommendations: StoredRecommendations): Promise<void>;
}

export interface ArtworkStore {
  /** Counts per title, for the titles asked (at most 100). */
  countsOf(titleIds: readonly string[]): Promise<Map<string, ArtworkCounts>>;
  /** One more impression of each (title, segment, artwork) shown. */
  recordImpressions(shown: readonly { titleId: string; segment: string; artworkId: string }[]): Promise<void>;
}

/** The catalog as discovery keeps it, with popularity. */
export interface CatalogSnapshot {
  readonly builtAt: string;
  readonly titles: readonly SnapshotTitle[];
  /** Plays over the last days, all countries, per browsable title. */
  readonly popularity: Readonly<Record<string, number>>;
}
