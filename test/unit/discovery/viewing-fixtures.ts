/**
 * Builders shared by the discovery viewing, Top 10 and home tests: catalog titles as the snapshot
 * holds them, and stream change records as the aggregator's handler hands them over.
 */
import type { SnapshotTitle } from '#contracts/internal.ts';
import { type CatalogView, catalogView } from '../../../lambdas/discovery/domain/catalog-view.ts';
import type { ChangeRecord } from '../../../lambdas/discovery/domain/viewing-events.ts';

/** "Now" of every test: 2026-11-21 10:00 UTC. */
export const NOW = new Date('2026-11-21T10:00:00Z');
/** Epoch seconds of `NOW`. */
export const NOW_EPOCH = Math.floor(NOW.getTime() / 1000);

/** A movie live in the US and GB since 2026, rated for kids, playable. */
export function title(titleId: string, overrides: Partial<SnapshotTitle> = {}): SnapshotTitle {
  return {
    titleId,
    kind: 'movie',
    name: `Title ${titleId}`,
    synopsis: `About ${titleId}`,
    genres: ['drama'],
    cast: [],
    maturity: 'kids',
    availability: [{ countries: ['US', 'GB'], from: '2026-01-01T00:00:00Z' }],
    artwork: { poster: `https://img.example/${titleId}.jpg` },
    playable: true,
    createdAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

/** A series with the given episodes. */
export function series(
  titleId: string,
  episodeIds: string[],
  overrides: Partial<SnapshotTitle> = {},
): SnapshotTitle {
  return title(titleId, { kind: 'series', episodeIds, ...overrides });
}

export function catalogOf(
  titles: readonly SnapshotTitle[],
  popularity: Readonly<Record<string, number>> = {},
): CatalogView {
  return catalogView({ builtAt: NOW.toISOString(), titles, popularity });
}

let sequence = 0;
/** A fresh stream record id. */
export function nextEventId(): string {
  sequence += 1;
  return `event-${sequence}`;
}

/** A new playback session (playback table INSERT). */
export function sessionInsert(
  fields: Record<string, unknown> = {},
  options: { eventId?: string; createdAtEpoch?: number } = {},
): ChangeRecord {
  return {
    eventId: options.eventId ?? nextEventId(),
    eventName: 'INSERT',
    createdAtEpoch: options.createdAtEpoch ?? NOW_EPOCH,
    newImage: {
      pk: 'session#s-1',
      sessionId: 's-1',
      accountId: 'acct-1',
      profileId: 'prof-1',
      titleId: 'movie-1',
      country: 'US',
      status: 'ACTIVE',
      ...fields,
    },
  };
}

/** A history item as a heartbeat leaves it. */
export function historyImage(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    profileKey: 'acct-1#prof-1',
    titleId: 'movie-1',
    positionSec: 0,
    durationSec: 1000,
    finished: false,
    country: 'US',
    clientTs: 1,
    updatedAt: NOW.toISOString(),
    ...fields,
  };
}

/** A heartbeat: INSERT without `before`, MODIFY with it. */
export function heartbeat(
  now: Record<string, unknown>,
  before?: Record<string, unknown>,
  options: { eventId?: string; createdAtEpoch?: number } = {},
): ChangeRecord {
  return {
    eventId: options.eventId ?? nextEventId(),
    eventName: before ? 'MODIFY' : 'INSERT',
    createdAtEpoch: options.createdAtEpoch ?? NOW_EPOCH,
    newImage: historyImage(now),
    ...(before ? { oldImage: historyImage(before) } : {}),
  };
}
