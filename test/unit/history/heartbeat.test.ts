import { describe, expect, it } from 'vitest';
import { FINISHED_RATIO } from '#contracts/api/history.ts';
import { isFinished, profileKey, recordHeartbeat } from '../../../lambdas/history/domain/history.ts';
import {
  ACCOUNT,
  FakeCatalog,
  FakeClock,
  FakeHistory,
  FakeProfiles,
  OTHER_ACCOUNT,
  rejection,
} from './fakes.ts';

function setup() {
  const profiles = new FakeProfiles();
  const catalog = new FakeCatalog();
  const history = new FakeHistory();
  const clock = new FakeClock();
  profiles.add(ACCOUNT, 'p1', 'adult');
  profiles.add(ACCOUNT, 'kid', 'kids');
  const ports = { profiles, titles: catalog, history, clock: clock.date };
  const viewer = { accountId: ACCOUNT, profileId: 'p1', country: 'US' };
  return { profiles, catalog, history, clock, ports, viewer };
}

describe('history: heartbeats', () => {
  it('stores the position and answers the stored entry', async () => {
    const { catalog, ports, viewer, clock } = setup();
    catalog.movie('m1', { name: 'Big Buck Bunny' });

    const entry = await recordHeartbeat(ports, viewer, 'm1', {
      positionSec: 120,
      durationSec: 600,
      clientTs: 1_700_000_000_000,
    });

    expect(entry).toEqual({
      titleId: 'm1',
      positionSec: 120,
      durationSec: 600,
      clientTs: 1_700_000_000_000,
      updatedAt: clock.date().toISOString(),
      finished: false,
      name: 'Big Buck Bunny',
    });
  });

  it('orders heartbeats by an ISO client time as by the same instant in milliseconds', async () => {
    const { catalog, ports, viewer } = setup();
    catalog.movie('m1');

    const entry = await recordHeartbeat(ports, viewer, 'm1', {
      positionSec: 10,
      durationSec: 600,
      clientTs: '2026-11-21T09:59:50.250+01:00',
    });

    expect(entry.clientTs).toBe(Date.parse('2026-11-21T08:59:50.250Z'));
  });

  it('never moves the position back for an older heartbeat, and answers the stored one', async () => {
    const { catalog, ports, viewer } = setup();
    catalog.movie('m1');
    await recordHeartbeat(ports, viewer, 'm1', { positionSec: 300, durationSec: 600, clientTs: 2000 });

    const late = await recordHeartbeat(ports, viewer, 'm1', {
      positionSec: 100,
      durationSec: 600,
      clientTs: 1000,
    });

    expect(late).toMatchObject({ positionSec: 300, clientTs: 2000 });
  });

  it('accepts the same heartbeat twice', async () => {
    const { catalog, ports, viewer } = setup();
    catalog.movie('m1');
    const heartbeat = { positionSec: 300, durationSec: 600, clientTs: 2000 };

    const first = await recordHeartbeat(ports, viewer, 'm1', heartbeat);
    const again = await recordHeartbeat(ports, viewer, 'm1', heartbeat);

    expect(again).toEqual(first);
  });

  it('counts a title as finished from 95 % of its duration on', async () => {
    const { catalog, ports, viewer } = setup();
    catalog.movie('m1');
    catalog.movie('m2');

    const justBefore = await recordHeartbeat(ports, viewer, 'm1', {
      positionSec: 569.9,
      durationSec: 600,
      clientTs: 1,
    });
    const atThreshold = await recordHeartbeat(ports, viewer, 'm2', {
      positionSec: 570,
      durationSec: 600,
      clientTs: 1,
    });

    expect(FINISHED_RATIO).toBe(0.95);
    expect(justBefore.finished).toBe(false);
    expect(atThreshold.finished).toBe(true);
    expect(isFinished(0, 600)).toBe(false);
  });

  it('keeps the series, season and episode of an episode for continue-watching', async () => {
    const { catalog, ports, viewer, history } = setup();
    const episode = catalog.episode('show', 2, 3);

    await recordHeartbeat(ports, viewer, episode.titleId, { positionSec: 1, durationSec: 60, clientTs: 1 });

    expect(await history.get(profileKey(ACCOUNT, 'p1'), episode.titleId)).toMatchObject({
      seriesId: 'show',
      seasonNumber: 2,
      episodeNumber: 3,
      titleName: 'show S2E3',
    });
  });

  it("answers 404 PROFILE_NOT_FOUND for another account's profile", async () => {
    const { catalog, ports, profiles } = setup();
    catalog.movie('m1');
    profiles.add(OTHER_ACCOUNT, 'theirs');

    const error = await rejection(
      recordHeartbeat(ports, { accountId: ACCOUNT, profileId: 'theirs', country: 'US' }, 'm1', {
        positionSec: 1,
        durationSec: 60,
        clientTs: 1,
      }),
    );

    expect(error).toEqual({ code: 'PROFILE_NOT_FOUND', status: 404 });
  });

  it('answers 404 TITLE_NOT_FOUND for a title rated above a kids profile', async () => {
    const { catalog, ports, history } = setup();
    catalog.movie('m1', { maturity: 'adult' });
    const kid = { accountId: ACCOUNT, profileId: 'kid', country: 'US' };

    const error = await rejection(
      recordHeartbeat(ports, kid, 'm1', { positionSec: 1, durationSec: 60, clientTs: 1 }),
    );

    expect(error).toEqual({ code: 'TITLE_NOT_FOUND', status: 404 });
    expect(await history.get(profileKey(ACCOUNT, 'kid'), 'm1')).toBeUndefined();
  });

  it("answers 404 TITLE_NOT_FOUND for a title not licensed in the viewer's country", async () => {
    const { catalog, ports, viewer } = setup();
    catalog.movie('m1', { countries: ['BR'] });

    const error = await rejection(
      recordHeartbeat(ports, viewer, 'm1', { positionSec: 1, durationSec: 60, clientTs: 1 }),
    );

    expect(error).toEqual({ code: 'TITLE_NOT_FOUND', status: 404 });
  });

  it('refuses a heartbeat for a series itself with 400 TITLE_NOT_PLAYABLE', async () => {
    const { catalog, ports, viewer } = setup();
    catalog.series('show');

    const error = await rejection(
      recordHeartbeat(ports, viewer, 'show', { positionSec: 1, durationSec: 60, clientTs: 1 }),
    );

    expect(error).toEqual({ code: 'TITLE_NOT_PLAYABLE', status: 400 });
  });

  it('refuses a client time more than a day ahead, which would pin the position', async () => {
    const { catalog, ports, viewer, clock, profiles } = setup();
    catalog.movie('m1');

    const error = await rejection(
      recordHeartbeat(ports, viewer, 'm1', {
        positionSec: 1,
        durationSec: 60,
        clientTs: clock.now() + 25 * 3600 * 1000,
      }),
    );

    expect(error).toEqual({ code: 'INVALID_CLIENT_TS', status: 400 });
    expect(profiles.calls).toEqual([]);
  });
});
