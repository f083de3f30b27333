/**
 * Browsing and watching over real HTTP on the embedded platform: the catalog as admins edit it
 * and viewers see it (regional availability windows, the kids filter), heartbeats, history and
 * continue-watching across the catalog, history and profiles services.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AvailabilityWindow } from '../../../lambdas/contracts/api/catalog.ts';
import type { Maturity } from '../../../lambdas/contracts/api/common.ts';
import { FINISHED_RATIO } from '../../../lambdas/contracts/api/history.ts';
import {
  type ApiPlatform,
  type Caller,
  DAY_MS,
  expectError,
  fromNow,
  startApiPlatform,
  type TestUser,
} from '../../support/api.ts';

let env: ApiPlatform;
let admin: TestUser;
/** A US account with an adult profile. */
let viewer: TestUser;
let adultProfile: string;

const liveIn = (...countries: string[]): AvailabilityWindow[] => [{ countries, from: fromNow(-DAY_MS) }];
/** A genre no other test uses: filtering the list by it shows only this test's titles. */
const uniqueGenre = () => `g-${randomUUID().slice(0, 8)}`;
const as = (country: string) => ({ 'x-viewer-country': country });

async function createTitle(fields: {
  name: string;
  maturity?: Maturity;
  genres?: string[];
  availability?: AvailabilityWindow[];
  kind?: 'movie' | 'series' | 'episode';
  seriesId?: string;
  seasonNumber?: number;
  episodeNumber?: number;
}): Promise<string> {
  const response = await admin.api.post('/v1/admin/titles', {
    maturity: 'teen',
    availability: liveIn('US'),
    ...fields,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.titleId;
}

async function newProfile(user: TestUser, maturity: Maturity): Promise<string> {
  const response = await user.api.post('/v1/profiles', {
    name: `${maturity} ${randomUUID().slice(0, 4)}`,
    maturity,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.profileId;
}

/** A fresh account and one adult profile of it: each test gets its own history. */
async function watcher(): Promise<{ api: Caller; profile: string }> {
  const user = await env.api.newUser({ country: 'US' });
  return { api: user.api, profile: await newProfile(user, 'adult') };
}

const heartbeat = (
  api: Caller,
  profileId: string,
  titleId: string,
  positionSec: number,
  durationSec = 1000,
  clientTs = Date.now(),
) => api.put(`/v1/profiles/${profileId}/history/${titleId}`, { positionSec, durationSec, clientTs });

const listedIds = async (api: Caller, query: string, headers?: Record<string, string>) => {
  const response = await api.get(`/v1/titles?${query}`, undefined, headers);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return (response.body.items as { titleId: string }[]).map((t) => t.titleId);
};

beforeAll(async () => {
  env = await startApiPlatform('api-viewing');
  [admin, viewer] = await Promise.all([env.api.admin(), env.api.newUser({ country: 'US' })]);
  adultProfile = await newProfile(viewer, 'adult');
});

afterAll(async () => {
  await env?.stop();
});

describe('catalog', () => {
  it('shows viewers a title an admin created, without its windows', async () => {
    const genre = uniqueGenre();
    const created = await admin.api.post('/v1/admin/titles', {
      name: 'The Long Take',
      synopsis: 'One shot, two hours.',
      genres: [genre, 'Drama'],
      cast: ['Ada Lovelace'],
      maturity: 'teen',
      releaseYear: 2024,
      availability: liveIn('US', 'CA'),
    });
    const { titleId } = created.body;

    const list = await viewer.api.get(`/v1/titles?genre=${genre}`);
    const get = await viewer.api.get(`/v1/titles/${titleId}`);

    expect(created.status).toBe(201);
    expect(created.body).toEqual({ titleId: expect.any(String) });
    expect(get.status).toBe(200);
    expect(get.body).toEqual({
      titleId,
      kind: 'movie',
      name: 'The Long Take',
      synopsis: 'One shot, two hours.',
      genres: [genre, 'drama'],
      cast: ['Ada Lovelace'],
      maturity: 'teen',
      releaseYear: 2024,
      artwork: {},
      playable: false,
    });
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ items: [get.body] });
  });

  it('applies an admin PATCH to the given fields only', async () => {
    const genre = uniqueGenre();
    const windows = liveIn('US');
    const titleId = await createTitle({ name: 'Working Title', genres: [genre], availability: windows });

    const patched = await admin.api.patch(`/v1/admin/titles/${titleId}`, {
      name: 'Final Title',
      releaseYear: 2026,
    });
    const seen = await viewer.api.get(`/v1/titles/${titleId}`);

    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      titleId,
      name: 'Final Title',
      releaseYear: 2026,
      genres: [genre],
      maturity: 'teen',
      availability: windows,
    });
    expect(Date.parse(patched.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(patched.body.createdAt));
    expect(seen.body).toMatchObject({ name: 'Final Title', releaseYear: 2026, genres: [genre] });
  });

  it('answers 404 TITLE_NOT_FOUND for a title that does not exist, to viewers and admins', async () => {
    expectError(await viewer.api.get('/v1/titles/no-such-title'), 404, 'TITLE_NOT_FOUND');
    expectError(
      await admin.api.patch('/v1/admin/titles/no-such-title', { name: 'x' }),
      404,
      'TITLE_NOT_FOUND',
    );
  });

  it('pages the list by name with a cursor', async () => {
    const genre = uniqueGenre();
    const ids = [];
    for (const name of ['Charlie', 'alpha', 'Bravo']) ids.push(await createTitle({ name, genres: [genre] }));

    const first = await viewer.api.get(`/v1/titles?genre=${genre}&limit=2`);
    const second = await viewer.api.get(`/v1/titles?genre=${genre}&limit=2&cursor=${first.body.nextCursor}`);

    expect(first.status).toBe(200);
    expect(first.body.items.map((t: { name: string }) => t.name)).toEqual(['alpha', 'Bravo']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(second.status).toBe(200);
    expect(second.body.items.map((t: { name: string }) => t.name)).toEqual(['Charlie']);
    expect(second.body).not.toHaveProperty('nextCursor');
  });

  it('lists a series with its seasons of episodes in order, and never lists the episodes themselves', async () => {
    const genre = uniqueGenre();
    const seriesId = await createTitle({ name: 'Ordered Series', kind: 'series', genres: [genre] });
    const e2 = await createTitle({
      name: 'Second',
      kind: 'episode',
      seriesId,
      seasonNumber: 1,
      episodeNumber: 2,
      genres: [genre],
    });
    const e1 = await createTitle({
      name: 'First',
      kind: 'episode',
      seriesId,
      seasonNumber: 1,
      episodeNumber: 1,
      genres: [genre],
    });
    const s2 = await createTitle({
      name: 'Third',
      kind: 'episode',
      seriesId,
      seasonNumber: 2,
      episodeNumber: 1,
      genres: [genre],
    });

    const series = await viewer.api.get(`/v1/titles/${seriesId}`);
    const listed = await listedIds(viewer.api, `genre=${genre}`);
    const duplicate = await admin.api.post('/v1/admin/titles', {
      name: 'Clash',
      kind: 'episode',
      seriesId,
      seasonNumber: 1,
      episodeNumber: 2,
      maturity: 'teen',
    });

    expect(series.status).toBe(200);
    expect(series.body.kind).toBe('series');
    expect(
      series.body.seasons.map((s: { seasonNumber: number; episodes: { titleId: string }[] }) => [
        s.seasonNumber,
        s.episodes.map((e) => e.titleId),
      ]),
    ).toEqual([
      [1, [e1, e2]],
      [2, [s2]],
    ]);
    expect(listed).toEqual([seriesId]);
    expectError(duplicate, 409, 'EPISODE_EXISTS');
  });
});

describe('availability windows', () => {
  it('shows a title live only in BR to viewers in BR, and to nobody in the US', async () => {
    const genre = uniqueGenre();
    const titleId = await createTitle({ name: 'Só no Brasil', genres: [genre], availability: liveIn('BR') });
    const brazilian = await env.api.newUser({ country: 'BR' });

    expect(await listedIds(viewer.api, `genre=${genre}`, as('BR'))).toEqual([titleId]);
    expect((await viewer.api.get(`/v1/titles/${titleId}`, undefined, as('BR'))).status).toBe(200);
    expect(await listedIds(brazilian.api, `genre=${genre}`)).toEqual([titleId]);
    expect(await listedIds(viewer.api, `genre=${genre}`, as('US'))).toEqual([]);
    expectError(await viewer.api.get(`/v1/titles/${titleId}`, undefined, as('US')), 404, 'TITLE_NOT_FOUND');
    expectError(await viewer.api.get(`/v1/titles/${titleId}`), 404, 'TITLE_NOT_FOUND');
    expectError(
      await brazilian.api.get(`/v1/titles/${titleId}`, undefined, as('US')),
      404,
      'TITLE_NOT_FOUND',
    );
  });

  it('ignores a malformed viewer-country header and falls back to the account country', async () => {
    const titleId = await createTitle({ name: 'US only', availability: liveIn('US') });

    const response = await viewer.api.get(`/v1/titles/${titleId}`, undefined, {
      'x-viewer-country': 'not-a-country',
    });

    expect(response.status).toBe(200);
  });

  it('hides a title whose window starts in the future, and shows it once an admin moves the window to now', async () => {
    const genre = uniqueGenre();
    const titleId = await createTitle({
      name: 'Coming Soon',
      genres: [genre],
      availability: [{ countries: ['US'], from: fromNow(7 * DAY_MS) }],
    });

    const before = await viewer.api.get(`/v1/titles/${titleId}`);
    const listedBefore = await listedIds(viewer.api, `genre=${genre}`);
    const moved = await admin.api.patch(`/v1/admin/titles/${titleId}`, { availability: liveIn('US') });
    const after = await viewer.api.get(`/v1/titles/${titleId}`);
    const listedAfter = await listedIds(viewer.api, `genre=${genre}`);

    expectError(before, 404, 'TITLE_NOT_FOUND');
    expect(listedBefore).toEqual([]);
    expect(moved.status).toBe(200);
    expect(after.status).toBe(200);
    expect(listedAfter).toEqual([titleId]);
  });

  it('hides a title whose window has ended, and one an admin closes', async () => {
    const genre = uniqueGenre();
    const ended = await createTitle({
      name: 'Gone',
      genres: [genre],
      availability: [{ countries: ['US'], from: fromNow(-30 * DAY_MS), to: fromNow(-DAY_MS) }],
    });
    const closing = await createTitle({ name: 'Leaving', genres: [genre], availability: liveIn('US') });

    const listedBefore = await listedIds(viewer.api, `genre=${genre}`);
    await admin.api.patch(`/v1/admin/titles/${closing}`, {
      availability: [{ countries: ['US'], from: fromNow(-30 * DAY_MS), to: fromNow(-1000) }],
    });

    expect(listedBefore).toEqual([closing]);
    expectError(await viewer.api.get(`/v1/titles/${ended}`), 404, 'TITLE_NOT_FOUND');
    expectError(await viewer.api.get(`/v1/titles/${closing}`), 404, 'TITLE_NOT_FOUND');
    expect(await listedIds(viewer.api, `genre=${genre}`)).toEqual([]);
  });

  it('refuses a heartbeat for a title not live in the viewer country: 404 TITLE_NOT_FOUND', async () => {
    const titleId = await createTitle({ name: 'Elsewhere', availability: liveIn('BR') });

    const refused = await heartbeat(viewer.api, adultProfile, titleId, 10, 1000, Date.now());

    expectError(refused, 404, 'TITLE_NOT_FOUND');
  });

  it('refuses a window whose end is before its start: 400', async () => {
    const response = await admin.api.post('/v1/admin/titles', {
      name: 'Backwards',
      maturity: 'teen',
      availability: [{ countries: ['US'], from: fromNow(0), to: fromNow(-DAY_MS) }],
    });

    expectError(response, 400, 'INVALID_REQUEST');
  });
});

describe('kids profiles', () => {
  let kidsTitle: string;
  let adultTitle: string;
  let genre: string;
  let family: TestUser;
  let kids: string;

  beforeAll(async () => {
    genre = uniqueGenre();
    [kidsTitle, adultTitle] = await Promise.all([
      createTitle({ name: 'Cartoon', maturity: 'kids', genres: [genre] }),
      createTitle({ name: 'Noir', maturity: 'adult', genres: [genre] }),
    ]);
    family = await env.api.newUser({ country: 'US' });
    kids = await newProfile(family, 'kids');
  });

  it('never lists an adult title to a kids profile', async () => {
    expect(await listedIds(family.api, `genre=${genre}&profileId=${kids}`)).toEqual([kidsTitle]);
    expect((await listedIds(family.api, `genre=${genre}`)).sort()).toEqual([kidsTitle, adultTitle].sort());
  });

  it('answers an adult title to a kids profile with 404 TITLE_NOT_FOUND', async () => {
    expectError(await family.api.get(`/v1/titles/${adultTitle}?profileId=${kids}`), 404, 'TITLE_NOT_FOUND');
    expect((await family.api.get(`/v1/titles/${kidsTitle}?profileId=${kids}`)).status).toBe(200);
  });

  it('refuses a heartbeat of a kids profile for an adult title with 404 TITLE_NOT_FOUND, and records nothing', async () => {
    const refused = await heartbeat(family.api, kids, adultTitle, 60);
    const accepted = await heartbeat(family.api, kids, kidsTitle, 60);
    const history = await family.api.get(`/v1/profiles/${kids}/history`);

    expectError(refused, 404, 'TITLE_NOT_FOUND');
    expect(accepted.status).toBe(200);
    expect(history.body.items.map((e: { titleId: string }) => e.titleId)).toEqual([kidsTitle]);
  });

  it('hides the adult titles in the history and continue-watching of a profile that became a kids profile', async () => {
    const child = await newProfile(family, 'adult');
    expect((await heartbeat(family.api, child, adultTitle, 100)).status).toBe(200);
    expect((await heartbeat(family.api, child, kidsTitle, 100)).status).toBe(200);

    const changed = await family.api.patch(`/v1/profiles/${child}`, { maturity: 'kids' });
    const history = await family.api.get(`/v1/profiles/${child}/history`);
    const row = await family.api.get(`/v1/profiles/${child}/continue-watching`);

    expect(changed.status).toBe(200);
    expect(history.body.items.map((e: { titleId: string }) => e.titleId)).toEqual([kidsTitle]);
    expect(row.body.items.map((e: { titleId: string }) => e.titleId)).toEqual([kidsTitle]);
  });
});

describe('history', () => {
  it('records a heartbeat and lists it, newest first, with the title name', async () => {
    const { api: me, profile } = await watcher();
    const first = await createTitle({ name: 'Watched First' });
    const second = await createTitle({ name: 'Watched Second' });
    const clientTs = Date.now();

    const put = await heartbeat(me, profile, first, 120, 3600, clientTs);
    await heartbeat(me, profile, second, 30, 1800);
    const history = await me.get(`/v1/profiles/${profile}/history`);

    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      titleId: first,
      positionSec: 120,
      durationSec: 3600,
      clientTs,
      finished: false,
    });
    expect(Date.parse(put.body.updatedAt)).not.toBeNaN();
    expect(history.status).toBe(200);
    expect(history.body.items).toEqual([
      expect.objectContaining({ titleId: second, positionSec: 30, name: 'Watched Second' }),
      expect.objectContaining({ titleId: first, positionSec: 120, durationSec: 3600, name: 'Watched First' }),
    ]);
  });

  it('accepts an ISO instant as clientTs', async () => {
    const { api: me, profile } = await watcher();
    const titleId = await createTitle({ name: 'ISO clock' });
    const at = new Date(Date.now() - 5000);

    const put = await me.put(`/v1/profiles/${profile}/history/${titleId}`, {
      positionSec: 5,
      durationSec: 100,
      clientTs: at.toISOString(),
    });

    expect(put.status).toBe(200);
    expect(put.body.clientTs).toBe(at.getTime());
  });

  it('never moves the position back for an older heartbeat: it answers the stored one', async () => {
    const { api: me, profile } = await watcher();
    const titleId = await createTitle({ name: 'Late Beat' });
    const now = Date.now();
    await heartbeat(me, profile, titleId, 300, 1000, now);

    const late = await heartbeat(me, profile, titleId, 100, 1000, now - 10_000);
    const history = await me.get(`/v1/profiles/${profile}/history`);

    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ positionSec: 300, clientTs: now });
    expect(history.body.items).toEqual([expect.objectContaining({ titleId, positionSec: 300 })]);
  });

  it('keeps the position of the latest client time when 20 heartbeats arrive at once, out of order', async () => {
    const { api: me, profile } = await watcher();
    const titleId = await createTitle({ name: 'Race' });
    const start = Date.now() - 60_000;
    const beats = Array.from({ length: 20 }, (_, i) => ({
      clientTs: start + i * 1000,
      positionSec: 10 * (i + 1),
    }));
    const shuffled = shuffle(beats);
    expect(shuffled).not.toEqual(beats);

    const responses = await Promise.all(
      shuffled.map((b) => heartbeat(me, profile, titleId, b.positionSec, 1000, b.clientTs)),
    );
    const history = await me.get(`/v1/profiles/${profile}/history`);

    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    for (const [i, response] of responses.entries()) {
      // Each answer is the stored position: never older than the beat it answers.
      expect(response.body.clientTs).toBeGreaterThanOrEqual(
        shuffled[i]?.clientTs ?? Number.POSITIVE_INFINITY,
      );
    }
    expect(history.body.items).toEqual([
      expect.objectContaining({ titleId, positionSec: 200, clientTs: start + 19_000 }),
    ]);
  });

  it('forgets a title on DELETE with 204, and again with 204', async () => {
    const { api: me, profile } = await watcher();
    const kept = await createTitle({ name: 'Kept' });
    const forgotten = await createTitle({ name: 'Forgotten' });
    await heartbeat(me, profile, kept, 10);
    await heartbeat(me, profile, forgotten, 10);

    const deleted = await me.delete(`/v1/profiles/${profile}/history/${forgotten}`);
    const again = await me.delete(`/v1/profiles/${profile}/history/${forgotten}`);
    const history = await me.get(`/v1/profiles/${profile}/history`);

    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeNull();
    expect(again.status).toBe(204);
    expect(history.body.items.map((e: { titleId: string }) => e.titleId)).toEqual([kept]);
  });

  it('pages the history with a cursor', async () => {
    const { api: me, profile } = await watcher();
    const titles = [];
    for (const name of ['Page A', 'Page B', 'Page C']) {
      const titleId = await createTitle({ name });
      titles.push(titleId);
      await heartbeat(me, profile, titleId, 10);
    }

    const first = await me.get(`/v1/profiles/${profile}/history?limit=2`);
    const second = await me.get(`/v1/profiles/${profile}/history?limit=2&cursor=${first.body.nextCursor}`);

    expect(first.body.items.map((e: { titleId: string }) => e.titleId)).toEqual([titles[2], titles[1]]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(second.body.items.map((e: { titleId: string }) => e.titleId)).toEqual([titles[0]]);
    expect(second.body).not.toHaveProperty('nextCursor');
  });

  it('refuses a heartbeat for a series (its episodes are played) with 400 TITLE_NOT_PLAYABLE', async () => {
    const seriesId = await createTitle({ name: 'Whole Series', kind: 'series' });

    expectError(await heartbeat(viewer.api, adultProfile, seriesId, 10), 400, 'TITLE_NOT_PLAYABLE');
  });

  it('refuses a heartbeat for an unknown title with 404 TITLE_NOT_FOUND', async () => {
    expectError(await heartbeat(viewer.api, adultProfile, 'no-such-title', 10), 404, 'TITLE_NOT_FOUND');
  });

  it('refuses a position beyond the duration, and a clientTs more than a day ahead, with 400', async () => {
    const titleId = await createTitle({ name: 'Bounds' });

    expectError(await heartbeat(viewer.api, adultProfile, titleId, 500, 100), 400, 'INVALID_REQUEST');
    expectError(
      await heartbeat(viewer.api, adultProfile, titleId, 10, 100, Date.now() + 2 * DAY_MS),
      400,
      'INVALID_CLIENT_TS',
    );
  });
});

describe('continue watching', () => {
  it('offers to resume a started movie, and not a finished one', async () => {
    const { api: me, profile } = await watcher();
    const started = await createTitle({ name: 'Half Way' });
    const finished = await createTitle({ name: 'All Done' });
    await heartbeat(me, profile, started, 500, 1000);
    await heartbeat(me, profile, finished, 990, 1000);

    const row = await me.get(`/v1/profiles/${profile}/continue-watching`);

    expect(row.status).toBe(200);
    expect(row.body.items).toEqual([
      expect.objectContaining({ titleId: started, positionSec: 500, reason: 'resume', finished: false }),
    ]);
  });

  it("puts episode 2 in the row with reason 'next-episode' once episode 1 is finished", async () => {
    const { api: me, profile } = await watcher();
    const seriesId = await createTitle({ name: 'Two Parter', kind: 'series' });
    const e1 = await createTitle({
      name: 'Part One',
      kind: 'episode',
      seriesId,
      seasonNumber: 1,
      episodeNumber: 1,
    });
    const e2 = await createTitle({
      name: 'Part Two',
      kind: 'episode',
      seriesId,
      seasonNumber: 1,
      episodeNumber: 2,
    });
    await heartbeat(me, profile, e1, 600, 2400);
    const watching = await me.get(`/v1/profiles/${profile}/continue-watching`);

    const done = await heartbeat(me, profile, e1, FINISHED_RATIO * 2400, 2400);
    const next = await me.get(`/v1/profiles/${profile}/continue-watching`);

    expect(watching.body.items).toEqual([
      expect.objectContaining({ titleId: e1, reason: 'resume', positionSec: 600 }),
    ]);
    expect(done.body.finished).toBe(true);
    expect(next.status).toBe(200);
    expect(next.body.items).toEqual([
      expect.objectContaining({
        titleId: e2,
        name: 'Part Two',
        positionSec: 0,
        finished: false,
        reason: 'next-episode',
      }),
    ]);
  });
});

/** Fisher-Yates; reversed when the shuffle happens to leave the order as it was. */
function shuffle<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.every((item, i) => item === items[i]) ? copy.reverse() : copy;
}
