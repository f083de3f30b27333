/**
 * Encode benchmark: how much slower is the local pipeline than the plain ffmpeg command an
 * engineer would type for the same ladder? See bench/README.md for what is and is not counted.
 *
 * One run: generate a 60 s 1080p30 clip with sound (test/support/clips.ts), start the embedded
 * platform (timed, not counted), warm its Lambda workers with a tiny clip, then alternate
 * plain, pipeline, pipeline, plain, … for BENCH_ROUNDS rounds:
 *
 * - plain: ONE ffmpeg command, written out below by hand, making the ladder the pipeline plans
 *   for this clip (same rungs, sizes, bitrates, profiles, x264 preset, GOP, B-frames, segment
 *   length, fMP4 HLS, AAC audio). The rungs come from the pipeline's own probe and planner.
 * - pipeline: `ingest()` through the HTTP API, as `npm run ingest` does, from the first byte of
 *   the upload until the client sees READY: upload to s3rver, validation, planning, transcode
 *   (which also makes the poster and the trick-play thumbnails), storing the outputs,
 *   verification, publication.
 *
 * Each side's time is its best (minimum) run; the ratio is pipeline / plain. The last line of
 * stdout is one JSON object; progress goes to stderr. Exits 0 whatever the ratio, 1 on errors.
 *
 * Env: BENCH_ROUNDS (default 2); BENCH_POLL_MS (client status poll interval, default: the ingest
 * client's own, 1 s); BENCH_CLIP_SEC (clip length, default 60; shorter only for a smoke run).
 */
import childProcess, { type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ingest } from '../cli/ingest-client.ts';
import type { JobView } from '../lambdas/contracts/jobs.ts';
import type { Ladder } from '../lambdas/contracts/media.ts';
import { probeMedia } from '../lambdas/media-pipeline/adapters/media-probe.ts';
import { planLadder } from '../lambdas/media-pipeline/domain/ladder.ts';
import { validateSource } from '../lambdas/media-pipeline/domain/validation.ts';
import type { Platform } from '../local/platform.ts';
import { makeClip } from '../test/support/clips.ts';
import { fileRangeReader } from '../test/support/file-range-reader.ts';
import { optionalPositiveIntEnv, positiveIntEnv } from './support/env.ts';
import { printResultLine, progressLog, round2 } from './support/output.ts';
import { startBenchPlatform } from './support/platform.ts';
import { childrenCpuSec, ownCpuSec, processCpu } from './support/proc-cpu.ts';

const TARGET = 1.25;
const ROUNDS = positiveIntEnv('BENCH_ROUNDS', 2);
const POLL_MS = optionalPositiveIntEnv('BENCH_POLL_MS');
const CLIP = {
  width: 1920,
  height: 1080,
  durationSec: positiveIntEnv('BENCH_CLIP_SEC', 60),
  fps: 30,
  audio: true,
} as const;
/** What the plain command shares with the pipeline's encode, copied from where the pipeline sets it. */
const X264_PRESET = 'veryfast'; // local/transcoder/ffmpeg-args.ts
const B_FRAMES = 3; // job-settings.ts: NumberBFramesBetweenReferenceFrames
const HRD_BUFFER_RATIO = 2; // job-settings.ts: HrdBufferSize = MaxBitrate × 2

const say = progressLog('bench');
const sec = (ms: number): number => Math.round(ms) / 1000;
const fmt = (s: number): string => s.toFixed(2).padStart(7);

// ---------------------------------------------------------------------------------------------
// CPU accounting (support/proc-cpu.ts; Linux only, elsewhere CPU figures are left out).
// ---------------------------------------------------------------------------------------------

/**
 * CPU seconds used so far by the platform: this Node process (s3rver, gateway, Lambda worker
 * threads, the ingest client) plus its child processes other than ffmpeg (DynamoDB Local).
 */
function platformCpuSec(): number {
  return ownCpuSec() + childrenCpuSec((child) => child.comm === 'ffmpeg');
}

interface ProcessTiming {
  readonly startMs: number;
  readonly endMs: number;
  /** user + system seconds of the process, from its last /proc sample (≤ 100 ms before exit). */
  readonly cpuSec: number | undefined;
  /** Platform CPU seconds (see platformCpuSec) used while the process ran. */
  readonly platformCpuSec: number;
}

function watchProcess(child: ChildProcess): Promise<ProcessTiming & { code: number | null }> {
  const startMs = performance.now();
  const platformBefore = platformCpuSec();
  let cpuSec: number | undefined;
  const timer = setInterval(() => {
    if (child.pid !== undefined) cpuSec = processCpu(child.pid)?.cpuSec ?? cpuSec;
  }, 100);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearInterval(timer);
      const platformCpu = platformCpuSec() - platformBefore;
      resolve({ startMs, endMs: performance.now(), cpuSec, platformCpuSec: platformCpu, code });
    });
  });
}

/** ffmpeg processes the platform starts while `recording` is set, observed, never altered. */
const pipelineFfmpeg: { recording: boolean; runs: Promise<ProcessTiming>[] } = {
  recording: false,
  runs: [],
};

function observePipelineFfmpeg(): void {
  const original = childProcess.spawn as (...args: unknown[]) => ChildProcess;
  const observed = (...args: unknown[]): ChildProcess => {
    const child = original(...args);
    if (pipelineFfmpeg.recording && basename(String(args[0])) === 'ffmpeg') {
      pipelineFfmpeg.runs.push(watchProcess(child));
    }
    return child;
  };
  (childProcess as { spawn: unknown }).spawn = observed;
  // The transcoder imports `spawn` by name; this updates that binding too.
  syncBuiltinESMExports();
}

// ---------------------------------------------------------------------------------------------
// The plain command
// ---------------------------------------------------------------------------------------------

/** The ladder as one ffmpeg command: decode once, scale per rung, one fMP4 HLS muxer, one audio. */
export function plainLadderArgs(source: string, outDir: string, ladder: Ladder): string[] {
  const { rungs, audio, frameRate } = ladder;
  const gop = String(Math.round((ladder.gopSec * frameRate.numerator) / frameRate.denominator));
  const labels = rungs.map((_, i) => `[s${i}]`).join('');
  const graph = [
    `[0:v]fps=${frameRate.numerator}/${frameRate.denominator},split=${rungs.length}${labels}`,
    ...rungs.map((r, i) => `[s${i}]scale=${r.width}:${r.height}[v${i}]`),
  ].join(';');
  const args = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    '-i',
    source,
    '-filter_complex',
    graph,
  ];
  for (const [i] of rungs.entries()) args.push('-map', `[v${i}]`);
  if (audio !== null) args.push('-map', '0:a:0');
  args.push('-c:v', 'libx264', '-preset', X264_PRESET, '-pix_fmt', 'yuv420p');
  args.push('-g', gop, '-keyint_min', gop, '-sc_threshold', '0', '-bf', String(B_FRAMES));
  for (const [i, r] of rungs.entries()) {
    args.push(`-profile:v:${i}`, r.profile.toLowerCase(), `-b:v:${i}`, String(r.videoBitrate));
    args.push(`-maxrate:v:${i}`, String(r.maxBitrate));
    args.push(`-bufsize:v:${i}`, String(r.maxBitrate * HRD_BUFFER_RATIO));
  }
  if (audio !== null) {
    args.push('-c:a', 'aac', '-b:a', String(audio.bitrate));
    args.push('-ac', String(audio.channels), '-ar', String(audio.sampleRate));
  }
  const streams = rungs.map((_, i) => `v:${i}${audio === null ? '' : ',agroup:audio'}`);
  if (audio !== null) streams.push('a:0,agroup:audio');
  args.push('-f', 'hls', '-hls_time', String(ladder.segmentSec), '-hls_playlist_type', 'vod');
  args.push('-hls_segment_type', 'fmp4', '-hls_flags', 'independent_segments');
  args.push('-master_pl_name', 'master.m3u8', '-var_stream_map', streams.join(' '));
  args.push('-hls_segment_filename', join(outDir, '%v', 'seg_%05d.m4s'), join(outDir, '%v', 'index.m3u8'));
  return args;
}

async function runPlain(source: string, outDir: string, ladder: Ladder): Promise<ProcessTiming> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const child = childProcess.spawn('ffmpeg', plainLadderArgs(source, outDir, ladder), {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const timing = await watchProcess(child);
  if (timing.code !== 0) throw new Error(`plain ffmpeg exited with ${timing.code}:\n${stderr}`);
  // The same ladder came out: a playlist per rung and one for the audio, in the multivariant one.
  const master = await readFile(join(outDir, 'master.m3u8'), 'utf8');
  const variants = master.split('\n').filter((l) => l.startsWith('#EXT-X-STREAM-INF')).length;
  const renditions = (await readdir(outDir)).filter((name) => /^\d+$/.test(name)).length;
  const expected = ladder.rungs.length + (ladder.audio === null ? 0 : 1);
  if (renditions !== expected || variants < ladder.rungs.length) {
    throw new Error(`plain ffmpeg wrote ${renditions} renditions, expected ${expected}`);
  }
  await rm(outDir, { recursive: true, force: true });
  return timing;
}

// ---------------------------------------------------------------------------------------------
// The pipeline, with a breakdown read at the platform's seams (state tasks, Lambda calls)
// ---------------------------------------------------------------------------------------------

interface Span {
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
}

interface PipelineRun {
  /** Upload start → the client saw READY. */
  readonly totalMs: number;
  /** Upload start → the workflow's last task ended (READY written). */
  readonly serverMs: number;
  readonly uploadMs: number;
  readonly uploadRequests: number;
  readonly workflowStartMs: number | undefined;
  readonly states: Span[];
  readonly ffmpeg: ProcessTiming | undefined;
  readonly lambdaCalls: Map<string, { count: number; ms: number }>;
  /** Platform CPU seconds (see platformCpuSec) during the whole run. */
  readonly platformCpuSec: number;
  readonly job: JobView;
}

interface Probes {
  states: Span[];
  workflowStarts: number[];
  lambdaCalls: { name: string; startMs: number; endMs: number }[];
}

/** Times every state-machine task and Lambda call by wrapping them; the work itself is unchanged. */
function instrument(platform: Platform): Probes {
  const probes: Probes = { states: [], workflowStarts: [], lambdaCalls: [] };
  type Handler = (input: unknown) => Promise<unknown>;
  // A private field of LocalStateMachine: should it move, the breakdown only gets coarser.
  const overrides = (platform.stateMachine as unknown as { overrides?: Record<string, Handler> }).overrides;
  for (const [name, handler] of Object.entries(overrides ?? {})) {
    (overrides as Record<string, Handler>)[name] = async (input) => {
      const startMs = performance.now();
      try {
        return await handler(input);
      } finally {
        probes.states.push({ name, startMs, endMs: performance.now() });
      }
    };
  }
  const start = platform.stateMachine.start.bind(platform.stateMachine);
  platform.stateMachine.start = (input) => {
    probes.workflowStarts.push(performance.now());
    return start(input);
  };
  const invoke = platform.lambda.invoke.bind(platform.lambda);
  platform.lambda.invoke = async (arn, event) => {
    const startMs = performance.now();
    try {
      return await invoke(arn, event);
    } finally {
      const entry = platform.lambda.find(arn)?.entry ?? arn;
      probes.lambdaCalls.push({ name: basename(entry, '.ts'), startMs, endMs: performance.now() });
    }
  };
  return probes;
}

async function runPipeline(
  platform: Platform,
  probes: Probes,
  file: string,
  title: string,
): Promise<PipelineRun> {
  const firstState = probes.states.length;
  const firstCall = probes.lambdaCalls.length;
  const firstStart = probes.workflowStarts.length;
  pipelineFfmpeg.runs = [];
  pipelineFfmpeg.recording = true;
  const cpuBefore = platformCpuSec();
  const t0 = performance.now();
  let uploadEnd = Number.NaN;
  let uploadRequests = 0;
  let job: JobView;
  try {
    job = await ingest({
      apiUrl: platform.info.gatewayUrl,
      file,
      title,
      ...(POLL_MS === undefined ? {} : { pollMs: POLL_MS }),
      timeoutMs: 30 * 60_000,
      onUploadProgress: (sent, total) => {
        uploadRequests++;
        if (sent === total) uploadEnd = performance.now();
      },
    });
  } finally {
    pipelineFfmpeg.recording = false;
  }
  const t1 = performance.now();
  const platformCpu = platformCpuSec() - cpuBefore;
  if (job.status !== 'READY')
    throw new Error(`pipeline ended ${job.status}: ${job.reasonCode} ${job.reason}`);
  await platform.idle();

  const rel = (s: Span): Span => ({ name: s.name, startMs: s.startMs - t0, endMs: s.endMs - t0 });
  const states = probes.states
    .slice(firstState)
    .map(rel)
    .sort((a, b) => a.startMs - b.startMs);
  const lambdaCalls = new Map<string, { count: number; ms: number }>();
  for (const call of probes.lambdaCalls.slice(firstCall)) {
    const entry = lambdaCalls.get(call.name) ?? { count: 0, ms: 0 };
    entry.count++;
    entry.ms += call.endMs - call.startMs;
    lambdaCalls.set(call.name, entry);
  }
  const [ffmpeg, ...more] = await Promise.all(pipelineFfmpeg.runs);
  if (more.length > 0)
    say(`note: the pipeline ran ffmpeg ${more.length + 1} times; the breakdown shows the first`);
  const workflowStart = probes.workflowStarts[firstStart];
  return {
    totalMs: t1 - t0,
    serverMs: Math.max(0, ...states.map((s) => s.endMs)),
    uploadMs: uploadEnd - t0,
    uploadRequests,
    workflowStartMs: workflowStart === undefined ? undefined : workflowStart - t0,
    states,
    ffmpeg:
      ffmpeg === undefined
        ? undefined
        : { ...ffmpeg, startMs: ffmpeg.startMs - t0, endMs: ffmpeg.endMs - t0 },
    lambdaCalls,
    platformCpuSec: platformCpu,
    job,
  };
}

function printBreakdown(run: PipelineRun, fileBytes: number): void {
  const line = (label: string, fromMs: number, toMs: number): void => {
    console.log(`    ${fmt(sec(Math.max(0, toMs - fromMs)))} s  ${label}`);
  };
  const mib = (fileBytes / 1024 ** 2).toFixed(0);
  line(
    `register the upload, send ${mib} MiB to s3rver (${run.uploadRequests} sequential PUT(s))`,
    0,
    run.uploadMs,
  );
  let cursor = run.uploadMs;
  if (run.workflowStartMs !== undefined) {
    line('complete the upload → S3 event → workflow started', cursor, run.workflowStartMs);
    cursor = Math.max(cursor, run.workflowStartMs);
  }
  let gapsMs = 0;
  for (const state of run.states) {
    gapsMs += Math.max(0, state.startMs - cursor);
    const ff = run.ffmpeg;
    if (state.name === 'Transcode' && ff !== undefined) {
      line('Transcode: fetch the source from s3rver to a work folder', state.startMs, ff.startMs);
      line('Transcode: ffmpeg (the ladder + poster + trick-play thumbnails)', ff.startMs, ff.endMs);
      line('Transcode: write manifests, check outputs, store them in s3rver', ff.endMs, state.endMs);
    } else {
      line(state.name, state.startMs, state.endMs);
    }
    cursor = Math.max(cursor, state.endMs);
  }
  console.log(`    ${fmt(sec(gapsMs))} s  between states (state machine transitions)`);
  const poll = POLL_MS === undefined ? "the client's default interval" : `every ${POLL_MS} ms`;
  line(`READY written → the client saw it (polling ${poll})`, cursor, run.totalMs);
  console.log(`    ${fmt(sec(run.totalMs))} s  total`);
  const calls = [...run.lambdaCalls.entries()]
    .map(([name, c]) => `${name} ×${c.count} (${sec(c.ms).toFixed(2)} s)`)
    .join(', ');
  console.log(`    Lambda calls (wall time, mostly overlapping ffmpeg): ${calls}`);
  const ffCpu = run.ffmpeg?.cpuSec === undefined ? '?' : run.ffmpeg.cpuSec.toFixed(1);
  const during = run.ffmpeg === undefined ? '?' : run.ffmpeg.platformCpuSec.toFixed(1);
  console.log(
    `    CPU: ffmpeg ≈${ffCpu} s; platform (Node: s3rver, gateway, Lambda workers, client; DynamoDB Local) ` +
      `${run.platformCpuSec.toFixed(1)} s, ${during} s of it while ffmpeg ran`,
  );
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  observePipelineFfmpeg();
  const ffmpegVersion = /ffmpeg version (\S+)/.exec(
    childProcess.execFileSync('ffmpeg', ['-hide_banner', '-version'], { encoding: 'utf8' }),
  )?.[1];
  const cores = availableParallelism();
  const loadBefore = loadavg()[0] ?? 0;
  const benchStart = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'showrunner-bench-'));
  let platform: Platform | undefined;
  try {
    say(`generating a ${CLIP.durationSec} s ${CLIP.width}x${CLIP.height}@${CLIP.fps} clip with audio`);
    let t = performance.now();
    const file = await makeClip(dir, CLIP);
    const clipSec = sec(performance.now() - t);
    const fileBytes = (await stat(file)).size;

    // The ladder the pipeline will plan: its probe, its validation, its planner.
    const validation = validateSource(await probeMedia(await fileRangeReader(file)), {
      maxSizeBytes: Number.MAX_SAFE_INTEGER,
      maxDurationSec: Number.MAX_SAFE_INTEGER,
    });
    if (validation.verdict !== 'ACCEPTED') throw new Error(`the clip was rejected: ${validation.message}`);
    const ladder = planLadder(validation.probe);
    const rungs = ladder.rungs.map((r) => `${r.name} ${r.width}x${r.height} ${r.videoBitrate / 1000}k`);
    say(
      `ladder: ${rungs.join(', ')}; audio: ${ladder.audio ? `AAC ${ladder.audio.bitrate / 1000}k` : 'none'}`,
    );

    say('starting the platform');
    const started = await startBenchPlatform(join(dir, 'data'), say);
    platform = started.platform;
    const platformStartSec = started.startSec;
    const probes = instrument(platform);

    say('warm-up: a 2 s 320x180 clip through the pipeline (starts the Lambda workers)');
    t = performance.now();
    const warm = await ingest({
      apiUrl: platform.info.gatewayUrl,
      file: await makeClip(dir, { width: 320, height: 180, durationSec: 2 }),
      title: 'Bench warm-up',
      timeoutMs: 5 * 60_000,
    });
    if (warm.status !== 'READY') throw new Error(`warm-up ended ${warm.status}: ${warm.reason}`);
    await platform.idle();
    const warmupSec = sec(performance.now() - t);

    const plainRuns: ProcessTiming[] = [];
    const pipelineRuns: PipelineRun[] = [];
    const order = Array.from({ length: ROUNDS }, (_, i) =>
      i % 2 === 0 ? (['plain', 'pipeline'] as const) : (['pipeline', 'plain'] as const),
    ).flat();
    for (const [i, kind] of order.entries()) {
      say(`${i + 1}/${order.length}: ${kind} (load average ${(loadavg()[0] ?? 0).toFixed(2)})`);
      if (kind === 'plain') {
        const run = await runPlain(file, join(dir, 'plain'), ladder);
        plainRuns.push(run);
        say(`    plain ${sec(run.endMs - run.startMs).toFixed(2)} s`);
      } else {
        const run = await runPipeline(platform, probes, file, `Bench ${pipelineRuns.length + 1}`);
        const made = (run.job.asset?.renditions ?? []).map((r) => `${r.name} ${r.width}x${r.height}`).sort();
        const planned = ladder.rungs.map((r) => `${r.name} ${r.width}x${r.height}`).sort();
        if (
          JSON.stringify(made) !== JSON.stringify(planned) ||
          run.job.asset?.audio !== (ladder.audio !== null)
        ) {
          throw new Error(
            `the pipeline made [${made.join(', ')}], the plain command [${planned.join(', ')}]`,
          );
        }
        pipelineRuns.push(run);
        say(`    pipeline ${sec(run.totalMs).toFixed(2)} s`);
      }
    }
    const loadAfter = loadavg()[0] ?? 0;

    const plainSecs = plainRuns.map((r) => sec(r.endMs - r.startMs));
    const pipelineSecs = pipelineRuns.map((r) => sec(r.totalMs));
    const plainSec = Math.min(...plainSecs);
    const pipelineSec = Math.min(...pipelineSecs);
    const ratio = Math.round((pipelineSec / plainSec) * 1000) / 1000;
    const best = pipelineRuns[pipelineSecs.indexOf(pipelineSec)];
    const bestFfmpegSec =
      best?.ffmpeg === undefined ? undefined : sec(best.ffmpeg.endMs - best.ffmpeg.startMs);
    // CPU view: all the work each side did, whoever else was using the cores.
    const plainCpu = Math.min(...plainRuns.map((r) => r.cpuSec ?? Number.NaN));
    const pipelineCpu = Math.min(
      ...pipelineRuns.map((r) => (r.ffmpeg?.cpuSec ?? Number.NaN) + r.platformCpuSec),
    );
    const cpuRatio = Number.isFinite(plainCpu / pipelineCpu)
      ? Math.round((pipelineCpu / plainCpu) * 1000) / 1000
      : undefined;

    const mib = (fileBytes / 1024 ** 2).toFixed(0);
    const audio = ladder.audio ? `AAC ${ladder.audio.bitrate / 1000}k stereo` : 'no audio';
    console.log('');
    console.log(
      `encode benchmark: ${CLIP.durationSec} s ${CLIP.width}x${CLIP.height}@${CLIP.fps} H.264 + AAC clip`,
    );
    console.log(
      `  (testsrc2 + sine, ${mib} MiB), ffmpeg ${ffmpegVersion}, ${cores} cores (${cpus()[0]?.model ?? '?'})`,
    );
    console.log(`  ladder, both sides: ${rungs.join(', ')}`);
    console.log(
      `    + ${audio}; libx264 ${X264_PRESET}, VBR, GOP ${ladder.gopSec} s, ${ladder.segmentSec} s fMP4 HLS segments`,
    );
    console.log(
      '  the pipeline ALSO makes a poster JPEG and trick-play thumbnails (in the same ffmpeg run),',
    );
    console.log('  uploads the source and stores every output in s3rver, validates, verifies and publishes;');
    console.log('  the plain command reads the local file and writes local files only.');
    console.log(
      `  not counted: clip generation ${clipSec.toFixed(1)} s, platform start ${platformStartSec.toFixed(1)} s, ` +
        `warm-up ingest ${warmupSec.toFixed(1)} s`,
    );
    console.log(
      `  load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after ` +
        `(other work on the machine makes wall times noisy; the CPU figures are not)`,
    );
    console.log('');
    // CPU seconds per wall second: how many cores a run got; well under `cores` means it waited.
    const used = (cpuSec: number | undefined, ms: number): string =>
      cpuSec === undefined ? '' : ` ≈${cpuSec.toFixed(1)} s CPU (${(cpuSec / sec(ms)).toFixed(2)} cores)`;
    for (const [i, r] of plainRuns.entries()) {
      const cpu = used(r.cpuSec, r.endMs - r.startMs);
      console.log(`  plain ffmpeg run ${i + 1}: ${fmt(sec(r.endMs - r.startMs))} s${cpu}`);
    }
    for (const [i, r] of pipelineRuns.entries()) {
      const ff = r.ffmpeg;
      const detail =
        ff === undefined
          ? ''
          : `  its ffmpeg ${sec(ff.endMs - ff.startMs).toFixed(2)} s${used(ff.cpuSec, ff.endMs - ff.startMs)}` +
            ` + platform ${r.platformCpuSec.toFixed(1)} s CPU; READY written at ${sec(r.serverMs).toFixed(2)} s`;
      console.log(`  pipeline     run ${i + 1}: ${fmt(sec(r.totalMs))} s${detail}`);
    }
    console.log(
      `  best of each: pipeline ${pipelineSec.toFixed(2)} s / plain ${plainSec.toFixed(2)} s = ${ratio.toFixed(3)}` +
        ` (target ≤ ${TARGET}: ${ratio <= TARGET ? 'met' : 'NOT met'})`,
    );
    if (cpuRatio !== undefined) {
      console.log(
        `  CPU: pipeline ${pipelineCpu.toFixed(1)} s / plain ${plainCpu.toFixed(1)} s = ${cpuRatio.toFixed(3)}`,
      );
    }
    for (const [i, r] of pipelineRuns.entries()) {
      console.log(`\n  pipeline run ${i + 1}, where the time went:`);
      printBreakdown(r, fileBytes);
    }
    console.log(`\n  bench wall time ${(sec(performance.now() - benchStart) / 60).toFixed(1)} min`);
    printResultLine({
      bench: 'encode',
      ratio,
      target: TARGET,
      met: ratio <= TARGET,
      pipelineSec,
      plainSec,
      aggregate: 'min',
      pipelineRunsSec: pipelineSecs,
      plainRunsSec: plainSecs,
      pipelineFfmpegSec: bestFfmpegSec,
      pipelineReadyWrittenSec: best === undefined ? undefined : sec(best.serverMs),
      cpuRatio,
      plainCpuSec: round2(plainCpu),
      pipelineCpuSec: round2(pipelineCpu),
      pipelineAlsoDoes: [
        'poster',
        'trick-play thumbnails',
        'upload',
        'S3 storage',
        'validate',
        'verify',
        'publish',
      ],
      rungs: ladder.rungs.map((r) => `${r.name}:${r.width}x${r.height}@${r.videoBitrate / 1000}k`),
      audio: ladder.audio === null ? null : `aac ${ladder.audio.bitrate / 1000}k`,
      clip: `${CLIP.durationSec}s ${CLIP.width}x${CLIP.height}@${CLIP.fps} h264+aac testsrc2 ${fileBytes}B`,
      pollMs: POLL_MS ?? 'client default',
      platformStartSec,
      warmupSec,
      ffmpeg: ffmpegVersion,
      cores,
      loadavg: [round2(loadBefore), round2(loadAfter)],
    });
  } finally {
    await platform?.stop().catch((error: unknown) => say(`stopping the platform failed: ${String(error)}`));
    await rm(dir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  say(`failed: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
}
