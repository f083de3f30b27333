/**
 * Viewing history: heartbeats move a profile's resume position forward in client time, the
 * history lists what it watched, newest first. Pure: every dependency is a port.
 */
import { type Maturity, maturityAllows } from '#contracts/api/common.ts';
import { FINISHED_RATIO, type HeartbeatRequest, type HistoryEntry } from '#contracts/api/history.ts';
import type { TitleFacts } from '#contracts/internal.ts';
import { BadRequestError, NotFoundError } from '#shared/errors.ts';
import { decodeCursor, encodeCursor } from '#shared/pagination.ts';
import type {
  HistoryRecord,
  HistoryStore,
  ProfileDirectory,
  ProfileFacts,
  RecencyKey,
  TitleDirectory,
} from './ports.ts';

/**
 * How far ahead of the server a client clock may be. A heartbeat from further in the future
 * would pin the position: every later, honest heartbeat would count as older and be ignored.
 */
export const MAX_CLIENT_CLOCK_AHEAD_MS = 24 * 3600 * 1000;

/** How many stored entries a page may look through to fill itself with visible ones. */
const MAX_ENTRIES_SCANNED_PER_PAGE = 500;

/** The history table's partition: the account is part of it, so a read never leaves the account. */
export function profileKey(accountId: string, profileId: string): string {
  return `${accountId}#${profileId}`;
}

/** Finished from `FINISHED_RATIO` of the duration on (credits are rarely watched). */
export function isFinished(positionSec: number, durationSec: number): boolean {
  return positionSec >= FINISHED_RATIO * durationSec;
}

/** `clientTs` as ms since the epoch, whether it came as a number or an ISO instant. */
export function clientTimestamp(clientTs: HeartbeatRequest['clientTs']): number {
  return typeof clientTs === 'number' ? clientTs : Date.parse(clientTs);
}

/** Who is asking, about which profile, from where. */
export interface Viewer {
  readonly accountId: string;
  readonly profileId: string;
  /** The viewer's country: titles are licensed per country. */
  readonly country: string;
}

/** The caller's profile, or 404 PROFILE_NOT_FOUND (also for another account's profile). */
export async function requireProfile(
  profiles: ProfileDirectory,
  viewer: Pick<Viewer, 'accountId' | 'profileId'>,
): Promise<ProfileFacts> {
  const profile = await profiles.getProfile(viewer.accountId, viewer.profileId);
  if (!profile)
    throw new NotFoundError('PROFILE_NOT_FOUND', `No profile ${viewer.profileId} on this account.`);
  return profile;
}

/**
 * Titles of `titleIds` this profile may see here, by id. The catalog filters by country and
 * maturity; the rating is checked again so a kids profile never sees more, whatever the catalog
 * answers.
 */
export async function visibleTitles(
  titles: TitleDirectory,
  titleIds: readonly string[],
  country: string,
  maturity: Maturity,
): Promise<Map<string, TitleFacts>> {
  const visible = new Map<string, TitleFacts>();
  const unique = [...new Set(titleIds)];
  // describeTitles takes at most 100 ids per call.
  for (let i = 0; i < unique.length; i += 100) {
    for (const facts of await titles.describeTitles(unique.slice(i, i + 100), country, maturity)) {
      if (maturityAllows(maturity, facts.maturity)) visible.set(facts.titleId, facts);
    }
  }
  return visible;
}

export function toEntry(record: HistoryRecord, facts?: TitleFacts): HistoryEntry {
  const entry: HistoryEntry = {
    titleId: record.titleId,
    positionSec: record.positionSec,
    durationSec: record.durationSec,
    updatedAt: record.updatedAt,
    clientTs: record.clientTs,
    finished: record.finished,
  };
  const name = facts?.name ?? record.titleName;
  if (name !== undefined) entry.name = name;
  return entry;
}

export interface HeartbeatPorts {
  readonly profiles: ProfileDirectory;
  readonly titles: TitleDirectory;
  readonly history: HistoryStore;
  readonly clock: () => Date;
}

/**
 * Records where the profile is in a title. Heartbeats arrive late, twice, or out of order: the
 * one with the largest client time wins, and a late, older one is answered with what is stored
 * (200, not an error).
 */
export async function recordHeartbeat(
  ports: HeartbeatPorts,
  viewer: Viewer,
  titleId: string,
  heartbeat: HeartbeatRequest,
): Promise<HistoryEntry> {
  const now = ports.clock();
  const clientTs = clientTimestamp(heartbeat.clientTs);
  if (clientTs > now.getTime() + MAX_CLIENT_CLOCK_AHEAD_MS) {
    throw new BadRequestError('INVALID_CLIENT_TS', 'clientTs: more than a day ahead of the server clock.');
  }
  const profile = await requireProfile(ports.profiles, viewer);
  const title = (await visibleTitles(ports.titles, [titleId], viewer.country, profile.maturity)).get(titleId);
  if (!title) throw titleNotFound(titleId);
  if (title.kind === 'series') {
    throw new BadRequestError('TITLE_NOT_PLAYABLE', `${titleId} is a series: report its episodes instead.`);
  }
  const record: HistoryRecord = {
    titleId,
    positionSec: heartbeat.positionSec,
    durationSec: heartbeat.durationSec,
    clientTs,
    updatedAt: now.toISOString(),
    finished: isFinished(heartbeat.positionSec, heartbeat.durationSec),
    titleName: title.name,
    country: viewer.country,
    ...(title.kind === 'episode'
      ? { seriesId: title.seriesId, seasonNumber: title.seasonNumber, episodeNumber: title.episodeNumber }
      : {}),
  };
  const stored = await ports.history.record(profileKey(viewer.accountId, viewer.profileId), record);
  return toEntry(stored);
}

export interface HistoryPage {
  items: HistoryEntry[];
  nextCursor?: string;
}

/**
 * The history, most recently watched first, `limit` entries a page. Entries of titles the
 * profile may no longer see here (window closed, rating above the profile) are left out; the
 * page looks further to fill itself.
 */
export async function listHistory(
  ports: Omit<HeartbeatPorts, 'clock'>,
  viewer: Viewer,
  page: { limit: number; cursor?: string },
): Promise<HistoryPage> {
  let after = decodeRecencyCursor(page.cursor);
  const profile = await requireProfile(ports.profiles, viewer);
  const key = profileKey(viewer.accountId, viewer.profileId);
  const items: HistoryEntry[] = [];
  let scanned = 0;
  for (;;) {
    const batch = await ports.history.recent(key, { limit: page.limit, after });
    scanned += batch.records.length;
    const visible = await visibleTitles(
      ports.titles,
      batch.records.map((r) => r.titleId),
      viewer.country,
      profile.maturity,
    );
    for (const [index, record] of batch.records.entries()) {
      const facts = visible.get(record.titleId);
      if (!facts) continue;
      items.push(toEntry(record, facts));
      if (items.length === page.limit) {
        const more = index < batch.records.length - 1 || batch.lastKey !== undefined;
        return more ? { items, nextCursor: encodeRecencyCursor(record) } : { items };
      }
    }
    if (!batch.lastKey) return { items };
    after = batch.lastKey;
    if (scanned >= MAX_ENTRIES_SCANNED_PER_PAGE) return { items, nextCursor: encodeRecencyCursor(after) };
  }
}

/** Forgets a title (idempotent: forgetting it twice is fine). */
export async function forgetTitle(
  ports: Pick<HeartbeatPorts, 'profiles' | 'history'>,
  viewer: Pick<Viewer, 'accountId' | 'profileId'>,
  titleId: string,
): Promise<void> {
  await requireProfile(ports.profiles, viewer);
  await ports.history.remove(profileKey(viewer.accountId, viewer.profileId), titleId);
}

export function titleNotFound(titleId: string): NotFoundError {
  return new NotFoundError('TITLE_NOT_FOUND', `No title ${titleId} here.`);
}

/** The cursor names the last entry shown; the partition is never taken from the client. */
export function encodeRecencyCursor(key: RecencyKey): string {
  return encodeCursor({ titleId: key.titleId, updatedAt: key.updatedAt }) ?? '';
}

export function decodeRecencyCursor(cursor: string | undefined): RecencyKey | undefined {
  const key = decodeCursor(cursor, ['titleId', 'updatedAt']);
  if (!key) return undefined;
  const { titleId, updatedAt } = key;
  if (typeof titleId !== 'string' || typeof updatedAt !== 'string') {
    throw new BadRequestError('INVALID_CURSOR', 'The cursor is not one this API issued.');
  }
  return { titleId, updatedAt };
}

/** The position to resume the title at: where the profile stopped, 0 when unplayed or finished. */
export async function resumePosition(
  history: Pick<HistoryStore, 'get'>,
  accountId: string,
  profileId: string,
  titleId: string,
): Promise<number> {
  const record = await history.get(profileKey(accountId, profileId), titleId);
  if (!record || record.finished) return 0;
  return record.positionSec;
}
