/**
 * The local stand-in for AWS Elemental MediaConvert: interprets the same `JobSettings` the
 * cloud pipeline submits and runs ffmpeg so that the same objects appear under the same keys.
 *
 * One ffmpeg process decodes the source once and writes every rendition, the audio rendition
 * and the frame captures; the multivariant playlist and the WebVTT playlists are written
 * afterwards from the settings and measured segment sizes.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, posix, relative, sep } from 'node:path';
import type { JobSettings } from '@aws-sdk/client-mediaconvert';
import { cmafSegmentKey, frameCaptureKey } from '#media-pipeline/domain/job-settings.ts';
import { TranscodeError } from './errors.ts';
import {
  buildFfmpegArgs,
  FFMPEG_MASTER_NAME,
  type LocalTranscodePlan,
  planLocalTranscode,
} from './ffmpeg-args.ts';
import {
  buildMasterPlaylist,
  buildSubtitlePlaylist,
  codecsByVariantUri,
  type MeasuredRendition,
  measureRendition,
  segmentUris,
} from './manifests.ts';

export { TRANSCODE_ERROR_CODES, TranscodeError, type TranscodeErrorCode } from './errors.ts';
export { buildFfmpegArgs, planLocalTranscode } from './ffmpeg-args.ts';

/** Where inputs come from and outputs go: S3 in the cloud-shaped local platform, a folder in tests. */
export interface TranscodeIo {
  /** A local file path ffmpeg can read for an input URI like s3://bucket/key (the io downloads or maps it). */
  fetchInput(uri: string): Promise<string>;
  /** Store one finished output file at its destination URI (s3://bucket/key). */
  storeOutput(uri: string, localPath: string, contentType: string): Promise<void>;
}

/** Options for one local transcode. */
export interface LocalTranscodeOptions {
  /** Scratch folder; outputs are staged in `<workDir>/out` (emptied first, removed after upload). */
  readonly workDir: string;
  /** Called with 0–100 as ffmpeg advances through the source, and 100 once everything is stored. */
  readonly onProgress?: (percent: number) => void;
  /** Aborting kills ffmpeg and rejects with TranscodeError(ABORTED). */
  readonly signal?: AbortSignal;
  /**
   * ffmpeg executable.
   * @default 'ffmpeg' (from PATH)
   */
  readonly ffmpegPath?: string;
}

/** Content type of each object the transcoder stores, by extension. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  m3u8: 'application/vnd.apple.mpegurl',
  cmfv: 'video/mp4',
  cmfa: 'audio/mp4',
  vtt: 'text/vtt',
  jpg: 'image/jpeg',
};

/** Bytes of ffmpeg's stderr kept for error messages. */
const STDERR_TAIL_BYTES = 16 * 1024;
/** Lines of stderr quoted in a TranscodeError message. */
const STDERR_TAIL_LINES = 20;
/** Uploads in flight at once. */
const UPLOAD_CONCURRENCY = 8;

/** Runs a MediaConvert job locally; resolves once every output is stored. */
export async function runLocalTranscode(
  settings: JobSettings,
  io: TranscodeIo,
  opts: LocalTranscodeOptions,
): Promise<void> {
  throwIfAborted(opts.signal);
  const plan = planLocalTranscode(settings);
  const outDir = join(opts.workDir, 'out');
  const out = (key: string): string => join(outDir, ...key.split('/'));

  await rm(outDir, { recursive: true, force: true });
  await mkdir(out(plan.layout.hlsPrefix), { recursive: true });
  for (const capture of plan.frameCaptures)
    await mkdir(dirname(out(capture.keys.baseKey)), { recursive: true });

  const source = await io.fetchInput(plan.sourceUri);
  const captionFiles = await Promise.all(plan.captions.map((c) => io.fetchInput(c.sourceUri)));
  await Promise.all(captionFiles.map((file, i) => assertWebVtt(file, plan.captions[i]?.sourceUri ?? file)));
  throwIfAborted(opts.signal);

  await runFfmpeg(buildFfmpegArgs(plan, { source, outDir }), opts);

  await writeManifests(plan, captionFiles, out);
  await assertOutputs(plan, out);
  await uploadAll(plan, outDir, io, opts.signal);
  // Staged copies are no longer needed once stored; a failed run keeps them for inspection.
  await rm(outDir, { recursive: true, force: true });
  opts.onProgress?.(100);
}

/** Content type for an output key. */
export function contentTypeFor(key: string): string {
  const extension = key.slice(key.lastIndexOf('.') + 1);
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

async function writeManifests(
  plan: LocalTranscodePlan,
  captionFiles: readonly string[],
  out: (key: string) => string,
): Promise<void> {
  const measured = new Map<string, MeasuredRendition>();
  for (const keys of [...plan.video.map((v) => v.keys), ...(plan.audio === null ? [] : [plan.audio.keys])]) {
    const playlistPath = out(keys.playlistKey);
    const text = await readFile(playlistPath, 'utf8').catch((cause: unknown) => {
      throw new TranscodeError('OUTPUT_MISSING', `ffmpeg did not write ${keys.playlistKey}`, { cause });
    });
    const sizes = new Map<string, number>();
    for (const uri of segmentUris(text)) {
      sizes.set(uri, (await stat(join(dirname(playlistPath), uri))).size);
    }
    measured.set(
      keys.playlistKey,
      measureRendition(text, (uri) => sizes.get(uri) ?? 0),
    );
  }

  // Subtitles span the whole programme, as long as the longest video rendition.
  const durationSec = Math.max(
    0,
    ...plan.video.map((v) => measured.get(v.keys.playlistKey)?.durationSec ?? 0),
  );
  for (const [i, caption] of plan.captions.entries()) {
    const file = captionFiles[i];
    if (file === undefined) continue;
    const segmentKey = cmafSegmentKey(caption.keys, 1);
    await copyFile(file, out(segmentKey));
    const uri = segmentKey.slice(plan.layout.hlsPrefix.length);
    await writeFile(out(caption.keys.playlistKey), buildSubtitlePlaylist(uri, durationSec));
  }

  const ffmpegMaster = out(`${plan.layout.hlsPrefix}${FFMPEG_MASTER_NAME}`);
  const codecs = codecsByVariantUri(await readFile(ffmpegMaster, 'utf8').catch(() => '#EXTM3U\n'));
  await rm(ffmpegMaster, { force: true });
  await writeFile(out(plan.layout.masterPlaylistKey), buildMasterPlaylist(plan, measured, codecs));
}

/** Every key MediaConvert would certainly write must exist before anything is uploaded. */
async function assertOutputs(plan: LocalTranscodePlan, out: (key: string) => string): Promise<void> {
  const required = [
    plan.layout.masterPlaylistKey,
    ...[...plan.video, ...(plan.audio === null ? [] : [plan.audio]), ...plan.captions].flatMap((r) => [
      r.keys.playlistKey,
      ...(r.keys.initKey === null ? [] : [r.keys.initKey]),
    ]),
    ...plan.frameCaptures.map((c) => frameCaptureKey(c.keys, 0)),
  ];
  for (const key of required) {
    const exists = await stat(out(key)).then(
      () => true,
      () => false,
    );
    if (!exists) throw new TranscodeError('OUTPUT_MISSING', `expected output ${key} was not written`);
  }
}

/**
 * Stores media before the playlists that reference them, and the multivariant playlist last,
 * so a reader that finds a playlist finds everything it names.
 */
async function uploadAll(
  plan: LocalTranscodePlan,
  outDir: string,
  io: TranscodeIo,
  signal: AbortSignal | undefined,
): Promise<void> {
  const entries = await readdir(outDir, { recursive: true, withFileTypes: true });
  const keys = entries
    .filter((e) => e.isFile())
    .map((e) => relative(outDir, join(e.parentPath, e.name)).split(sep).join(posix.sep));
  const rank = (key: string): number => {
    if (key === plan.layout.masterPlaylistKey) return 2;
    return key.endsWith('.m3u8') ? 1 : 0;
  };
  for (const stage of [0, 1, 2]) {
    const batch = keys.filter((key) => rank(key) === stage).sort();
    for (let i = 0; i < batch.length; i += UPLOAD_CONCURRENCY) {
      throwIfAborted(signal);
      await Promise.all(
        batch
          .slice(i, i + UPLOAD_CONCURRENCY)
          .map((key) =>
            io.storeOutput(
              `s3://${plan.layout.bucket}/${key}`,
              join(outDir, ...key.split('/')),
              contentTypeFor(key),
            ),
          ),
      );
    }
  }
}

async function assertWebVtt(file: string, uri: string): Promise<void> {
  const head = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '').slice(0, 6);
  if (head !== 'WEBVTT') throw new TranscodeError('INVALID_INPUT', `caption sidecar ${uri} is not WebVTT`);
}

/** Runs ffmpeg, reporting progress from `-progress pipe:1`; rejects with TranscodeError. */
function runFfmpeg(args: readonly string[], opts: LocalTranscodeOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(opts.ffmpegPath ?? 'ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let durationUs: number | undefined;
    let lastPercent = -1;
    let stdoutRest = '';
    let aborted = false;

    const onAbort = (): void => {
      aborted = true;
      child.kill('SIGKILL');
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
      durationUs ??= parseDurationUs(stderr);
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (stdoutRest + chunk).split('\n');
      stdoutRest = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^out_time_us=(\d+)/.exec(line.trim());
        if (match?.[1] === undefined || durationUs === undefined || durationUs <= 0) continue;
        // 100 is reserved for "stored": ffmpeg finishing is not the end of the job.
        const percent = Math.min(99, Math.floor((Number(match[1]) / durationUs) * 100));
        if (percent > lastPercent) {
          lastPercent = percent;
          opts.onProgress?.(percent);
        }
      }
    });

    child.on('error', (cause) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(new TranscodeError('FFMPEG_FAILED', `could not run ffmpeg: ${cause.message}`, { cause }));
    });
    child.on('close', (code, signal) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (aborted) {
        reject(
          new TranscodeError('ABORTED', 'transcode aborted; ffmpeg was killed', {
            cause: opts.signal?.reason,
          }),
        );
        return;
      }
      if (code === 0) {
        resolve();
        return;
      }
      const tail = stderr.trimEnd().split('\n').slice(-STDERR_TAIL_LINES).join('\n');
      reject(
        new TranscodeError('FFMPEG_FAILED', `ffmpeg exited with ${code ?? signal}:\n${tail}`, {
          stderrTail: tail,
        }),
      );
    });
  });
}

/** The first input's duration from ffmpeg's banner (`Duration: 00:01:02.50`), in microseconds. */
function parseDurationUs(stderr: string): number | undefined {
  const match = /Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(stderr);
  if (match === null) return undefined;
  const [, h, m, s] = match;
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1_000_000;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) {
    throw new TranscodeError('ABORTED', 'transcode aborted before it finished', { cause: signal.reason });
  }
}
