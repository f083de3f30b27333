import { describe, expect, it } from 'vitest';
import type { Maturity } from '#contracts/api/common.ts';
import type { TitleFacts } from '#contracts/internal.ts';
import {
  CONTINUE_WATCHING_LIMIT,
  continueWatching,
} from '../../../lambdas/history/domain/continue-watching.ts';
import { profileKey, recordHeartbeat } from '../../../lambdas/history/domain/history.ts';
import type { HistoryRecord, TitleDirectory } from '../../../lambdas/history/domain/ports.ts';
import {
  ACCOUNT,
  FakeCatalog,
  FakeClock,
  FakeHistory,
  FakeProfiles,
  OTHER_ACCOUNT,
  rejection,
} from './fakes.ts';

const KEY = profileKey(ACCOUNT, 'p1');
const VIEWER = { accountId: ACCOUNT, profileId: 'p1', country: 'US' };

function setup(maturity: Maturity = 'adult') {
  const profiles = new FakeProfiles();
  const titles = new FakeCatalog();
  const history = new FakeHistory();
  profiles.add(ACCOUNT, 'p1', maturity);
  return { profiles, titles, history };
}

/** An entry watched `minute` minutes after 10:00 (later minutes are newer). */
function watched(
  title: Pick<TitleFacts, 'titleId' | 'seriesId'>,
  minute: number,
  progress: 'started' | 'finished' | 'opened' = 'started',
): HistoryRecord {
  const positionSec = { started: 120, finished: 590, opened: 0 }[progress];
  return {
    titleId: title.titleId,
    positionSec,
    durationSec: 600,
    clientTs: minute * 60_000,
    updatedAt: new Date(Date.UTC(2026, 10, 21, 10, minute)).toISOString(),
    finished: progress === 'finished',
    ...(title.seriesId ? { seriesId: title.seriesId } : {}),
  };
}

const ids = (row: { items: { titleId: string }[] }) => row.items.map((i) => i.titleId);

describe('continue watching', () => {
  it('resumes started, unfinished titles, newest first', async () => {
    const ports = setup();
    const older = ports.titles.movie('older');
    const newer = ports.titles.movie('newer');
    ports.history.seed(KEY, watched(older, 1));
    ports.history.seed(KEY, watched(newer, 2));

    const row = await continueWatching(ports, VIEWER);

    expect(row.items).toEqual([
      {
        titleId: 'newer',
        name: 'Movie newer',
        positionSec: 120,
        durationSec: 600,
        clientTs: 120_000,
        updatedAt: '2026-11-21T10:02:00.000Z',
        finished: false,
        reason: 'resume',
      },
      expect.objectContaining({ titleId: 'older', reason: 'resume' }),
    ]);
  });

  it('leaves out finished movies and titles only opened at 0 s', async () => {
    const ports = setup();
    const finished = ports.titles.movie('finished');
    const opened = ports.titles.movie('opened');
    ports.history.seed(KEY, watched(finished, 1, 'finished'));
    ports.history.seed(KEY, watched(opened, 2, 'opened'));

    const row = await continueWatching(ports, VIEWER);

    expect(row.items).toEqual([]);
  });

  it('keeps a title at 94 % and drops it at 95 %', async () => {
    const ports = setup();
    const clock = new FakeClock();
    ports.titles.movie('almost');
    ports.titles.movie('done');
    const beat = { ...ports, clock: clock.date };

    await recordHeartbeat(beat, VIEWER, 'almost', { positionSec: 564, durationSec: 600, clientTs: 1 });
    await recordHeartbeat(beat, VIEWER, 'done', { positionSec: 570, durationSec: 600, clientTs: 1 });
    const row = await continueWatching(ports, VIEWER);

    expect(ids(row)).toEqual(['almost']);
  });

  it('offers the next episode from its start after a finished one', async () => {
    const ports = setup();
    const e1 = ports.titles.episode('show', 1, 1);
    ports.titles.episode('show', 1, 2, {
      asset: {
        assetId: 'a',
        titleId: 'show-s1e2',
        manifestKey: 'media/show-s1e2/a/hls/main.m3u8',
        durationSec: 1500,
        renditions: [],
        audio: true,
        captions: [],
        posterKey: 'media/show-s1e2/a/poster.jpg',
        thumbnails: { intervalSec: 10, keys: [] },
        jobId: 'j',
        publishedAt: '2026-11-01T00:00:00.000Z',
      },
    });
    ports.history.seed(KEY, watched(e1, 5, 'finished'));

    const row = await continueWatching(ports, VIEWER);

    expect(row.items).toEqual([
      {
        titleId: 'show-s1e2',
        name: 'show S1E2',
        positionSec: 0,
        durationSec: 1500,
        clientTs: 300_000,
        updatedAt: '2026-11-21T10:05:00.000Z',
        finished: false,
        reason: 'next-episode',
      },
    ]);
  });

  it('crosses into the next season', async () => {
    const ports = setup();
    const finale = ports.titles.episode('show', 1, 8);
    ports.titles.episode('show', 2, 1);
    ports.history.seed(KEY, watched(finale, 1, 'finished'));

    const row = await continueWatching(ports, VIEWER);

    expect(row.items).toMatchObject([{ titleId: 'show-s2e1', reason: 'next-episode' }]);
  });

  it('resumes the next episode where the profile left it when it already started it', async () => {
    const ports = setup();
    const e1 = ports.titles.episode('show', 1, 1);
    const e2 = ports.titles.episode('show', 1, 2);
    ports.history.seed(KEY, watched(e2, 1, 'started'));
    ports.history.seed(KEY, watched(e1, 2, 'finished'));

    const row = await continueWatching(ports, VIEWER);

    expect(row.items).toMatchObject([{ titleId: 'show-s1e2', positionSec: 120, reason: 'resume' }]);
  });

  it('skips past next episodes the profile already finished', async () => {
    const ports = setup();
    const e1 = ports.titles.episode('show', 1, 1);
    const e2 = ports.titles.episode('show', 1, 2);
    ports.titles.episode('show', 1, 3);
    ports.history.seed(KEY, watched(e2, 1, 'finished'));
    ports.history.seed(KEY, watched(e1, 2, 'finished'));

    const row = await continueWatching(ports, VIEWER);

    expect(row.items).toMatchObject([{ titleId: 'show-s1e3', positionSec: 0, reason: 'next-episode' }]);
  });

  it('shows a series once, as its most recent entry decides', async () => {
    const ports = setup();
    const e1 = ports.titles.episode('show', 1, 1);
    const e5 = ports.titles.episode('show', 1, 5);
    const movie = ports.titles.movie('movie');
    ports.history.seed(KEY, watched(e1, 1, 'started'));
    ports.history.seed(KEY, watched(movie, 2, 'started'));
    ports.history.seed(KEY, watched(e5, 3, 'started'));

    const row = await continueWatching(ports, VIEWER);

    expect(row.items.map((i) => [i.titleId, i.reason])).toEqual([
      ['show-s1e5', 'resume'],
      ['movie', 'resume'],
    ]);
  });

  it('shows nothing for a series whose last episode was finished', async () => {
    const ports = setup();
    const last = ports.titles.episode('show', 1, 3);
    const earlier = ports.titles.episode('show', 1, 1);
    ports.history.seed(KEY, watched(earlier, 1, 'started'));
    ports.history.seed(KEY, watched(last, 2, 'finished'));

    const row = await continueWatching(ports, VIEWER);

    expect(row.items).toEqual([]);
  });

  it(`holds at most ${CONTINUE_WATCHING_LIMIT} items`, async () => {
    const ports = setup();
    for (let minute = 0; minute < 30; minute++) {
      ports.history.seed(KEY, watched(ports.titles.movie(`m${minute}`), minute));
    }

    const row = await continueWatching(ports, VIEWER);

    expect(row.items).toHaveLength(CONTINUE_WATCHING_LIMIT);
    expect(row.items[0]?.titleId).toBe('m29');
    expect(row.items.at(-1)?.titleId).toBe('m10');
  });

  it('fills the row past series that have nothing to offer', async () => {
    const ports = setup();
    for (let minute = 0; minute < 25; minute++) {
      ports.history.seed(KEY, watched(ports.titles.movie(`m${minute}`), minute));
    }
    for (let n = 0; n < 10; n++) {
      const done = ports.titles.episode(`ended-${n}`, 1, 1);
      ports.history.seed(KEY, watched(done, 100 + n, 'finished'));
    }

    const row = await continueWatching(ports, VIEWER);

    expect(row.items).toHaveLength(CONTINUE_WATCHING_LIMIT);
    expect(row.items[0]?.titleId).toBe('m24');
  });

  it('never shows a kids profile a title above its rating', async () => {
    const ports = setup('kids');
    const thriller = ports.titles.movie('thriller', { maturity: 'adult' });
    const cartoon = ports.titles.movie('cartoon', { maturity: 'kids' });
    const e1 = ports.titles.episode('show', 1, 1, { maturity: 'kids' });
    ports.titles.episode('show', 1, 2, { maturity: 'teen' });
    ports.history.seed(KEY, watched(thriller, 3));
    ports.history.seed(KEY, watched(cartoon, 2));
    ports.history.seed(KEY, watched(e1, 1, 'finished'));

    const row = await continueWatching(ports, VIEWER);

    expect(ids(row)).toEqual(['cartoon']);
  });

  it('checks the rating itself, even if the catalog answered an episode above it', async () => {
    const ports = setup('kids');
    const e1 = ports.titles.episode('show', 1, 1, { maturity: 'kids' });
    ports.titles.episode('show', 1, 2, { maturity: 'adult' });
    ports.history.seed(KEY, watched(e1, 1, 'finished'));
    const careless: TitleDirectory = {
      describeTitles: (titleIds, country) => ports.titles.describeTitles(titleIds, country, 'adult'),
      nextEpisode: (titleId, country) => ports.titles.nextEpisode(titleId, country, 'adult'),
    };

    const row = await continueWatching({ ...ports, titles: careless }, VIEWER);

    expect(row.items).toEqual([]);
  });

  it("answers 404 PROFILE_NOT_FOUND for another account's profile", async () => {
    const ports = setup();
    ports.profiles.add(OTHER_ACCOUNT, 'theirs');

    const error = await rejection(
      continueWatching(ports, { accountId: ACCOUNT, profileId: 'theirs', country: 'US' }),
    );

    expect(error).toEqual({ code: 'PROFILE_NOT_FOUND', status: 404 });
  });
});
