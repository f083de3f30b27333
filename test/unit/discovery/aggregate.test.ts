import { describe, expect, it } from 'vitest';
import { aggregate, viewingEventOf } from '../../../lambdas/discovery/domain/aggregate.ts';
import type {
  CoOccurrenceIncrement,
  Like,
  TitleViewing,
  ViewingStore,
} from '../../../lambdas/discovery/domain/ports.ts';
import type {
  ChangeRecord,
  PlayEvent,
  WatchEvent,
} from '../../../lambdas/discovery/domain/viewing-events.ts';
import { heartbeat, NOW_EPOCH, sessionInsert } from './viewing-fixtures.ts';

/** The discovery table's semantics in memory: each event id counted once, each like once. */
class FakeViewing implements ViewingStore {
  readonly applied: string[] = [];
  readonly likes = new Map<string, Like[]>();
  readonly cooc = new Map<string, number>();
  readonly #seen = new Set<string>();
  readonly #counts = new Map<string, { plays: number; viewers: Set<string>; watchSec: number }>();
  /** Event ids whose write fails (the table unreachable for that call). */
  readonly failOn = new Set<string>();

  #counted(eventId: string): boolean {
    if (this.failOn.has(eventId)) throw new Error(`write of ${eventId} failed`);
    if (this.#seen.has(eventId)) return false;
    this.#seen.add(eventId);
    this.applied.push(eventId);
    return true;
  }

  #entry(titleId: string) {
    const entry = this.#counts.get(titleId) ?? { plays: 0, viewers: new Set<string>(), watchSec: 0 };
    this.#counts.set(titleId, entry);
    return entry;
  }

  async applyPlay(event: PlayEvent) {
    if (!this.#counted(event.eventId)) return false;
    const entry = this.#entry(event.titleId);
    entry.plays += 1;
    entry.viewers.add(event.profileKey);
    return true;
  }

  async applyWatch(event: WatchEvent) {
    if (event.watchSec <= 0 || !this.#counted(event.eventId)) return false;
    this.#entry(event.titleId).watchSec += event.watchSec;
    return true;
  }

  async recordLike(profileKey: string, like: Like, increments: readonly CoOccurrenceIncrement[]) {
    const likes = this.likes.get(profileKey) ?? [];
    if (likes.some((l) => l.titleId === like.titleId)) return false;
    this.likes.set(profileKey, [...likes, like]);
    for (const { a, b } of increments) this.cooc.set(`${a}|${b}`, (this.cooc.get(`${a}|${b}`) ?? 0) + 1);
    return true;
  }

  async viewing(): Promise<Map<string, TitleViewing>> {
    return new Map(
      [...this.#counts].map(([id, c]) => [
        id,
        { plays: c.plays, viewers: c.viewers.size, watchSec: c.watchSec },
      ]),
    );
  }

  async likesOf(profileKey: string) {
    return this.likes.get(profileKey) ?? [];
  }
}

function portsOf(store: FakeViewing) {
  return { viewing: store, tastes: store, recordLike: store.recordLike.bind(store) };
}

const noErrors = (record: ChangeRecord, error: unknown) => {
  throw new Error(`unexpected failure of ${record.eventId}: ${String(error)}`);
};

describe('aggregating viewing events', () => {
  it('counts plays, watch time and likes of a batch, in stream order', async () => {
    const store = new FakeViewing();
    const batch = [
      sessionInsert({ titleId: 'movie-1' }, { eventId: 'r1' }),
      heartbeat({ positionSec: 30 }, undefined, { eventId: 'r2' }),
      heartbeat({ positionSec: 60 }, { positionSec: 30 }, { eventId: 'r3' }),
      heartbeat({ positionSec: 520 }, { positionSec: 490 }, { eventId: 'r4' }),
    ];

    const outcome = await aggregate(portsOf(store), batch, noErrors);

    expect(outcome).toEqual({ plays: 1, watchSec: 90, likes: 1 });
    expect(store.applied).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect((await store.viewing()).get('movie-1')).toEqual({ plays: 1, viewers: 1, watchSec: 90 });
  });

  it('stops at the first record that fails and names it, leaving the later ones for the retry', async () => {
    const store = new FakeViewing();
    store.failOn.add('r2');
    const batch = [
      sessionInsert({}, { eventId: 'r1' }),
      sessionInsert({}, { eventId: 'r2' }),
      heartbeat({ positionSec: 30 }, undefined, { eventId: 'r3' }),
    ];
    const failures: [string, string][] = [];

    const outcome = await aggregate(portsOf(store), batch, (record, error) =>
      failures.push([record.eventId, (error as Error).message]),
    );

    expect(outcome).toEqual({ failedFrom: 'r2', plays: 1, watchSec: 0, likes: 0 });
    expect(failures).toEqual([['r2', 'write of r2 failed']]);
    expect(store.applied).toEqual(['r1']);
  });

  it('counts every record once when the batch is sent again from the start', async () => {
    const store = new FakeViewing();
    store.failOn.add('r2');
    const batch = [
      sessionInsert({}, { eventId: 'r1' }),
      heartbeat({ positionSec: 30 }, undefined, { eventId: 'r2' }),
      heartbeat({ positionSec: 510 }, { positionSec: 480 }, { eventId: 'r3' }),
    ];
    await aggregate(portsOf(store), batch, () => {});
    store.failOn.clear();

    const retried = await aggregate(portsOf(store), batch, noErrors);
    const again = await aggregate(portsOf(store), batch, noErrors);

    expect(retried).toEqual({ plays: 0, watchSec: 60, likes: 1 });
    expect(again).toEqual({ plays: 0, watchSec: 0, likes: 0 });
    expect((await store.viewing()).get('movie-1')).toEqual({ plays: 1, viewers: 1, watchSec: 60 });
  });

  it("records a like with the co-occurrence of the profile's earlier likes, most recent first, both ways", async () => {
    const store = new FakeViewing();
    store.likes.set('acct-1#prof-1', [
      { titleId: 'older', likedAt: '2026-11-01T00:00:00.000Z', finished: true },
      { titleId: 'newer', likedAt: '2026-11-20T00:00:00.000Z', finished: false },
    ]);
    const recorded: [string, Like, readonly CoOccurrenceIncrement[]][] = [];
    const ports = {
      ...portsOf(store),
      recordLike: async (profileKey: string, like: Like, increments: readonly CoOccurrenceIncrement[]) => {
        recorded.push([profileKey, like, increments]);
        return store.recordLike(profileKey, like, increments);
      },
    };

    const outcome = await aggregate(
      ports,
      [heartbeat({ titleId: 'movie-1', positionSec: 520 }, { titleId: 'movie-1', positionSec: 490 })],
      noErrors,
    );

    expect(outcome.likes).toBe(1);
    expect(recorded).toEqual([
      [
        'acct-1#prof-1',
        { titleId: 'movie-1', likedAt: new Date(NOW_EPOCH * 1000).toISOString(), finished: false },
        [
          { a: 'newer', b: 'movie-1' },
          { a: 'movie-1', b: 'newer' },
          { a: 'older', b: 'movie-1' },
          { a: 'movie-1', b: 'older' },
        ],
      ],
    ]);
  });

  it('never pairs a title with itself when its finish comes after its like', async () => {
    const store = new FakeViewing();
    store.likes.set('acct-1#prof-1', [
      { titleId: 'movie-1', likedAt: '2026-11-20T00:00:00.000Z', finished: false },
      { titleId: 'other', likedAt: '2026-11-19T00:00:00.000Z', finished: false },
    ]);
    const increments: (readonly CoOccurrenceIncrement[])[] = [];
    const ports = {
      ...portsOf(store),
      recordLike: async (profileKey: string, like: Like, inc: readonly CoOccurrenceIncrement[]) => {
        increments.push(inc);
        return store.recordLike(profileKey, like, inc);
      },
    };

    const outcome = await aggregate(
      ports,
      [heartbeat({ positionSec: 960, finished: true }, { positionSec: 930 })],
      noErrors,
    );

    expect(increments).toEqual([
      [
        { a: 'other', b: 'movie-1' },
        { a: 'movie-1', b: 'other' },
      ],
    ]);
    // The like was there before: the store counts nothing again.
    expect(outcome.likes).toBe(0);
  });

  it('records a like even when the heartbeat carries no watch time (a first heartbeat at the end)', async () => {
    const store = new FakeViewing();

    const outcome = await aggregate(
      portsOf(store),
      [heartbeat({ positionSec: 999, finished: true })],
      noErrors,
    );

    expect(outcome).toEqual({ plays: 0, watchSec: 0, likes: 1 });
    expect(store.likes.get('acct-1#prof-1')).toEqual([
      { titleId: 'movie-1', likedAt: new Date(NOW_EPOCH * 1000).toISOString(), finished: true },
    ]);
  });

  it('skips records that are no viewing event, and goes on', async () => {
    const store = new FakeViewing();
    const batch: ChangeRecord[] = [
      sessionInsert({ pk: 'account#acct-1', streams: {} }, { eventId: 'r1' }),
      { eventId: 'r2', eventName: 'REMOVE', createdAtEpoch: NOW_EPOCH, oldImage: { pk: 'session#s-1' } },
      heartbeat({ positionSec: 20, country: undefined }, undefined, { eventId: 'r3' }),
      sessionInsert({}, { eventId: 'r4' }),
    ];

    const outcome = await aggregate(portsOf(store), batch, noErrors);

    expect(outcome).toEqual({ plays: 1, watchSec: 0, likes: 0 });
    expect(store.applied).toEqual(['r4']);
  });

  it('reads a playback item as a play and a history item as a heartbeat', () => {
    expect(viewingEventOf(sessionInsert())?.kind).toBe('play');
    expect(viewingEventOf(heartbeat({ positionSec: 10 }))?.kind).toBe('watch');
    expect(
      viewingEventOf({ eventId: 'x', eventName: 'INSERT', createdAtEpoch: NOW_EPOCH, newImage: {} }),
    ).toBe(undefined);
  });
});
