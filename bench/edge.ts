/**
 * Edge benchmark: origin offload (byte hit ratio) of the two local edges under a Zipf(1) request
 * trace, from a cold cache and after prepositioning; and time to first frame in Chromium through
 * a real playback session. See bench/README.md for what is counted.
 *
 * 1. Start the embedded platform (temporary data directory, free ports) and Chromium.
 * 2. Encode ONE real title through the pipeline (a generated clip, BENCH_CLIP_SECONDS long).
 * 3. Synthesize BENCH_TITLES titles (default 200) by copying that asset's objects with S3
 *    PutObject into the media bucket (s3rver) under BENCH_TITLES asset prefixes
 *    (`media/bench-t-NNN/bench-a-NNN/…`). They are byte-identical copies, but the edges cache by
 *    URI, so each is a distinct set of objects to them. (Encoding 200 titles would take hours.)
 * 4. Request trace: "sessions" until at least BENCH_SEGMENT_REQUESTS segment requests (default
 *    20 000). A session picks a title by Zipf(s = 1) over popularity rank, an edge (edge-a or
 *    edge-b, at random), a video rendition (mostly the top one, as ABR on a good line), fetches the
 *    video and audio media playlists and init segments, then a run of segments (from the start,
 *    or from a random resume point one time in five; geometric length, mean 8 segments), video and
 *    audio. Every request goes through the edge function with a token made by `signEdgeToken` and
 *    the platform's key.
 * 5. Cold: every cache emptied (both edges and the shield tier between them and the origin, the
 *    stand-in for CloudFront's Origin Shield), counters zeroed, trace A replayed.
 *    offload = 1 − (bytes the media origin served) / (bytes the edges served to viewers).
 * 6. Prepositioning: trace A's sessions are counted as playback starts with the adapter
 *    playback itself writes them with (`dynamoPopularity`, the playback table in DynamoDB Local):
 *    yesterday's viewing. Caches emptied again (the cold run's cache does not count), then the
 *    real scheduled job runs (`prepositionSchedule`, invoked as its EventBridge rule would, with
 *    its defaults): it ranks titles by those starts and fetches the opening of every rendition of
 *    the most popular ones through both edges with edge tokens. Counters zeroed; trace B, a different sample
 *    (another seed) of the same distribution, is replayed; its offload is the headline ratio.
 * 7. Time to first frame: BENCH_TTFF_RUNS (default 5) playbacks of the real title in Chromium +
 *    hls.js through `POST /v1/playback` and the session's master playlist; each from
 *    `hls.loadSource()` to the video's first `playing` event, edge caches emptied before each run
 *    (the unprepositioned case). Median (nearest rank, support/latency.ts) printed.
 *
 * The last line of stdout is one JSON object; progress goes to stderr. Exits 0 whatever the
 * ratio (`met` says whether the target was met), 1 on errors.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ingest } from '../cli/ingest-client.ts';
import { edgePath, signEdgeToken } from '../lambdas/contracts/edge.ts';
import { tableEnv } from '../lambdas/contracts/env.ts';
import { dynamoPopularity } from '../lambdas/playback/adapters/popularity-table.ts';
import type { PrepositionReport } from '../lambdas/playback/domain/preposition.ts';
import { LOCAL_REGION } from '../local/assembly.ts';
import { DEFAULT_ADMIN } from '../local/defaults.ts';
import type { LocalEdge } from '../local/edge/edge-server.ts';
import { LOCAL_CREDENTIALS } from '../local/emulators/dynamodb.ts';
import type { Platform } from '../local/platform.ts';
import type { PlayerBrowser } from '../test/support/browser.ts';
import { makeClip } from '../test/support/clips.ts';
import { startPlatformAndBrowser } from '../test/support/platform.ts';
import { positiveIntEnv } from './support/env.ts';
import { gatewayRequest } from './support/gateway.ts';
import { medianSec } from './support/latency.ts';
import { printResultLine, progressLog } from './support/output.ts';

const TARGET = 0.95;
const TTFF_TARGET_SEC = 1.0;
const TITLES = positiveIntEnv('BENCH_TITLES', 200);
const SEGMENT_REQUESTS = positiveIntEnv('BENCH_SEGMENT_REQUESTS', 20_000);
const CLIP_SECONDS = positiveIntEnv('BENCH_CLIP_SECONDS', 36);
const CLIP_WIDTH = 640;
const CLIP_HEIGHT = 360;
const CONCURRENCY = positiveIntEnv('BENCH_CONCURRENCY', 32);
const TTFF_RUNS = positiveIntEnv('BENCH_TTFF_RUNS', 5);
/** Key id of the local edges' signing key (local/platform.ts). */
const EDGE_KID = 'local-1';
const ZIPF_S = 1;
const MEAN_RUN_SEGMENTS = 8;

const log = progressLog('bench:edge');

/** One HLS media playlist of the asset: its key and the objects a player fetches in order. */
interface Track {
  kind: 'video' | 'audio';
  playlist: string;
  init: string | undefined;
  segments: string[];
}

/** Keys relative to the asset prefix. */
interface AssetLayout {
  video: Track[];
  audio: Track | undefined;
}

interface SyntheticTitle {
  titleId: string;
  assetId: string;
  prefix: string;
}

interface Session {
  title: number;
  edge: number;
  video: number;
  from: number;
  count: number;
}

interface ReplayResult {
  sessions: number;
  segmentRequests: number;
  requests: number;
  failures: string[];
  servedBytes: number;
  originBytes: number;
  hits: number;
  misses: number;
  offload: number;
  /** Bytes the edges served from their own caches (the rest came from the shield). */
  edgeHitRatio: number;
  seconds: number;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'showrunner-bench-edge-'));
  let platform: Platform | undefined;
  let player: PlayerBrowser | undefined;
  try {
    log(`starting the platform and Chromium in ${dir}`);
    ({ platform, player } = await startPlatformAndBrowser(join(dir, 'data')));
    const p = platform as Platform;
    const browser = player as PlayerBrowser;

    log(`encoding one ${CLIP_SECONDS} s ${CLIP_WIDTH}x${CLIP_HEIGHT} title through the pipeline`);
    const file = await makeClip(dir, {
      width: CLIP_WIDTH,
      height: CLIP_HEIGHT,
      durationSec: CLIP_SECONDS,
      audio: true,
    });
    const encodeStart = performance.now();
    const job = await ingest({
      apiUrl: p.info.gatewayUrl,
      file,
      title: 'Edge bench',
      countries: ['US'],
      pollMs: 200,
      timeoutMs: 600_000,
    });
    if (job.status !== 'READY' || !job.asset) throw new Error(`ingest ended ${job.status}: ${job.reason}`);
    log(`READY in ${((performance.now() - encodeStart) / 1000).toFixed(1)} s`);
    await waitPlayable(p, job.titleId);

    const s3 = new S3Client({
      endpoint: p.info.s3Endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      forcePathStyle: true,
    });
    const assetPrefix = sourcePrefix(job.asset.manifestKey);
    const objects = await readAsset(s3, p.info.mediaBucket, sourcePrefix(job.asset.manifestKey));
    const layout = layoutOf(objects, job.asset.manifestKey, sourcePrefix(job.asset.manifestKey));
    const assetBytes = [...objects.values()].reduce((sum, o) => sum + o.body.length, 0);
    log(
      `asset ${assetPrefix}: ${objects.size} objects, ${mib(assetBytes)} MiB; ` +
        `${layout.video.length} video renditions, ${layout.video[0]?.segments.length ?? 0} segments each, ` +
        `audio ${layout.audio ? 'separate' : 'muxed'}`,
    );

    const titles = await synthesizeTitles(s3, p.info.mediaBucket, objects, TITLES);
    log(
      `synthesized ${titles.length} titles by S3 PutObject copies of that asset into s3://${p.info.mediaBucket} ` +
        `(${objects.size * titles.length} objects, ${mib(assetBytes * titles.length)} MiB)`,
    );

    const key = p.edgeKeys.get(`key:${EDGE_KID}`);
    if (!key) throw new Error('No edge signing key in the platform KeyValueStore');
    const edges = p.edges;

    const traceA = makeTrace(layout, TITLES, SEGMENT_REQUESTS, 1);
    emptyCaches(p);
    log(`cold: replaying trace A (${traceA.length} sessions) against empty caches`);
    const cold = await replay(traceA, { titles, layout, edges, shield: p.shield, key });
    log(describeRun('cold', cold));

    log(`counting trace A's ${traceA.length} sessions as playback starts in the playback table`);
    await recordStarts(p, traceA, titles, job.asset.manifestKey.slice(assetPrefix.length));
    emptyCaches(p);
    // The scheduled job itself (what EventBridge runs off-peak), with its defaults and full budget.
    const [report] = (await p.runScheduled('prepositionSchedule')) as PrepositionReport[];
    if (!report) throw new Error('the prepositioning schedule answered nothing');
    const filled = {
      titles: report.titles.length,
      objects: report.edges.reduce((sum, e) => sum + e.filled, 0),
      bytes: report.edges.reduce((sum, e) => sum + e.filledBytes, 0),
      failed: report.edges.reduce((sum, e) => sum + e.failed, 0),
      originBytes: p.shield.stats.originBytes,
    };
    log(
      `prepositioned (the scheduled job, prepositionSchedule): the ${filled.titles} most ` +
        `popular titles, first ${report.openingSec} s of every rendition, on ${report.edges.length} edges: ` +
        `${filled.objects} objects, ${mib(filled.bytes)} MiB into the edges, ${mib(filled.originBytes)} MiB from ` +
        `the origin, in ${report.seconds.toFixed(1)} s` +
        (filled.failed > 0 ? `, ${filled.failed} FAILED` : '') +
        (report.truncated ? `, CUT SHORT (${report.notAttempted} not attempted)` : ''),
    );
    resetCounters(p);
    const traceB = makeTrace(layout, TITLES, SEGMENT_REQUESTS, 2);
    log(
      `prepositioned: replaying trace B (${traceB.length} sessions, another sample of the same distribution)`,
    );
    const warm = await replay(traceB, { titles, layout, edges, shield: p.shield, key });
    log(describeRun('prepositioned', warm));

    log(`time to first frame: ${TTFF_RUNS} playbacks in Chromium + hls.js, edge caches emptied before each`);
    const ttff = await timeToFirstFrame(p, browser, job.titleId, TTFF_RUNS);
    const ttffMedian = medianSec(ttff);
    log(
      `time to first frame: ${ttff.map((t) => t.toFixed(3)).join(', ')} s; median ${ttffMedian.toFixed(3)} s`,
    );

    const failures = cold.failures.length + warm.failures.length;
    if (failures > 0) {
      log(`request failures: ${[...cold.failures, ...warm.failures].slice(0, 5).join('; ')}`);
    }
    const round = (n: number) => Math.round(n * 10_000) / 10_000;
    const result = {
      bench: 'edge',
      ratio: round(warm.offload),
      target: TARGET,
      higherIsBetter: true,
      met: warm.offload >= TARGET,
      coldOffload: round(cold.offload),
      prepositionedOffload: round(warm.offload),
      titles: TITLES,
      zipfS: ZIPF_S,
      segmentRequests: { cold: cold.segmentRequests, prepositioned: warm.segmentRequests },
      requests: { cold: cold.requests, prepositioned: warm.requests },
      failures,
      edgeHitRatio: { cold: round(cold.edgeHitRatio), prepositioned: round(warm.edgeHitRatio) },
      prepositioned: {
        titles: filled.titles,
        openingSec: report.openingSec,
        objects: filled.objects,
        bytes: filled.bytes,
        originBytes: filled.originBytes,
        truncated: report.truncated,
      },
      syntheticTitles: 'S3 PutObject copies of one encoded asset under distinct prefixes',
      ttffMedianSec: round(ttffMedian),
      ttffRunsSec: ttff.map(round),
      ttffTargetSec: TTFF_TARGET_SEC,
      ttffMet: ttffMedian <= TTFF_TARGET_SEC,
    };
    printResultLine(result);
  } finally {
    await player?.close().catch(() => undefined);
    await platform?.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** `media/<titleId>/<assetId>/` from the manifest key `media/<titleId>/<assetId>/hls/master.m3u8`. */
function sourcePrefix(manifestKey: string): string {
  const parts = manifestKey.split('/');
  return `${parts.slice(0, 3).join('/')}/`;
}

async function waitPlayable(platform: Platform, titleId: string): Promise<void> {
  const login = await call(platform, 'POST', '/v1/auth/login', undefined, DEFAULT_ADMIN);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const title = await call(platform, 'GET', `/v1/titles/${titleId}`, login.body.accessToken);
    if (title.status === 200 && title.body.playable === true) return;
    if (Date.now() > deadline) throw new Error(`title never became playable: ${JSON.stringify(title.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface StoredObject {
  body: Uint8Array;
  contentType: string | undefined;
}

/** Every object under `prefix`, keyed by its key relative to the prefix. */
async function readAsset(s3: S3Client, bucket: string, prefix: string): Promise<Map<string, StoredObject>> {
  const objects = new Map<string, StoredObject>();
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const item of page.Contents ?? []) {
      if (!item.Key) continue;
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: item.Key }));
      const body = await object.Body?.transformToByteArray();
      objects.set(item.Key.slice(prefix.length), {
        body: body ?? new Uint8Array(),
        contentType: object.ContentType,
      });
    }
    token = page.NextContinuationToken;
  } while (token);
  return objects;
}

/** The media playlists a player reads, from the master: video variants and the audio rendition. */
function layoutOf(objects: Map<string, StoredObject>, manifestKey: string, prefix: string): AssetLayout {
  const relMaster = manifestKey.slice(prefix.length);
  const text = (rel: string) => Buffer.from(objects.get(rel)?.body ?? new Uint8Array()).toString('utf8');
  const resolve = (base: string, uri: string) => posix.normalize(posix.join(posix.dirname(base), uri));
  const master = text(relMaster);
  const lines = master.split(/\r?\n/);
  const videoPlaylists: string[] = [];
  let audioPlaylist: string | undefined;
  for (const [i, line] of lines.entries()) {
    if (line.startsWith('#EXT-X-STREAM-INF')) videoPlaylists.push(resolve(relMaster, lines[i + 1] ?? ''));
    if (line.startsWith('#EXT-X-MEDIA') && /TYPE=AUDIO/.test(line)) {
      const uri = /URI="([^"]+)"/.exec(line)?.[1];
      if (uri && !audioPlaylist) audioPlaylist = resolve(relMaster, uri);
    }
  }
  const track = (kind: Track['kind'], playlist: string): Track => {
    const body = text(playlist);
    const mapUri = /#EXT-X-MAP:.*URI="([^"]+)"/.exec(body)?.[1];
    const segments = body
      .split(/\r?\n/)
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((uri) => resolve(playlist, uri));
    return { kind, playlist, init: mapUri ? resolve(playlist, mapUri) : undefined, segments };
  };
  // Lowest bitrate first, as in the master; the trace weights the top one.
  const video = [...new Set(videoPlaylists)].map((pl) => track('video', pl));
  if (video.length === 0) throw new Error('the asset has no video variants');
  return { video, audio: audioPlaylist ? track('audio', audioPlaylist) : undefined };
}

/** Copies the asset's objects under `count` new title/asset prefixes with S3 PutObject. */
async function synthesizeTitles(
  s3: S3Client,
  bucket: string,
  objects: Map<string, StoredObject>,
  count: number,
): Promise<SyntheticTitle[]> {
  const titles: SyntheticTitle[] = Array.from({ length: count }, (_, i) => {
    const n = String(i).padStart(3, '0');
    const titleId = `bench-t-${n}`;
    const assetId = `bench-a-${n}`;
    return { titleId, assetId, prefix: `media/${titleId}/${assetId}/` };
  });
  const puts = titles.flatMap((title) =>
    [...objects].map(([rel, object]) => ({ key: `${title.prefix}${rel}`, object })),
  );
  await pool(puts, 16, async ({ key, object }) => {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: object.body, ContentType: object.contentType }),
    );
  });
  return titles;
}

/** A seeded PRNG (mulberry32): the same seed gives the same trace. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Sessions until `segmentRequests` segment requests (video + audio). Title rank i (0-based) has
 * probability ∝ 1 / (i + 1)^s; ranks map to titles in a shuffled order, the same for every seed,
 * so title ids carry no hint of popularity.
 */
function makeTrace(layout: AssetLayout, titles: number, segmentRequests: number, seed: number): Session[] {
  const random = prng(seed * 7919);
  const order = shuffled(titles, prng(42));
  const weights = Array.from({ length: titles }, (_, i) => 1 / (i + 1) ** ZIPF_S);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const w of weights) {
    acc += w / total;
    cumulative.push(acc);
  }
  const segments = layout.video[0]?.segments.length ?? 1;
  const top = layout.video.length - 1;
  const sessions: Session[] = [];
  let requested = 0;
  while (requested < segmentRequests) {
    const u = random();
    const rank = cumulative.findIndex((c) => u <= c);
    const title = order[rank === -1 ? titles - 1 : rank] as number;
    const r = random();
    const video = r < 0.7 ? top : r < 0.9 ? Math.max(0, top - 1) : Math.floor(random() * layout.video.length);
    const from = random() < 0.8 ? 0 : Math.floor(random() * segments);
    // Geometric run length, mean MEAN_RUN_SEGMENTS, capped at the end of the title.
    let count = 1;
    while (count < segments - from && random() > 1 / MEAN_RUN_SEGMENTS) count += 1;
    sessions.push({ title, edge: random() < 0.5 ? 0 : 1, video, from, count });
    requested += count * (layout.audio ? 2 : 1);
  }
  return sessions;
}

function shuffled(n: number, random: () => number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j] as number, a[i] as number];
  }
  return a;
}

/** The keys (relative to the asset prefix) a session fetches, in order; segments flagged. */
function sessionRequests(layout: AssetLayout, session: Session): { rel: string; segment: boolean }[] {
  const tracks = [layout.video[session.video] as Track, ...(layout.audio ? [layout.audio] : [])];
  const out: { rel: string; segment: boolean }[] = [];
  for (const track of tracks) {
    out.push({ rel: track.playlist, segment: false });
    if (track.init) out.push({ rel: track.init, segment: false });
  }
  for (let k = session.from; k < session.from + session.count; k += 1) {
    for (const track of tracks) {
      const segment = track.segments[k];
      if (segment) out.push({ rel: segment, segment: true });
    }
  }
  return out;
}

async function replay(
  trace: Session[],
  context: {
    titles: SyntheticTitle[];
    layout: AssetLayout;
    edges: LocalEdge[];
    shield: LocalEdge;
    key: string;
  },
): Promise<ReplayResult> {
  const { titles, layout, edges, shield, key } = context;
  const start = performance.now();
  const expiresAt = Math.floor(Date.now() / 1000) + 3600;
  const failures: string[] = [];
  let requests = 0;
  let segmentRequests = 0;
  await pool(
    trace.map((session, index) => ({ session, index })),
    CONCURRENCY,
    async ({ session, index }) => {
      const title = titles[session.title] as SyntheticTitle;
      const edge = edges[session.edge] as LocalEdge;
      const token = signEdgeToken({
        kid: EDGE_KID,
        sessionId: `bench-s-${index}`,
        titleId: title.titleId,
        assetId: title.assetId,
        maxHeight: 4320,
        expiresAt,
        key,
      });
      for (const { rel, segment } of sessionRequests(layout, session)) {
        const response = await fetch(`${edge.url}${edgePath(token, `${title.prefix}${rel}`)}`);
        await response.arrayBuffer();
        requests += 1;
        if (segment) segmentRequests += 1;
        if (response.status !== 200) failures.push(`${response.status} ${edge.name} ${title.prefix}${rel}`);
      }
    },
  );
  const servedBytes = edges.reduce((sum, e) => sum + e.stats.servedBytes, 0);
  // The edges' own misses go to the shield; what reaches the media origin is the shield's misses.
  const fromShield = edges.reduce((sum, e) => sum + e.stats.originBytes, 0);
  const originBytes = shield.stats.originBytes;
  return {
    sessions: trace.length,
    segmentRequests,
    requests,
    failures,
    servedBytes,
    originBytes,
    hits: edges.reduce((sum, e) => sum + e.stats.hits, 0),
    misses: edges.reduce((sum, e) => sum + e.stats.misses, 0),
    offload: servedBytes === 0 ? 0 : 1 - originBytes / servedBytes,
    edgeHitRatio: servedBytes === 0 ? 0 : 1 - fromShield / servedBytes,
    seconds: (performance.now() - start) / 1000,
  };
}

/** Empties both edges and the shield, and zeroes their counters. */
function emptyCaches(platform: Platform): void {
  for (const tier of [...platform.edges, platform.shield]) tier.clearCache();
  resetCounters(platform);
}

function resetCounters(platform: Platform): void {
  for (const tier of [...platform.edges, platform.shield]) tier.resetStats();
}

/**
 * Every session of `trace` counted as a playback start of its title, with the adapter the
 * playback service writes starts with, into the platform's playback table.
 */
async function recordStarts(
  platform: Platform,
  trace: Session[],
  titles: SyntheticTitle[],
  relManifest: string,
): Promise<void> {
  const tableName = platform.assembly.functionById('startPlayback').environment[tableEnv('playback')];
  if (!tableName) throw new Error('startPlayback has no playback table');
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: platform.info.dynamoEndpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    }),
  );
  const popularity = dynamoPopularity(tableName, client);
  const now = new Date();
  await pool(trace, 16, async (session) => {
    const title = titles[session.title] as SyntheticTitle;
    await popularity.recordStart(
      { titleId: title.titleId, assetId: title.assetId, manifestKey: `${title.prefix}${relManifest}` },
      now,
    );
  });
  client.destroy();
}

/** Seconds from `hls.loadSource()` to the first `playing`, per run, each through a new session. */
async function timeToFirstFrame(
  platform: Platform,
  player: PlayerBrowser,
  titleId: string,
  runs: number,
): Promise<number[]> {
  const credentials = {
    email: `bench-${randomUUID().slice(0, 8)}@example.com`,
    password: 'correct horse battery',
  };
  const expect = (answer: { status: number; body: Json }, status: number, what: string) => {
    if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  expect(
    await call(platform, 'POST', '/v1/auth/signup', undefined, { ...credentials, country: 'US' }),
    201,
    'signup',
  );
  const { accessToken } = expect(
    await call(platform, 'POST', '/v1/auth/login', undefined, credentials),
    200,
    'login',
  );
  const plan = { plan: 'standard', card: { number: '4242 4242 4242 4242' } };
  expect(await call(platform, 'PUT', '/v1/subscription', accessToken, plan), 200, 'subscription');
  const profile = expect(
    await call(platform, 'POST', '/v1/profiles', accessToken, { name: 'bench', maturity: 'adult' }),
    201,
    'profile',
  );
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    emptyCaches(platform);
    const started = await call(platform, 'POST', '/v1/playback', accessToken, {
      profileId: profile.profileId,
      titleId,
    });
    if (started.status !== 201) throw new Error(`playback: ${JSON.stringify(started.body)}`);
    const context = await player.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${player.pageOrigin}/`);
      const ms = await page.evaluate(
        (url) =>
          new Promise<number>((resolve, reject) => {
            // biome-ignore lint/suspicious/noExplicitAny: hls.js as loaded on the page
            const Hls = (window as any).Hls;
            const video = document.getElementById('video') as HTMLVideoElement;
            const hls = new Hls();
            const timer = setTimeout(() => reject(new Error('no first frame within 20 s')), 20_000);
            let t0 = 0;
            video.addEventListener(
              'playing',
              () => {
                clearTimeout(timer);
                resolve(performance.now() - t0);
              },
              { once: true },
            );
            hls.on(Hls.Events.ERROR, (_: string, data: { fatal: boolean; details: string }) => {
              if (data.fatal) reject(new Error(`hls.js fatal error: ${data.details}`));
            });
            hls.on(Hls.Events.MANIFEST_PARSED, () => {
              video.play().catch(reject);
            });
            hls.attachMedia(video);
            t0 = performance.now();
            hls.loadSource(url);
          }),
        started.body.manifestUrl as string,
      );
      times.push(ms / 1000);
    } finally {
      await context.close();
      await call(platform, 'DELETE', `/v1/playback/${started.body.sessionId}`, accessToken);
    }
  }
  return times;
}

// biome-ignore lint/suspicious/noExplicitAny: a decoded JSON answer
type Json = any;

/** One JSON call to the platform's gateway, as a US viewer. */
async function call(
  platform: Platform,
  method: string,
  path: string,
  accessToken?: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const { status, text } = await gatewayRequest(platform.info.gatewayUrl, method, path, {
    token: accessToken,
    body,
    headers: { 'x-viewer-country': 'US' },
  });
  return { status, body: text === '' ? null : JSON.parse(text) };
}

function describeRun(label: string, run: ReplayResult): string {
  return (
    `${label}: ${run.sessions} sessions, ${run.requests} requests (${run.segmentRequests} segments) in ` +
    `${run.seconds.toFixed(1)} s; hits ${run.hits}, misses ${run.misses}; served ${mib(run.servedBytes)} MiB, ` +
    `from origin ${mib(run.originBytes)} MiB; offload ${run.offload.toFixed(4)}` +
    (run.failures.length > 0 ? `; ${run.failures.length} FAILED` : '')
  );
}

async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
