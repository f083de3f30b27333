/**
 * The concurrent-stream limit. Each account has one stream map (session id → epoch seconds it
 * expires at) with a version. A start reads the map, drops the expired entries, refuses when the
 * open ones already fill the plan, and writes the map back with the new session only if the
 * version is unchanged (compare-and-swap); a conflict means someone else started, ended or
 * extended a stream in between, so it reads again. Two simultaneous starts therefore can never
 * both pass a limit of one: the second one's write fails and its re-read sees the first.
 */
import { ConflictError, DomainError } from '#shared/errors.ts';
import type { SessionStore } from './ports.ts';

/** A session without a heartbeat for this long is abandoned: its stream slot frees itself. */
export const SESSION_TTL_SEC = 5 * 60;

/** Compare-and-swap rounds before a start gives up under contention. */
export const MAX_CLAIM_ATTEMPTS = 10;

/** The entries still open at `nowEpoch` (an entry expiring exactly now is closed). */
export function openStreams(
  streams: Readonly<Record<string, number>>,
  nowEpoch: number,
): Record<string, number> {
  return Object.fromEntries(Object.entries(streams).filter(([, expiresAt]) => expiresAt > nowEpoch));
}

export type StreamClaim =
  | { readonly ok: true; readonly next: Record<string, number> }
  | { readonly ok: false; readonly open: number };

/** The map with `sessionId` added, or how many streams are open when the plan's limit is reached. */
export function claimStream(
  streams: Readonly<Record<string, number>>,
  limit: number,
  sessionId: string,
  expiresAtEpoch: number,
  nowEpoch: number,
): StreamClaim {
  const open = openStreams(streams, nowEpoch);
  const count = Object.keys(open).length;
  if (count >= limit) return { ok: false, open: count };
  return { ok: true, next: { ...open, [sessionId]: expiresAtEpoch } };
}

/** 409 STREAM_LIMIT_REACHED: the plan's streams are all in use. */
export class StreamLimitError extends ConflictError {
  readonly limit: number;
  constructor(limit: number) {
    super(
      'STREAM_LIMIT_REACHED',
      `Your plan allows ${limit} stream${limit === 1 ? '' : 's'} at a time: stop playback on another device first.`,
    );
    this.name = 'StreamLimitError';
    this.limit = limit;
  }
}

/**
 * Takes a stream slot for `session` and stores the session, atomically. Throws
 * `StreamLimitError`, or a 503 `STREAM_CLAIM_CONTENDED` when the map kept changing under it.
 */
export async function claimStreamSlot(
  sessions: SessionStore,
  accountId: string,
  limit: number,
  session: Parameters<SessionStore['commitStart']>[3],
  nowEpoch: number,
): Promise<void> {
  for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
    const current = await sessions.readStreams(accountId);
    const claim = claimStream(current.streams, limit, session.sessionId, session.expiresAtEpoch, nowEpoch);
    if (!claim.ok) throw new StreamLimitError(limit);
    if (await sessions.commitStart(accountId, current.version, claim.next, session)) return;
  }
  throw new DomainError(
    'STREAM_CLAIM_CONTENDED',
    'Too many playback changes on this account at once: try again.',
    503,
  );
}
