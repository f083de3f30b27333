/**
 * What the playback use cases need from the outside world: the profiles, catalog and
 * subscriptions services (asked through their internal functions), the media bucket (the
 * asset's multivariant playlist), the playback table (sessions and the per-account stream map),
 * the signing keys, the edge's revocation list and the edges' health. Handlers wire the real
 * ones; tests pass small in-memory fakes.
 */
import type { Maturity } from '#contracts/api/common.ts';
import type { Entitlement, TitleFacts } from '#contracts/internal.ts';

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
}

export interface EntitlementSource {
  /** What the account may play now: plan limits, or why not. */
  getEntitlement(accountId: string): Promise<Entitlement>;
}

export interface MediaStore {
  /** The text of a media-bucket object (a playlist), or `undefined` when there is none. */
  getText(key: string): Promise<string | undefined>;
}

/** One HMAC key: `kid` names it in tokens, `secret` is the base64 text the edge's KeyValueStore holds. */
export interface SigningKey {
  readonly kid: string;
  readonly secret: string;
}

export interface SigningKeys {
  /** The key new tokens are signed with. */
  current(): Promise<SigningKey>;
  /** A key by id, to verify tokens signed before a rotation; `undefined` for an unknown id. */
  byId(kid: string): Promise<SigningKey | undefined>;
}

/** One edge (a CloudFront distribution, a local edge server): a Content Steering pathway. */
export interface Pathway {
  /** Pathway ID: `[A-Za-z0-9._-]+` (HLS Content Steering). */
  readonly id: string;
  /** Scheme, host and optional port, no trailing slash: `https://d111.cloudfront.net`. */
  readonly baseUrl: string;
}

export interface EdgeHealth {
  /** Which pathways answer their health check now, by pathway id. */
  healthOf(pathways: readonly Pathway[]): Promise<ReadonlyMap<string, boolean>>;
}

export interface Revocations {
  /**
   * Makes the edges refuse the session's tokens from now on. `untilEpoch` is when they expire
   * anyway (the session's `tokenExpiresAtEpoch`): the entry is needed until then, not after.
   */
  revoke(sessionId: string, untilEpoch: number): Promise<void>;
  /** Deletes the revocations that are no longer needed at `nowEpoch`; resolves with how many. */
  sweep(nowEpoch: number): Promise<number>;
}

/** One entry of the edge KeyValueStore. */
export interface KeyValueEntry {
  readonly key: string;
  readonly value: string;
}

/**
 * The edge KeyValueStore (CloudFront's, or the local edges' file): what playback writes there,
 * signing keys (`key:<kid>`) and revocations (`revoked:<sessionId>`).
 */
export interface EdgeKeyValueStore {
  /** Every entry whose key starts with `prefix`. */
  list(prefix: string): Promise<KeyValueEntry[]>;
  /** Adds or replaces one entry. */
  put(key: string, value: string): Promise<void>;
  /** Deletes these keys. */
  remove(keys: readonly string[]): Promise<void>;
}

/** A playback session as stored. */
export interface PlaybackSession {
  readonly sessionId: string;
  readonly accountId: string;
  readonly profileId: string;
  readonly titleId: string;
  /** Episodes: their series (discovery counts an episode's play for its series). */
  readonly seriesId?: string;
  /** The viewer's country at the start (discovery counts plays per country). */
  readonly country?: string;
  /** The poster the play started from, if the client said (discovery's artwork bandit). */
  readonly artworkId?: string;
  readonly assetId: string;
  /** Media-bucket key of the asset's multivariant playlist. */
  readonly manifestKey: string;
  /** Tallest rendition the session may play: min(plan, device). */
  readonly maxHeight: number;
  /** Codecs the device declared (RFC 6381 strings or their prefixes); absent: any. */
  readonly codecs?: readonly string[];
  readonly status: 'ACTIVE' | 'ENDED';
  /** ISO 8601. */
  readonly startedAt: string;
  /** Epoch seconds after which the session counts as abandoned (the table's TTL attribute). */
  readonly expiresAtEpoch: number;
  /** Epoch seconds the playlist and edge tokens of this session expire at. */
  readonly tokenExpiresAtEpoch: number;
  readonly endedAt?: string;
}

/** The account's open streams: session id → epoch seconds it expires at, and a version for CAS. */
export interface StreamMap {
  readonly streams: Readonly<Record<string, number>>;
  /** 0 when the account has no item yet. */
  readonly version: number;
}

export interface SessionStore {
  /** The account's stream map, read strongly consistently. */
  readStreams(accountId: string): Promise<StreamMap>;
  /**
   * Writes `next` as the account's stream map and puts `session`, in one transaction, only if
   * the map is still at `expectedVersion`. `false` when someone else wrote the map first.
   */
  commitStart(
    accountId: string,
    expectedVersion: number,
    next: Readonly<Record<string, number>>,
    session: PlaybackSession,
  ): Promise<boolean>;
  get(sessionId: string): Promise<PlaybackSession | undefined>;
  /**
   * Moves an ACTIVE, unexpired session of the account to `expiresAtEpoch` (session and map
   * entry, together). `false` when it is unknown, another account's, ended or expired.
   */
  extend(accountId: string, sessionId: string, expiresAtEpoch: number, nowEpoch: number): Promise<boolean>;
  /**
   * Marks the account's session ENDED and removes it from the stream map, together. `false` when
   * it is unknown or another account's; ending an ended session again changes nothing.
   */
  end(accountId: string, sessionId: string, endedAt: string): Promise<boolean>;
}

/** Clock and id source, so use cases stay pure. */
export interface Clock {
  now(): Date;
}
export interface Ids {
  sessionId(): string;
}

export interface ResumePositions {
  /** Seconds into the title where the profile left off; 0 when unplayed or finished. */
  positionOf(accountId: string, profileId: string, titleId: string): Promise<number>;
}

/** The asset a start played: what prepositioning warms. */
export interface PlayedAsset {
  readonly titleId: string;
  /** Episodes: their series (discovery counts an episode's play for its series). */
  readonly seriesId?: string;
  /** The viewer's country at the start (discovery counts plays per country). */
  readonly country?: string;
  /** The poster the play started from, if the client said (discovery's artwork bandit). */
  readonly artworkId?: string;
  readonly assetId: string;
  /** Media-bucket key of the asset's multivariant playlist. */
  readonly manifestKey: string;
}

/** A title's playback starts over a window of days, with the asset it was last played from. */
export interface PopularTitle extends PlayedAsset {
  readonly starts: number;
}

/** Playback starts per title and UTC day: the popularity prepositioning ranks titles by. */
export interface Popularity {
  recordStart(asset: PlayedAsset, at: Date): Promise<void>;
  /** Titles started on any of `days` (`YYYY-MM-DD`), starts summed, the newest asset kept; any order. */
  startsOn(days: readonly string[]): Promise<PopularTitle[]>;
}
