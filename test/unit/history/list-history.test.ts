import { describe, expect, it } from 'vitest';
import { encodeCursor } from '#shared/pagination.ts';
import { forgetTitle, listHistory, profileKey } from '../../../lambdas/history/domain/history.ts';
import type { HistoryRecord } from '../../../lambdas/history/domain/ports.ts';
import { ACCOUNT, FakeCatalog, FakeHistory, FakeProfiles, OTHER_ACCOUNT, rejection } from './fakes.ts';

const KEY = profileKey(ACCOUNT, 'p1');

function setup(maturity: 'kids' | 'adult' = 'adult') {
  const profiles = new FakeProfiles();
  const titles = new FakeCatalog();
  const history = new FakeHistory();
  profiles.add(ACCOUNT, 'p1', maturity);
  return { profiles, titles, history, viewer: { accountId: ACCOUNT, profileId: 'p1', country: 'US' } };
}

/** An entry watched `minute` minutes after 10:00 (later minutes are newer). */
function watched(titleId: string, minute: number, overrides: Partial<HistoryRecord> = {}): HistoryRecord {
  return {
    titleId,
    positionSec: 60,
    durationSec: 600,
    clientTs: minute * 60_000,
    updatedAt: new Date(Date.UTC(2026, 10, 21, 10, minute)).toISOString(),
    finished: false,
    ...overrides,
  };
}

describe('history: listing', () => {
  it('lists the most recently watched first', async () => {
    const ports = setup();
    for (const [id, minute] of [
      ['a', 1],
      ['b', 3],
      ['c', 2],
    ] as const) {
      ports.titles.movie(id);
      ports.history.seed(KEY, watched(id, minute));
    }

    const page = await listHistory(ports, ports.viewer, { limit: 20 });

    expect(page.items.map((i) => i.titleId)).toEqual(['b', 'c', 'a']);
    expect(page.nextCursor).toBeUndefined();
  });

  it('pages with a cursor until the end, without repeating an entry', async () => {
    const ports = setup();
    for (let minute = 0; minute < 5; minute++) {
      ports.titles.movie(`t${minute}`);
      ports.history.seed(KEY, watched(`t${minute}`, minute));
    }

    const first = await listHistory(ports, ports.viewer, { limit: 2 });
    const second = await listHistory(ports, ports.viewer, { limit: 2, cursor: first.nextCursor });
    const third = await listHistory(ports, ports.viewer, { limit: 2, cursor: second.nextCursor });

    expect([first, second, third].map((p) => p.items.map((i) => i.titleId))).toEqual([
      ['t4', 't3'],
      ['t2', 't1'],
      ['t0'],
    ]);
    expect(third.nextCursor).toBeUndefined();
  });

  it('leaves out titles above a kids profile and fills the page from further back', async () => {
    const ports = setup('kids');
    ports.titles.movie('cartoon-1', { maturity: 'kids' });
    ports.titles.movie('thriller', { maturity: 'adult' });
    ports.titles.movie('drama', { maturity: 'teen' });
    ports.titles.movie('cartoon-2', { maturity: 'kids' });
    ports.history.seed(KEY, watched('cartoon-1', 1));
    ports.history.seed(KEY, watched('thriller', 4));
    ports.history.seed(KEY, watched('drama', 3));
    ports.history.seed(KEY, watched('cartoon-2', 2));

    const page = await listHistory(ports, ports.viewer, { limit: 2 });

    expect(page.items.map((i) => i.titleId)).toEqual(['cartoon-2', 'cartoon-1']);
  });

  it("leaves out titles whose window closed in the viewer's country", async () => {
    const ports = setup();
    ports.titles.movie('gone', { countries: ['BR'] });
    ports.titles.movie('here');
    ports.history.seed(KEY, watched('gone', 2));
    ports.history.seed(KEY, watched('here', 1));

    const page = await listHistory(ports, ports.viewer, { limit: 20 });

    expect(page.items.map((i) => i.titleId)).toEqual(['here']);
  });

  it('answers 400 INVALID_CURSOR for a cursor it did not issue', async () => {
    const ports = setup();
    const forged = encodeCursor({ profileKey: `${OTHER_ACCOUNT}#p9`, titleId: 'x', updatedAt: 'y' });

    const garbage = await rejection(listHistory(ports, ports.viewer, { limit: 2, cursor: 'not-json' }));
    const foreign = await rejection(listHistory(ports, ports.viewer, { limit: 2, cursor: forged }));

    expect(garbage).toEqual({ code: 'INVALID_CURSOR', status: 400 });
    expect(foreign).toEqual({ code: 'INVALID_CURSOR', status: 400 });
  });

  it("answers 404 PROFILE_NOT_FOUND for another account's profile", async () => {
    const ports = setup();
    ports.profiles.add(OTHER_ACCOUNT, 'theirs');

    const error = await rejection(
      listHistory(ports, { accountId: ACCOUNT, profileId: 'theirs', country: 'US' }, { limit: 20 }),
    );

    expect(error).toEqual({ code: 'PROFILE_NOT_FOUND', status: 404 });
  });
});

describe('history: forgetting a title', () => {
  it('removes the entry, and forgetting it again is fine', async () => {
    const ports = setup();
    ports.history.seed(KEY, watched('m1', 1));

    await forgetTitle(ports, ports.viewer, 'm1');
    await forgetTitle(ports, ports.viewer, 'm1');

    expect(await ports.history.get(KEY, 'm1')).toBeUndefined();
  });

  it("refuses another account's profile with 404 PROFILE_NOT_FOUND", async () => {
    const ports = setup();
    ports.profiles.add(OTHER_ACCOUNT, 'theirs');
    ports.history.seed(profileKey(OTHER_ACCOUNT, 'theirs'), watched('m1', 1));

    const error = await rejection(forgetTitle(ports, { accountId: ACCOUNT, profileId: 'theirs' }, 'm1'));

    expect(error).toEqual({ code: 'PROFILE_NOT_FOUND', status: 404 });
    expect(await ports.history.get(profileKey(OTHER_ACCOUNT, 'theirs'), 'm1')).toBeDefined();
  });
});
