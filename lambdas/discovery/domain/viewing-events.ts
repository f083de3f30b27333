/**
 * Viewing events, read from other services' table streams: a new playback session is a play; a
 * heartbeat that moved the position forward is watch time, and may make the title one the
 * profile liked. Pure: the stream record's images come in already unmarshalled.
 *
 * An episode counts for its series: discovery ranks and recommends what viewers browse (movies
 * and series).
 */
import { isPositive } from './recommend.ts';

/** A heartbeat more than this after the previous one is a seek or a gap, not watching. */
export const MAX_WATCH_STEP_SEC = 60;

interface EventBase {
  /** The stream record's id: a redelivered record has the same one. */
  readonly eventId: string;
  /** UTC day the change happened (`YYYY-MM-DD`), from the record's creation time. */
  readonly day: string;
  readonly country: string;
  /** The browsable title: a movie, or the series of an episode. */
  readonly titleId: string;
  /** `<accountId>#<profileId>`. */
  readonly profileKey: string;
}

export interface PlayEvent extends EventBase {
  readonly kind: 'play';
  /** The poster the play started from, when the client said. */
  readonly artworkId?: string;
}

export interface WatchEvent extends EventBase {
  readonly kind: 'watch';
  /** Seconds watched since the previous heartbeat (0 for a seek back or a jump ahead). */
  readonly watchSec: number;
  /** Set when this heartbeat made the title liked (or finished it): finished, or watched half. */
  readonly liked?: { readonly finished: boolean };
}

export type ViewingEvent = PlayEvent | WatchEvent;

/** A stream record as the handler hands it over: images unmarshalled. */
export interface ChangeRecord {
  readonly eventId: string;
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** Epoch seconds (`ApproximateCreationDateTime`). */
  readonly createdAtEpoch: number;
  readonly newImage?: Readonly<Record<string, unknown>>;
  readonly oldImage?: Readonly<Record<string, unknown>>;
}

export function utcDay(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 10);
}

/** The last `days` UTC days up to `now`, oldest first. */
export function lastDays(now: Date, days: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) =>
    new Date(today - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A playback table record: a new session is a play. Anything else: `undefined`. */
export function playFromSession(record: ChangeRecord): PlayEvent | undefined {
  const image = record.newImage;
  if (record.eventName !== 'INSERT' || !image || !String(image.pk ?? '').startsWith('session#'))
    return undefined;
  const accountId = str(image.accountId);
  const profileId = str(image.profileId);
  const titleId = str(image.seriesId) ?? str(image.titleId);
  const country = str(image.country);
  if (!accountId || !profileId || !titleId || !country) return undefined;
  const artworkId = str(image.artworkId);
  return {
    kind: 'play',
    eventId: record.eventId,
    day: utcDay(record.createdAtEpoch),
    country,
    titleId,
    profileKey: `${accountId}#${profileId}`,
    ...(artworkId ? { artworkId } : {}),
  };
}

/** A history table record: watch time, and a like when the heartbeat crossed the line. */
export function watchFromHistory(record: ChangeRecord): WatchEvent | undefined {
  const now = record.newImage;
  if (record.eventName === 'REMOVE' || !now) return undefined;
  const profileKey = str(now.profileKey);
  const titleId = str(now.seriesId) ?? str(now.titleId);
  const country = str(now.country);
  const position = num(now.positionSec);
  const duration = num(now.durationSec);
  if (!profileKey || !titleId || !country || position === undefined || duration === undefined)
    return undefined;
  const before = record.oldImage;
  const previous = before ? (num(before.positionSec) ?? 0) : 0;
  const step = position - previous;
  const watchSec = step > 0 && step <= MAX_WATCH_STEP_SEC ? step : 0;
  const finished = now.finished === true;
  const likedNow = isPositive(position, duration, finished);
  const likedBefore =
    before !== undefined &&
    isPositive(num(before.positionSec) ?? 0, num(before.durationSec) ?? 0, before.finished === true);
  // An episode finished is not the series finished: a series is never "finished" here.
  const seriesLevel = str(now.seriesId) !== undefined;
  const finishedTitle = finished && !seriesLevel;
  const finishedBefore = before?.finished === true && !seriesLevel;
  const liked =
    likedNow && (!likedBefore || (finishedTitle && !finishedBefore))
      ? { finished: finishedTitle }
      : undefined;
  return {
    kind: 'watch',
    eventId: record.eventId,
    day: utcDay(record.createdAtEpoch),
    country,
    titleId,
    profileKey,
    watchSec,
    ...(liked ? { liked } : {}),
  };
}
