/**
 * Table declarations: CDK creates the tables from these, the local platform reads the tables
 * back from the synthesized template, and the adapters use the same key names. Each table
 * belongs to one service; no other service reads it (they ask through an API or an event).
 */
export interface TableDeclaration {
  /** Construct id in the data stack (an API: renaming it replaces the table). */
  readonly constructId: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  /** Numeric epoch-seconds attribute DynamoDB expires items by. */
  readonly timeToLiveAttribute?: string;
  /**
   * Publishes a DynamoDB Stream of its changes (new and old images), which other services consume
   * as events (`streams` in `functions.ts`). @default false
   */
  readonly stream?: boolean;
  readonly indexes: readonly {
    readonly name: string;
    readonly partitionKey: string;
    readonly sortKey?: string;
  }[];
}

/**
 * Every table, by id. A function declares which it uses (`functions.ts`) and finds the name in
 * `tableEnv(id)`.
 */
export const TABLES = {
  /** jobs: one item per encode job, owned by the media pipeline (its routes and its steps). */
  jobs: {
    constructId: 'MediaJobs',
    partitionKey: 'jobId',
    indexes: [{ name: 'byTitle', partitionKey: 'titleId', sortKey: 'createdAt' }],
  },
  /**
   * identity: `account#<id>`, `email#<address>` (uniqueness), `refresh#<hash>` (local refresh
   * tokens, expiring), `key#<kid>` (the local identity provider's signing keys).
   */
  identity: {
    constructId: 'Identity',
    partitionKey: 'pk',
    timeToLiveAttribute: 'expiresAtEpoch',
    indexes: [],
  },
  /** profiles: one item per profile under its account. */
  profiles: { constructId: 'Profiles', partitionKey: 'accountId', sortKey: 'profileId', indexes: [] },
  /** subscriptions: one item per account; the renewal job finds due ones by status and date. */
  subscriptions: {
    constructId: 'Subscriptions',
    partitionKey: 'accountId',
    indexes: [{ name: 'byStatus', partitionKey: 'status', sortKey: 'renewsAt' }],
  },
  /**
   * catalog: one item per title (movie, series or episode). `byListing` lists browsable titles
   * (movies and series) by name; `bySeries` a series' episodes in order.
   */
  catalog: {
    constructId: 'Catalog',
    partitionKey: 'titleId',
    // Discovery rebuilds its search index and catalog snapshot when a title changes.
    stream: true,
    indexes: [
      { name: 'byListing', partitionKey: 'listing', sortKey: 'sortKey' },
      { name: 'bySeries', partitionKey: 'seriesId', sortKey: 'episodeKey' },
    ],
  },
  /**
   * history: one item per (profile, title). `profileKey` is `<accountId>#<profileId>`, so a
   * read can only ever reach the caller's own account. `byRecency` lists newest first.
   */
  history: {
    constructId: 'History',
    partitionKey: 'profileKey',
    sortKey: 'titleId',
    // Heartbeats are viewing events: discovery aggregates watch time and what each profile liked.
    stream: true,
    indexes: [{ name: 'byRecency', partitionKey: 'profileKey', sortKey: 'updatedAt' }],
  },
  /**
   * playback: `account#<accountId>` holds the account's stream map (session id → expiry) and its
   * version, the compare-and-swap behind the concurrent-stream limit; `session#<sessionId>` one
   * playback session. Both expire by `expiresAtEpoch` (a session 5 minutes after its last heartbeat).
   * `popularity#<day>#<titleId>`: the title's playback starts that UTC day, listed per day by the
   * sparse index `byDay` (prepositioning ranks titles by them); kept 35 days.
   */
  playback: {
    constructId: 'Playback',
    partitionKey: 'pk',
    timeToLiveAttribute: 'expiresAtEpoch',
    // New sessions are playback starts: discovery counts plays and unique viewers.
    stream: true,
    indexes: [{ name: 'byDay', partitionKey: 'popularityDay', sortKey: 'titleId' }],
  },
  /**
   * discovery: the viewing aggregates and what is derived from them (`lambdas/discovery/adapters/
   * discovery-table.ts` documents the key layout): plays, viewers and watch time per country, day
   * and title; item co-occurrence; each profile's liked titles; stored recommendations; artwork
   * statistics; processed stream records (idempotency), expiring.
   */
  discovery: {
    constructId: 'Discovery',
    partitionKey: 'pk',
    sortKey: 'sk',
    timeToLiveAttribute: 'expiresAtEpoch',
    indexes: [],
  },
} as const satisfies Record<string, TableDeclaration>;
export type TableId = keyof typeof TABLES;

/** The media pipeline's jobs table. */
export const MEDIA_JOBS_TABLE = TABLES.jobs;
