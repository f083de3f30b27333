/**
 * End to end: a 720p clip with audio goes in through the API of the embedded platform, and the
 * HLS it publishes plays in headless Chromium with hls.js, from another origin than the media's,
 * at every rung of the ladder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../cli/ingest-client.ts';
import type { JobView } from '../../lambdas/contracts/jobs.ts';
import type { Platform } from '../../local/platform.ts';
import { openHlsPlayer, type PlaybackFacts, type PlayerBrowser, playHls } from '../support/browser.ts';
import { makeClip } from '../support/clips.ts';
import { startPlatformAndBrowser } from '../support/platform.ts';

const CLIP_SECONDS = 8;
/** Played seconds that count as "it plays": past the first segment's start-up, well short of the end. */
const PLAYED_SECONDS = 2.5;

let dir: string;
let platform: Platform;
let player: PlayerBrowser;
let job: JobView;
let manifestUrl: string;

/** Set SHOWRUNNER_E2E_LOG=1 to print what each playback saw. */
const report = (label: string, facts: PlaybackFacts) => {
  if (process.env.SHOWRUNNER_E2E_LOG) console.info(`[e2e] ${label}: ${JSON.stringify(facts)}`);
};

/** Facts every clean playback shares: started, advanced, no fatal error, every request answered. */
function expectPlayed(facts: PlaybackFacts, untilSeconds: number): void {
  const why = JSON.stringify(facts, null, 2);
  expect(facts.timedOut, why).toBe(false);
  expect(facts.fatal, why).toBe(false);
  expect(
    facts.errors.filter((e) => e.fatal),
    why,
  ).toEqual([]);
  expect(facts.httpFailures, why).toEqual([]);
  expect(facts.started, why).toBe(true);
  expect(facts.currentTime, why).toBeGreaterThanOrEqual(untilSeconds);
  expect(facts.decodedFrames, why).toBeGreaterThan(0);
  expect(facts.audioDecodedBytes, why).toBeGreaterThan(0);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'showrunner-e2e-'));
  ({ platform, player } = await startPlatformAndBrowser(join(dir, 'data')));
  const file = await makeClip(dir, { width: 1280, height: 720, durationSec: CLIP_SECONDS, audio: true });
  job = await ingest({
    apiUrl: platform.info.gatewayUrl,
    file,
    title: 'Playback end to end',
    pollMs: 200,
    timeoutMs: 240_000,
  });
  expect(job.status, job.reason).toBe('READY');
  manifestUrl = job.manifestUrl as string;
});

afterAll(async () => {
  await player?.close();
  await platform?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('HLS playback in Chromium with hls.js', () => {
  it('serves the page and the media from different origins', () => {
    expect(new URL(manifestUrl).origin).not.toBe(player.pageOrigin);
  });

  it('parses a ladder of at least 3 H.264/AAC renditions topped at 720p and plays it with ABR', async () => {
    const facts = await playHls(player, manifestUrl, { untilSeconds: PLAYED_SECONDS });
    report('auto', facts);
    const why = JSON.stringify(facts, null, 2);
    expect(facts.levels.length, why).toBeGreaterThanOrEqual(3);
    const heights = facts.levels.map((l) => l.height);
    expect(Math.max(...heights), why).toBe(720);
    expect(
      heights.toSorted((a, b) => a - b),
      why,
    ).toEqual((job.asset?.renditions ?? []).map((r) => r.height).toSorted((a, b) => a - b));
    expect(new Set(heights).size, why).toBe(heights.length);
    for (const level of facts.levels) {
      expect(level.videoCodec, why).toMatch(/^avc1\./);
      expect(level.audioCodec, why).toMatch(/^mp4a\./);
      expect(level.bitrate, why).toBeGreaterThan(0);
    }
    expectPlayed(facts, PLAYED_SECONDS);
    expect(facts.autoLevel, why).toBe(true);
    expect(facts.fragmentLevels.length, why).toBeGreaterThan(0);
    expect(heights, why).toContain(facts.videoHeight);
  });

  it('plays every rendition when it is locked from the start', async () => {
    const probe = await openHlsPlayer(player, manifestUrl);
    const { levels } = await probe.facts();
    await probe.close();
    expect(levels.length).toBeGreaterThanOrEqual(3);
    for (const [index, level] of levels.entries()) {
      const facts = await playHls(player, manifestUrl, { level: index, untilSeconds: PLAYED_SECONDS });
      report(`level ${index}`, facts);
      const why = JSON.stringify(facts, null, 2);
      expectPlayed(facts, PLAYED_SECONDS);
      expect(facts.autoLevel, why).toBe(false);
      expect(facts.currentLevel, why).toBe(index);
      expect(facts.fragmentLevels, why).toEqual([index]);
      expect([facts.videoWidth, facts.videoHeight], why).toEqual([level.width, level.height]);
    }
  });

  it('switches from the top down to the lowest rendition mid-playback (hls.currentLevel = 0) and keeps playing', async () => {
    const top = (job.asset?.renditions.length ?? 0) - 1;
    expect(top).toBeGreaterThanOrEqual(2);
    const session = await openHlsPlayer(player, manifestUrl, { level: top });
    try {
      const before = await session.playUntil(PLAYED_SECONDS);
      report('before switch', before);
      expectPlayed(before, PLAYED_SECONDS);
      expect(before.videoHeight).toBe(before.levels[top]?.height);

      await session.setLevel(0);
      const lowest = before.levels[0]?.height;
      const after = await session.playUntil(before.currentTime + 2);
      report('after switch', after);
      const why = JSON.stringify(after, null, 2);
      expectPlayed(after, before.currentTime + 2);
      expect(after.currentLevel, why).toBe(0);
      expect(after.fragmentLevels.at(-1), why).toBe(0);
      expect(after.videoHeight, why).toBe(lowest);
      expect(after.currentTime, why).toBeLessThan(CLIP_SECONDS);
    } finally {
      await session.close();
    }
  });
});
