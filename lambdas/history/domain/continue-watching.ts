/**
 * Continue watching: what the profile started and did not finish, and the next episode of a
 * series whose latest episode it finished. One item per series (or movie), decided by its most
 * recent entry, newest first.
 */

import { maturityAllows } from '#contracts/api/common.ts';
import type { continueWatchingSchema } from '#contracts/api/history.ts';
import type { TitleFacts } from '#contracts/internal.ts';
import type * as z from '#contracts/zod.ts';
import {
  type HeartbeatPorts,
  profileKey,
  requireProfile,
  toEntry,
  type Viewer,
  visibleTitles,
} from './history.ts';
import type { HistoryRecord, ProfileFacts, RecencyKey } from './ports.ts';

export type ContinueWatching = z.infer<typeof continueWatchingSchema>;
export type ContinueWatchingItem = ContinueWatching['items'][number];

/** Items in the row. */
export const CONTINUE_WATCHING_LIMIT = 20;
/** How many recent entries are considered: the row is about recent viewing. */
export const RECENT_ENTRIES_CONSIDERED = 200;
/** How many finished episodes in a row are skipped looking for the one to watch next. */
const MAX_EPISODES_SKIPPED = 5;

type Ports = Omit<HeartbeatPorts, 'clock'>;

export async function continueWatching(ports: Ports, viewer: Viewer): Promise<ContinueWatching> {
  const profile = await requireProfile(ports.profiles, viewer);
  const key = profileKey(viewer.accountId, viewer.profileId);
  const records = await recentRecords(ports, key);
  const visible = await visibleTitles(
    ports.titles,
    records.map((r) => r.titleId),
    viewer.country,
    profile.maturity,
  );
  const known = new Map<string, HistoryRecord>();
  for (const record of records) {
    // A title updated while the pages were read can appear twice: the first (newest) counts.
    if (visible.has(record.titleId) && !known.has(record.titleId)) known.set(record.titleId, record);
  }

  // The most recent entry of each series (or movie) decides what the row shows for it.
  const deciding: { record: HistoryRecord; facts: TitleFacts }[] = [];
  const seen = new Set<string>();
  for (const record of known.values()) {
    const facts = visible.get(record.titleId);
    if (!facts) continue;
    const group = facts.seriesId ?? record.seriesId ?? record.titleId;
    if (seen.has(group)) continue;
    seen.add(group);
    deciding.push({ record, facts });
  }

  const context: Context = { ports, viewer, profile, key, known };
  const items: ContinueWatchingItem[] = [];
  // Resolve in waves of as many as still fit: next episodes cost a call each, most rows fill at once.
  let next = 0;
  while (items.length < CONTINUE_WATCHING_LIMIT && next < deciding.length) {
    const wave = deciding.slice(next, next + CONTINUE_WATCHING_LIMIT - items.length);
    next += wave.length;
    const resolved = await Promise.all(wave.map(({ record, facts }) => itemFor(context, record, facts)));
    for (const item of resolved) if (item) items.push(item);
  }
  return { items };
}

interface Context {
  readonly ports: Ports;
  readonly viewer: Viewer;
  readonly profile: ProfileFacts;
  readonly key: string;
  readonly known: Map<string, HistoryRecord>;
}

/** What the row shows for a series or movie whose most recent entry is `record`. */
async function itemFor(
  context: Context,
  record: HistoryRecord,
  facts: TitleFacts,
): Promise<ContinueWatchingItem | undefined> {
  if (!record.finished) return record.positionSec > 0 ? resume(record, facts) : undefined;
  if (facts.kind !== 'episode') return undefined;

  // A finished episode: the next one, unless the profile has an entry for it already, which
  // then decides (resume it, or, finished too, look one further).
  let current = record;
  for (let skipped = 0; skipped <= MAX_EPISODES_SKIPPED; skipped++) {
    const { ports, viewer, profile } = context;
    const nextEpisode = await ports.titles.nextEpisode(current.titleId, viewer.country, profile.maturity);
    if (!nextEpisode || !maturityAllows(profile.maturity, nextEpisode.maturity)) return undefined;
    const own =
      context.known.get(nextEpisode.titleId) ?? (await ports.history.get(context.key, nextEpisode.titleId));
    if (!own) return startNext(nextEpisode, record);
    if (!own.finished) return own.positionSec > 0 ? resume(own, nextEpisode) : startNext(nextEpisode, record);
    current = own;
  }
  return undefined;
}

function resume(record: HistoryRecord, facts: TitleFacts): ContinueWatchingItem {
  return { ...toEntry(record, facts), reason: 'resume' };
}

/** The next episode from its start; it sits in the row where the finished one's activity puts it. */
function startNext(episode: TitleFacts, finished: HistoryRecord): ContinueWatchingItem {
  return {
    titleId: episode.titleId,
    name: episode.name,
    positionSec: 0,
    durationSec: episode.asset?.durationSec ?? 0,
    updatedAt: finished.updatedAt,
    clientTs: finished.clientTs,
    finished: false,
    reason: 'next-episode',
  };
}

async function recentRecords(ports: Ports, key: string): Promise<HistoryRecord[]> {
  const records: HistoryRecord[] = [];
  let after: RecencyKey | undefined;
  do {
    const limit = Math.min(100, RECENT_ENTRIES_CONSIDERED - records.length);
    const page = await ports.history.recent(key, { limit, after });
    records.push(...page.records);
    after = page.lastKey;
  } while (after && records.length < RECENT_ENTRIES_CONSIDERED);
  return records;
}
