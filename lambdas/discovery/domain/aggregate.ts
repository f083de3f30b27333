/**
 * The aggregator's use case: each change record of the history and playback streams becomes the
 * counts it implies, applied once per record. Records are handled in stream order; the first
 * that fails stops the batch, and it and everything after it are reported for a retry (partial
 * batch response): the ones before it are not sent again, and a resent one counts once anyway.
 */

import type { TasteStore, ViewingStore } from './ports.ts';
import { coOccurrenceIncrements } from './recommend.ts';
import { type ChangeRecord, playFromSession, type ViewingEvent, watchFromHistory } from './viewing-events.ts';

export interface AggregatePorts {
  readonly viewing: ViewingStore;
  readonly tastes: Pick<TasteStore, 'likesOf'>;
  readonly recordLike: ViewingStore['recordLike'];
}

export interface AggregateOutcome {
  /** Id of the first record that failed: it and every record after it are to be retried (absent: all done). */
  readonly failedFrom?: string;
  readonly plays: number;
  readonly watchSec: number;
  readonly likes: number;
}

/** The viewing event a change record stands for, if any (sessions and heartbeats; the rest is ignored). */
export function viewingEventOf(record: ChangeRecord): ViewingEvent | undefined {
  const image = record.newImage;
  if (!image) return undefined;
  if (typeof image.pk === 'string') return playFromSession(record);
  if (typeof image.profileKey === 'string') return watchFromHistory(record);
  return undefined;
}

export async function aggregate(
  ports: AggregatePorts,
  records: readonly ChangeRecord[],
  onError: (record: ChangeRecord, error: unknown) => void,
): Promise<AggregateOutcome> {
  let plays = 0;
  let watchSec = 0;
  let likes = 0;
  for (const record of records) {
    try {
      const event = viewingEventOf(record);
      if (!event) continue;
      if (event.kind === 'play') {
        if (await ports.viewing.applyPlay(event)) plays += 1;
        continue;
      }
      if (await ports.viewing.applyWatch(event)) watchSec += event.watchSec;
      if (event.liked) {
        const likedAt = new Date(record.createdAtEpoch * 1000).toISOString();
        const already = (await ports.tastes.likesOf(event.profileKey)).filter(
          (l) => l.titleId !== event.titleId,
        );
        const increments = coOccurrenceIncrements(event.titleId, already);
        const like = { titleId: event.titleId, likedAt, finished: event.liked.finished };
        if (await ports.recordLike(event.profileKey, like, increments)) likes += 1;
      }
    } catch (error) {
      onError(record, error);
      return { failedFrom: record.eventId, plays, watchSec, likes };
    }
  }
  return { plays, watchSec, likes };
}
