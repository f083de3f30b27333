/**
 * What the history use cases need from the outside world: the profiles service (whose profile
 * is this, how mature), the catalog (which titles this profile may see here, what comes next)
 * and the history table. Handlers wire the real ones; tests pass small in-memory fakes.
 */
import type { Maturity } from '#contracts/api/common.ts';
import type { TitleFacts } from '#contracts/internal.ts';

export interface ProfileFacts {
  readonly profileId: string;
  readonly maturity: Maturity;
  readonly name: string;
}

export interface ProfileDirectory {
  /** The profile when it belongs to the account, else `null` (missing and foreign look alike). */
  getProfile(accountId: string, profileId: string): Promise<ProfileFacts | null>;
}

export interface TitleDirectory {
  /** Facts of the titles visible in `country` to a profile of `maturity`; the others are left out. */
  describeTitles(titleIds: readonly string[], country: string, maturity: Maturity): Promise<TitleFacts[]>;
  /** The visible episode after `titleId` in its series, if any. */
  nextEpisode(titleId: string, country: string, maturity: Maturity): Promise<TitleFacts | undefined>;
}

/** One title in one profile's history, as stored. */
export interface HistoryRecord {
  readonly titleId: string;
  readonly positionSec: number;
  readonly durationSec: number;
  /** Client time of the stored position, ms since the epoch: orders heartbeats. */
  readonly clientTs: number;
  /** Server time of the last accepted heartbeat (ISO 8601): orders the history. */
  readonly updatedAt: string;
  readonly finished: boolean;
  readonly titleName?: string;
  readonly seriesId?: string;
  readonly seasonNumber?: number;
  readonly episodeNumber?: number;
  /** Where the viewer watched from (the last heartbeat's country): discovery counts watch time per country. */
  readonly country?: string;
}

/** Where a page of history stopped: the next page starts after this entry. */
export interface RecencyKey {
  readonly titleId: string;
  readonly updatedAt: string;
}

export interface HistoryStore {
  /**
   * Stores the heartbeat unless the entry already holds a newer one (larger `clientTs`), in one
   * conditional write. Answers the stored state either way.
   */
  record(profileKey: string, heartbeat: HistoryRecord): Promise<HistoryRecord>;
  /** Entries, most recently updated first, starting after `after`. */
  recent(
    profileKey: string,
    page: { limit: number; after?: RecencyKey },
  ): Promise<{ records: HistoryRecord[]; lastKey?: RecencyKey }>;
  get(profileKey: string, titleId: string): Promise<HistoryRecord | undefined>;
  /** Forgets the title; nothing happens when it was not there. */
  remove(profileKey: string, titleId: string): Promise<void>;
}
