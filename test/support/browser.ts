/**
 * Headless Chromium (the system's, through playwright-core) playing HLS with hls.js, for the
 * end-to-end tests. The player page is served from its own `http://localhost` origin, so every
 * playlist and segment request to the media origin is a real cross-origin request, CORS and all.
 *
 * The executable is `SHOWRUNNER_CHROMIUM`, else `/usr/bin/chromium`, else `chromium` on the PATH;
 * `scripts/setup.mjs` installs it (Debian's `chromium`) before `npm test`.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type HlsType from 'hls.js';
import type { ErrorData, FragLoadedData, Level } from 'hls.js';
import { type Browser, chromium, errors, type Page } from 'playwright-core';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HLS_SCRIPT = join(REPO_ROOT, 'node_modules', 'hls.js', 'dist', 'hls.min.js');

/** The arguments the toolchain notes found to work in a container without a display or GPU. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Containers often give /dev/shm 64 MB, which crashes the renderer mid-playback.
  '--disable-dev-shm-usage',
  // A muted video may autoplay anyway; this also lets `play()` run without a user gesture.
  '--autoplay-policy=no-user-gesture-required',
  '--mute-audio',
];

/** The Chromium executable the tests use; throws with the way to get one. */
export function chromiumExecutable(): string {
  const override = process.env.SHOWRUNNER_CHROMIUM;
  if (override) return override;
  const candidates = [
    '/usr/bin/chromium',
    ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'chromium')),
  ];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Next candidate.
    }
  }
  throw new Error(
    'Chromium not found: run `node scripts/setup.mjs` (installs Debian `chromium` as root), ' +
      '`sudo apt-get install chromium`, or set SHOWRUNNER_CHROMIUM to a Chromium/Chrome executable.',
  );
}

/** A running Chromium plus the local origin that serves the player page. */
export interface PlayerBrowser {
  browser: Browser;
  /** `http://localhost:<port>`: the page's origin, distinct from the media origin. */
  pageOrigin: string;
  close(): Promise<void>;
}

export async function launchPlayerBrowser(): Promise<PlayerBrowser> {
  const server = await startPageOrigin();
  const pageOrigin = `http://localhost:${(server.address() as AddressInfo).port}`;
  try {
    const browser = await chromium.launch({
      executablePath: chromiumExecutable(),
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 120_000,
    });
    return {
      browser,
      pageOrigin,
      async close() {
        await browser.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  } catch (error) {
    server.close();
    throw error;
  }
}

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Showrunner player</title>
<script src="/hls.min.js"></script></head>
<body><video id="video" muted playsinline width="1280" height="720"></video></body></html>`;

function startPageOrigin(): Promise<Server> {
  const hlsScript = readFileSync(HLS_SCRIPT);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE);
    } else if (path === '/hls.min.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(hlsScript);
    } else {
      res.writeHead(path === '/favicon.ico' ? 204 : 404);
      res.end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** One rendition as hls.js parsed it from the multivariant playlist. */
export interface LevelFacts {
  width: number;
  height: number;
  bitrate: number;
  videoCodec: string | undefined;
  audioCodec: string | undefined;
}

/** What the page observed; everything a test asserts on, and prints when it fails. */
export interface PlaybackFacts {
  manifestUrl: string;
  /** Levels (renditions) in hls.js's order, lowest bitrate first. */
  levels: LevelFacts[];
  audioTracks: number;
  /** The `playing` event fired. */
  started: boolean;
  /** `video.currentTime`, seconds. */
  currentTime: number;
  /** hls.js's current level (-1 before the first fragment), and whether ABR chooses it. */
  currentLevel: number;
  autoLevel: boolean;
  /** Size of the frame on screen: which rendition is actually decoded. */
  videoWidth: number;
  videoHeight: number;
  decodedFrames: number;
  droppedFrames: number;
  /** Chromium's count of decoded audio bytes: the AAC track plays, not just the picture. */
  audioDecodedBytes: number;
  /** Levels of the main-playlist fragments loaded, in order of loading (consecutive repeats collapsed). */
  fragmentLevels: number[];
  /** hls.js `ERROR` events (fatal or not) and rejected `play()` calls. */
  errors: { type: string; details: string; fatal: boolean; message?: string }[];
  fatal: boolean;
  /** Requests that failed or answered >= 400, as `STATUS url` (CORS refusals show as failures). */
  httpFailures: string[];
  consoleErrors: string[];
  /** The wait before these facts timed out instead of reaching its goal. */
  timedOut: boolean;
}

export interface HlsPlayer {
  page: Page;
  /** Facts as of now. */
  facts(): Promise<PlaybackFacts>;
  /**
   * Waits until `currentTime >= seconds`, a fatal error, or `timeoutMs`, then returns the facts;
   * a time-out is reported in `timedOut`, not thrown, so the test can show what happened.
   */
  playUntil(seconds: number, timeoutMs?: number): Promise<PlaybackFacts>;
  /** `hls.currentLevel = index`: locks that rendition, flushing what is buffered. -1 is auto. */
  setLevel(index: number): Promise<void>;
  close(): Promise<void>;
}

/** The page-side state (on `window.__player`) that the facts are read from. */
interface PageState {
  hls: HlsType;
  video: HTMLVideoElement;
  started: boolean;
  parsed: boolean;
  fatal: boolean;
  errors: PlaybackFacts['errors'];
  fragmentLevels: number[];
}
type PlayerWindow = Window & { Hls: typeof HlsType; __player: PageState };

/**
 * Opens a page on the player origin, loads `manifestUrl` with hls.js and calls `play()` once the
 * multivariant playlist is parsed; resolves then (or on a fatal error, or after `timeoutMs`).
 * With `level`, that rendition is locked before the first fragment loads; otherwise hls.js's ABR
 * chooses.
 */
export async function openHlsPlayer(
  player: PlayerBrowser,
  manifestUrl: string,
  options: { level?: number; timeoutMs?: number } = {},
): Promise<HlsPlayer> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const context = await player.browser.newContext();
  const page = await context.newPage();
  const httpFailures: string[] = [];
  const consoleErrors: string[] = [];
  page.on('requestfailed', (request) =>
    httpFailures.push(`FAILED ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) httpFailures.push(`${response.status()} ${response.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));

  let timedOut = false;
  const facts = async (): Promise<PlaybackFacts> => {
    const seen = await page.evaluate(() => {
      const state = (window as unknown as PlayerWindow).__player;
      const { hls, video } = state;
      const quality = video.getVideoPlaybackQuality();
      const audioBytes = (video as HTMLVideoElement & { webkitAudioDecodedByteCount?: number })
        .webkitAudioDecodedByteCount;
      return {
        levels: hls.levels.map((level: Level) => ({
          width: level.width,
          height: level.height,
          bitrate: level.bitrate,
          videoCodec: level.videoCodec,
          audioCodec: level.audioCodec,
        })),
        audioTracks: hls.audioTracks.length,
        started: state.started,
        currentTime: video.currentTime,
        currentLevel: hls.currentLevel,
        autoLevel: hls.autoLevelEnabled,
        videoWidth: video.videoWidth,
        videoHeight: video.videoHeight,
        decodedFrames: quality.totalVideoFrames,
        droppedFrames: quality.droppedVideoFrames,
        audioDecodedBytes: audioBytes ?? -1,
        fragmentLevels: [...state.fragmentLevels],
        errors: [...state.errors],
        fatal: state.fatal,
      };
    });
    return {
      manifestUrl,
      ...seen,
      httpFailures: [...httpFailures],
      consoleErrors: [...consoleErrors],
      timedOut,
    };
  };

  const waitFor = async (predicate: (arg: number) => boolean, arg: number, ms: number): Promise<void> => {
    try {
      await page.waitForFunction(predicate, arg, { timeout: ms, polling: 100 });
    } catch (error) {
      if (!(error instanceof errors.TimeoutError)) throw error;
      timedOut = true;
    }
  };

  try {
    await page.goto(`${player.pageOrigin}/`, { timeout: timeoutMs });
    await page.evaluate(
      ({ url, level }) => {
        const w = window as unknown as PlayerWindow;
        const Hls = w.Hls;
        const video = document.getElementById('video') as HTMLVideoElement;
        const hls = new Hls({ capLevelToPlayerSize: false });
        const state: PageState = {
          hls,
          video,
          started: false,
          parsed: false,
          fatal: false,
          errors: [],
          fragmentLevels: [],
        };
        w.__player = state;
        video.addEventListener('playing', () => {
          state.started = true;
        });
        hls.on(Hls.Events.ERROR, (_event: string, data: ErrorData) => {
          state.errors.push({
            type: String(data.type),
            details: String(data.details),
            fatal: data.fatal,
            message: data.error?.message ?? data.reason,
          });
          if (data.fatal) state.fatal = true;
        });
        hls.on(Hls.Events.FRAG_LOADED, (_event: string, data: FragLoadedData) => {
          if (data.frag.type !== 'main') return;
          if (state.fragmentLevels[state.fragmentLevels.length - 1] !== data.frag.level) {
            state.fragmentLevels.push(data.frag.level);
          }
        });
        hls.on(Hls.Events.MANIFEST_PARSED, () => {
          state.parsed = true;
          if (level !== null) hls.currentLevel = level;
          video.play().catch((error: Error) => {
            state.errors.push({ type: 'play', details: error.name, fatal: true, message: error.message });
            state.fatal = true;
          });
        });
        hls.attachMedia(video);
        hls.loadSource(url);
      },
      { url: manifestUrl, level: options.level ?? null },
    );
    await waitFor(
      () => {
        const state = (window as unknown as PlayerWindow).__player;
        return state.parsed || state.fatal;
      },
      0,
      timeoutMs,
    );
  } catch (error) {
    await context.close();
    throw error;
  }

  return {
    page,
    facts,
    async playUntil(seconds, ms = timeoutMs) {
      timedOut = false;
      await waitFor(
        (target) => {
          const state = (window as unknown as PlayerWindow).__player;
          return state.fatal || state.video.currentTime >= target;
        },
        seconds,
        ms,
      );
      return facts();
    },
    async setLevel(index) {
      await page.evaluate((i) => {
        (window as unknown as PlayerWindow).__player.hls.currentLevel = i;
      }, index);
    },
    async close() {
      await page
        .evaluate(() => (window as unknown as PlayerWindow).__player?.hls.destroy())
        .catch(() => undefined);
      await context.close();
    },
  };
}

/** Opens a player on `manifestUrl`, plays until `untilSeconds` (or an error), closes it, returns the facts. */
export async function playHls(
  player: PlayerBrowser,
  manifestUrl: string,
  options: { level?: number; untilSeconds?: number; timeoutMs?: number } = {},
): Promise<PlaybackFacts> {
  const session = await openHlsPlayer(player, manifestUrl, options);
  try {
    return await session.playUntil(options.untilSeconds ?? 2.5, options.timeoutMs);
  } finally {
    await session.close();
  }
}
