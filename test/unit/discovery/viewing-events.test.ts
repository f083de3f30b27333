import { describe, expect, it } from 'vitest';
import {
  lastDays,
  MAX_WATCH_STEP_SEC,
  playFromSession,
  utcDay,
  watchFromHistory,
} from '../../../lambdas/discovery/domain/viewing-events.ts';
import { heartbeat, NOW, NOW_EPOCH, sessionInsert } from './viewing-fixtures.ts';

describe('a play', () => {
  it('is a new playback session, counted for the profile, country and day of the record', () => {
    const record = sessionInsert({ titleId: 'movie-1', artworkId: 'art-2__drama' }, { eventId: 'e-1' });

    expect(playFromSession(record)).toEqual({
      kind: 'play',
      eventId: 'e-1',
      day: '2026-11-21',
      country: 'US',
      titleId: 'movie-1',
      profileKey: 'acct-1#prof-1',
      artworkId: 'art-2__drama',
    });
  });

  it('counts an episode for its series', () => {
    const play = playFromSession(sessionInsert({ titleId: 'ep-1-2', seriesId: 'show-1' }));

    expect(play?.titleId).toBe('show-1');
  });

  it('carries no artwork when the client named none', () => {
    expect(playFromSession(sessionInsert())).not.toHaveProperty('artworkId');
  });

  it('is ignored without a country (a session started before countries were recorded)', () => {
    expect(playFromSession(sessionInsert({ country: undefined }))).toBeUndefined();
  });

  it('is ignored for playback items that are not sessions (the account stream map)', () => {
    expect(playFromSession(sessionInsert({ pk: 'account#acct-1' }))).toBeUndefined();
    expect(playFromSession(sessionInsert({ pk: 'popularity#2026-11-21#movie-1' }))).toBeUndefined();
  });

  it('is only the session INSERT: a heartbeat or the end of a session is no new play', () => {
    const inserted = sessionInsert();

    expect(
      playFromSession({ ...inserted, eventName: 'MODIFY', oldImage: inserted.newImage }),
    ).toBeUndefined();
    expect(playFromSession({ ...inserted, eventName: 'REMOVE' })).toBeUndefined();
  });
});

describe('watch time', () => {
  it('is the forward step since the previous heartbeat', () => {
    const watch = watchFromHistory(heartbeat({ positionSec: 130 }, { positionSec: 100 }, { eventId: 'e-7' }));

    expect(watch).toEqual({
      kind: 'watch',
      eventId: 'e-7',
      day: '2026-11-21',
      country: 'US',
      titleId: 'movie-1',
      profileKey: 'acct-1#prof-1',
      watchSec: 30,
    });
  });

  it(`counts a step of exactly ${MAX_WATCH_STEP_SEC} s`, () => {
    expect(watchFromHistory(heartbeat({ positionSec: 160 }, { positionSec: 100 }))?.watchSec).toBe(60);
  });

  it('is 0 for a seek back', () => {
    expect(watchFromHistory(heartbeat({ positionSec: 100 }, { positionSec: 300 }))?.watchSec).toBe(0);
  });

  it(`is 0 for a jump ahead of more than ${MAX_WATCH_STEP_SEC} s (a seek or a gap, not watching)`, () => {
    expect(watchFromHistory(heartbeat({ positionSec: 161 }, { positionSec: 100 }))?.watchSec).toBe(0);
  });

  it("counts a title's first heartbeat (INSERT) from the start", () => {
    expect(watchFromHistory(heartbeat({ positionSec: 25 }))?.watchSec).toBe(25);
  });

  it('counts nothing for a first heartbeat far into the title (resumed from elsewhere)', () => {
    expect(watchFromHistory(heartbeat({ positionSec: 1800, durationSec: 3600 }))?.watchSec).toBe(0);
  });

  it('counts an episode for its series', () => {
    const watch = watchFromHistory(
      heartbeat(
        { titleId: 'ep-1-2', seriesId: 'show-1', positionSec: 40 },
        { titleId: 'ep-1-2', seriesId: 'show-1', positionSec: 10 },
      ),
    );

    expect(watch).toMatchObject({ titleId: 'show-1', watchSec: 30 });
  });

  it('is ignored without a country, and for a removed entry', () => {
    expect(watchFromHistory(heartbeat({ country: undefined, positionSec: 30 }))).toBeUndefined();
    const removed = heartbeat({ positionSec: 30 }, { positionSec: 0 });
    expect(watchFromHistory({ ...removed, eventName: 'REMOVE' })).toBeUndefined();
  });
});

describe('a like', () => {
  it('comes with the heartbeat that crosses half of the title', () => {
    const watch = watchFromHistory(heartbeat({ positionSec: 510 }, { positionSec: 480 }));

    expect(watch?.liked).toEqual({ finished: false });
  });

  it('comes with a first heartbeat already past half', () => {
    expect(watchFromHistory(heartbeat({ positionSec: 600 }))?.liked).toEqual({ finished: false });
  });

  it('is not repeated on later heartbeats of a title already liked', () => {
    const watch = watchFromHistory(heartbeat({ positionSec: 640 }, { positionSec: 610 }));

    expect(watch?.liked).toBeUndefined();
    expect(watch?.watchSec).toBe(30);
  });

  it('is none below half', () => {
    expect(watchFromHistory(heartbeat({ positionSec: 490 }, { positionSec: 460 }))?.liked).toBeUndefined();
  });

  it('comes again, finished, when a liked title is finished', () => {
    const watch = watchFromHistory(
      heartbeat({ positionSec: 960, finished: true }, { positionSec: 930, finished: false }),
    );

    expect(watch?.liked).toEqual({ finished: true });
  });

  it('is not repeated on heartbeats after the finish', () => {
    const watch = watchFromHistory(
      heartbeat({ positionSec: 990, finished: true }, { positionSec: 960, finished: true }),
    );

    expect(watch?.liked).toBeUndefined();
  });

  it('comes finished with a first heartbeat that finishes the title', () => {
    expect(watchFromHistory(heartbeat({ positionSec: 999, finished: true }))?.liked).toEqual({
      finished: true,
    });
  });

  it('is the series liked, not finished, when an episode is finished', () => {
    const episode = { titleId: 'ep-1-1', seriesId: 'show-1' };
    const watch = watchFromHistory(
      heartbeat(
        { ...episode, positionSec: 480, finished: true },
        { ...episode, positionSec: 450, finished: false },
      ),
    );

    expect(watch).toMatchObject({ titleId: 'show-1', liked: { finished: false } });
  });

  it('is not repeated when an episode already past half is finished (the series is not finished by it)', () => {
    const episode = { titleId: 'ep-1-1', seriesId: 'show-1' };
    const watch = watchFromHistory(
      heartbeat(
        { ...episode, positionSec: 980, finished: true },
        { ...episode, positionSec: 950, finished: false },
      ),
    );

    expect(watch?.liked).toBeUndefined();
  });
});

describe('the day of an event', () => {
  it('is the UTC day of the stream record, whatever the viewer’s time zone', () => {
    const lastSecond = Date.parse('2026-11-21T23:59:59Z') / 1000;

    expect(playFromSession(sessionInsert({}, { createdAtEpoch: lastSecond }))?.day).toBe('2026-11-21');
    expect(playFromSession(sessionInsert({}, { createdAtEpoch: lastSecond + 1 }))?.day).toBe('2026-11-22');
    expect(
      watchFromHistory(heartbeat({ positionSec: 10 }, undefined, { createdAtEpoch: lastSecond + 1 }))?.day,
    ).toBe('2026-11-22');
  });

  it('is not the time the record is handled: a record redelivered the next day keeps its day', () => {
    expect(utcDay(NOW_EPOCH)).toBe('2026-11-21');
  });

  it('lists the last days up to today, oldest first', () => {
    expect(lastDays(NOW, 3)).toEqual(['2026-11-19', '2026-11-20', '2026-11-21']);
    expect(lastDays(new Date('2026-03-01T00:30:00Z'), 2)).toEqual(['2026-02-28', '2026-03-01']);
  });
});
