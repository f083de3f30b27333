/**
 * End to end: content steering over the two local edges. Chromium + hls.js plays a playback
 * session's per-session master playlist (every variant on pathways edge-a and edge-b, with
 * `#EXT-X-CONTENT-STEERING`); mid-play, the edge serving it is stopped, and playback must carry on
 * from the other pathway without a fatal error.
 *
 * hls.js (1.7) runs its ContentSteeringController by default (`contentSteeringController` in the
 * full build): it loads the steering manifest, and on fragment or playlist load errors it moves
 * the failing pathway to the back of the priority list and reloads from the next one.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../cli/ingest-client.ts';
import type { LocalEdge } from '../../local/edge/edge-server.ts';
import type { Platform } from '../../local/platform.ts';
import { type Api, apiClient, waitUntilPlayable } from '../support/api.ts';
import { openHlsPlayer, type PlayerBrowser } from '../support/browser.ts';
import { makeClip } from '../support/clips.ts';
import { startPlatformAndBrowser } from '../support/platform.ts';

/** Long enough that segments are still needed well after the edge stops. */
const CLIP_SECONDS = 30;
/** Played seconds before the serving edge is stopped. */
const STOP_AT_SECONDS = 2;
/** Seconds playback must advance after the stop, past what was buffered then. */
const KEEP_PLAYING_SECONDS = 3;
/** hls.js buffers 30 s ahead by default: keep the buffer short so the stop matters. */
const MAX_BUFFER_SECONDS = 4;
/** Time for data already received from the stopped edge to reach the media buffer. */
const SETTLE_MS = 500;

let dir: string;
let platform: Platform;
let player: PlayerBrowser;
let api: Api;
let titleId: string;

/** Set SHOWRUNNER_E2E_LOG=1 to print what the player saw. */
const report = (label: string, value: unknown) => {
  if (process.env.SHOWRUNNER_E2E_LOG) console.info(`[e2e steering] ${label}: ${JSON.stringify(value)}`);
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'showrunner-steering-'));
  ({ platform, player } = await startPlatformAndBrowser(join(dir, 'data')));
  api = apiClient(platform.info.gatewayUrl);
  const file = await makeClip(dir, { width: 640, height: 360, durationSec: CLIP_SECONDS, audio: true });
  const job = await ingest({
    apiUrl: platform.info.gatewayUrl,
    file,
    title: 'Steering end to end',
    countries: ['US'],
    pollMs: 200,
    timeoutMs: 240_000,
  });
  expect(job.status, job.reason).toBe('READY');
  titleId = job.titleId;
  await waitUntilPlayable(api, titleId);
}, 300_000);

afterAll(async () => {
  await player?.close();
  await platform?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A subscribed viewer's new playback session on the title. */
async function newSession(): Promise<{ manifestUrl: string }> {
  const user = await api.newUser({ country: 'US' });
  const subscribed = await user.api.put('/v1/subscription', {
    plan: 'standard',
    card: { number: '4242 4242 4242 4242' },
  });
  expect(subscribed.status, JSON.stringify(subscribed.body)).toBe(200);
  const profile = await user.api.post('/v1/profiles', {
    name: `p-${randomUUID().slice(0, 6)}`,
    maturity: 'adult',
  });
  expect(profile.status, JSON.stringify(profile.body)).toBe(201);
  const started = await user.api.post('/v1/playback', { profileId: profile.body.profileId, titleId });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return started.body;
}

/** The edge that has sent the player the most bytes so far. */
function servingEdge(edges: readonly LocalEdge[]): LocalEdge {
  return edges.toSorted((a, b) => b.stats.servedBytes - a.stats.servedBytes)[0] as LocalEdge;
}

describe('content steering in Chromium with hls.js', () => {
  it('keeps playing on the other pathway when the serving edge stops mid-play', async () => {
    const { manifestUrl } = await newSession();
    for (const edge of platform.edges) edge.resetStats();
    const session = await openHlsPlayer(player, manifestUrl);
    try {
      await session.page.evaluate((seconds) => {
        const { hls } = (window as unknown as { __player: { hls: { config: Record<string, unknown> } } })
          .__player;
        hls.config.maxBufferLength = seconds;
        hls.config.maxMaxBufferLength = seconds;
      }, MAX_BUFFER_SECONDS);
      const before = await session.playUntil(STOP_AT_SECONDS);
      report('before stop', before);
      expect(before.fatal, JSON.stringify(before, null, 2)).toBe(false);
      expect(before.timedOut, JSON.stringify(before, null, 2)).toBe(false);

      const serving = servingEdge(platform.edges);
      const other = platform.edges.find((edge) => edge !== serving) as LocalEdge;
      const otherRequestsAtStop = other.stats.requests;
      await serving.stop();
      // What the player holds once the stopped edge can send nothing more: a fragment that was
      // arriving as the edge stopped is appended a moment later, so measure after that.
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const bufferedEnd = await session.page.evaluate(() => {
        const { video } = (window as unknown as { __player: { video: HTMLVideoElement } }).__player;
        return video.buffered.length > 0 ? video.buffered.end(video.buffered.length - 1) : 0;
      });
      report('stopped', { serving: serving.name, currentTime: before.currentTime, bufferedEnd });

      const target = Math.max(before.currentTime + KEEP_PLAYING_SECONDS, bufferedEnd + 1);
      expect(target).toBeLessThan(CLIP_SECONDS - 1);
      const after = await session.playUntil(target, 60_000);
      // hls.js moves off a pathway on its fragment load errors (penalty box) before the next
      // steering reload: the level it plays now says which pathway it is on.
      const pathway = await session.page.evaluate(() => {
        const { hls } = (
          window as unknown as {
            __player: {
              hls: {
                pathwayPriority: string[] | null;
                currentLevel: number;
                levels: { pathwayId: string }[];
              };
            };
          }
        ).__player;
        return { current: hls.levels[hls.currentLevel]?.pathwayId, priority: hls.pathwayPriority };
      });
      report('after stop', { ...after, pathway, other: other.stats });
      const why = JSON.stringify({ after, pathway, bufferedEnd, other: other.stats }, null, 2);

      expect(after.timedOut, why).toBe(false);
      expect(after.fatal, why).toBe(false);
      expect(
        after.errors.filter((e) => e.fatal),
        why,
      ).toEqual([]);
      expect(after.currentTime, why).toBeGreaterThanOrEqual(before.currentTime + KEEP_PLAYING_SECONDS);
      // Played past what was buffered when the edge stopped: those bytes came from the other edge.
      expect(after.currentTime, why).toBeGreaterThan(bufferedEnd);
      expect(other.stats.requests, why).toBeGreaterThan(otherRequestsAtStop);
      expect(other.stats.servedBytes, why).toBeGreaterThan(0);
      expect(pathway.current, why).toBe(other.name);
    } finally {
      await session.close();
    }
  });
});
