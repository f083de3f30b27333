/**
 * Test fixtures made on demand with ffmpeg's synthetic sources (`testsrc2` + `sine`), so no media
 * is committed and every clip's properties are known exactly. Clips are small (low resolution,
 * `ultrafast`), written atomically, and reused only within the directory the caller passes.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, copyFile, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Container and video codec of a generated clip. */
export type ClipFormat = 'mp4-h264' | 'mp4-hevc' | 'webm-vp9' | 'mkv-h264';

/** What to generate; every field has a small, fast default. */
export interface ClipSpec {
  /** Coded width in pixels. @default 320 */
  readonly width?: number;
  /** Coded height in pixels. @default 180 */
  readonly height?: number;
  /** @default 2 */
  readonly durationSec?: number;
  /** @default 30 */
  readonly fps?: number;
  /** Adds a stereo 48 kHz tone (AAC, or Opus in WebM). @default true */
  readonly audio?: boolean;
  /**
   * ffmpeg pixel format, e.g. `'yuv420p10le'` for a 10-bit source.
   * @default 'yuv420p', or 'yuv444p' for odd dimensions with H.264/HEVC, whose 4:2:0 encoders
   * refuse them (VP9 encodes odd 4:2:0 sizes)
   */
  readonly pixFmt?: string;
  /** @default 'mp4-h264' */
  readonly format?: ClipFormat;
  /**
   * Display rotation, clockwise degrees, as MediaInfo reports it (a phone held upright records
   * landscape pixels with rotation 90). MP4 only: Matroska has no display matrix. @default 0
   */
  readonly rotation?: 0 | 90 | 180 | 270;
  /** Moves the `moov` box to the front (`-movflags +faststart`). MP4 only. @default false */
  readonly faststart?: boolean;
  /** x264/x265 constant rate factor; lower makes bigger files when a test needs bytes. @default 23 */
  readonly crf?: number;
}

const EXTENSIONS: Record<ClipFormat, string> = {
  'mp4-h264': 'mp4',
  'mp4-hevc': 'mp4',
  'webm-vp9': 'webm',
  'mkv-h264': 'mkv',
};

/**
 * Generates a clip into `dir` and returns its path. The name is derived from the spec, so asking
 * twice in the same directory reuses the first file instead of encoding again.
 */
export async function makeClip(dir: string, spec: ClipSpec = {}): Promise<string> {
  const width = spec.width ?? 320;
  const height = spec.height ?? 180;
  const durationSec = spec.durationSec ?? 2;
  const fps = spec.fps ?? 30;
  const audio = spec.audio ?? true;
  const format = spec.format ?? 'mp4-h264';
  const rotation = spec.rotation ?? 0;
  const faststart = spec.faststart ?? false;
  const crf = spec.crf ?? 23;
  const isMp4 = format.startsWith('mp4-');
  const oddSize = width % 2 === 1 || height % 2 === 1;
  const pixFmt = spec.pixFmt ?? (oddSize && format !== 'webm-vp9' ? 'yuv444p' : 'yuv420p');
  if (!isMp4 && (rotation !== 0 || faststart)) {
    throw new Error(`rotation and faststart need an MP4 clip, not ${format}`);
  }

  const resolved = { width, height, durationSec, fps, audio, format, rotation, faststart, crf, pixFmt };
  const id = createHash('sha256').update(JSON.stringify(resolved)).digest('hex').slice(0, 10);
  const path = join(dir, `clip-${width}x${height}-${format}-${id}.${EXTENSIONS[format]}`);
  if (await exists(path)) return path;

  const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y'];
  // testsrc2 rounds odd sizes down to even ones; the scale filter below restores the exact size.
  args.push('-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}:duration=${durationSec}`);
  if (audio) {
    args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${durationSec}`);
  }
  args.push('-map', '0:v');
  if (audio) args.push('-map', '1:a');
  args.push('-vf', `scale=${width}:${height}`, '-pix_fmt', pixFmt);
  args.push(...videoCodecArgs(format, crf));
  if (audio) {
    args.push('-c:a', format === 'webm-vp9' ? 'libopus' : 'aac', '-ac', '2', '-b:a', '96k');
  }
  args.push('-t', String(durationSec));
  if (faststart) args.push('-movflags', '+faststart');

  const encoded = `${path}.${process.pid}.partial.${EXTENSIONS[format]}`;
  try {
    await run('ffmpeg', [...args, encoded]);
    if (rotation !== 0) await rotate(encoded, rotation, faststart);
    // Rename last, so a run killed mid-encode never leaves a half clip under the cached name.
    await rename(encoded, path);
  } finally {
    await rm(encoded, { force: true });
  }
  return path;
}

function videoCodecArgs(format: ClipFormat, crf: number): string[] {
  switch (format) {
    case 'mp4-h264':
    case 'mkv-h264':
      return ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', String(crf)];
    case 'mp4-hevc':
      // `hvc1` is the sample entry Apple players (and MediaConvert's docs) expect for HEVC in MP4.
      return [
        ...['-c:v', 'libx265', '-preset', 'ultrafast', '-crf', String(crf)],
        ...['-tag:v', 'hvc1', '-x265-params', 'log-level=error'],
      ];
    case 'webm-vp9':
      return ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1', '-b:v', '1M'];
  }
}

/**
 * Sets the display matrix with a stream copy: ffmpeg 5 drops a `rotate` tag given while
 * encoding, and ffmpeg 6 replaced the tag with `-display_rotation`. Both take counter-clockwise
 * degrees where MediaInfo reports clockwise ones, hence the complement.
 */
async function rotate(path: string, rotation: 90 | 180 | 270, faststart: boolean): Promise<void> {
  const counterClockwise = String(360 - rotation);
  const modern = (await ffmpegMajorVersion()) >= 6;
  const rotated = `${path}.rotated.mp4`;
  try {
    await run('ffmpeg', [
      ...['-nostdin', '-hide_banner', '-loglevel', 'error', '-y'],
      ...(modern ? ['-display_rotation:v:0', counterClockwise] : []),
      ...['-i', path, '-map', '0', '-c', 'copy'],
      ...(modern ? [] : ['-metadata:s:v:0', `rotate=${counterClockwise}`]),
      ...(faststart ? ['-movflags', '+faststart'] : []),
      rotated,
    ]);
    await rename(rotated, path);
  } finally {
    await rm(rotated, { force: true });
  }
}

let ffmpegVersion: Promise<number> | undefined;

/** Major version of the ffmpeg on PATH; the rotation flags changed in 6.0. */
function ffmpegMajorVersion(): Promise<number> {
  ffmpegVersion ??= run('ffmpeg', ['-hide_banner', '-version']).then(({ stdout }) => {
    const match = /ffmpeg version n?(\d+)\./.exec(stdout);
    return match?.[1] === undefined ? 0 : Number(match[1]);
  });
  return ffmpegVersion;
}

/** A zero-byte file: what an aborted upload leaves behind. */
export async function makeEmptyFile(dir: string, name = 'empty.mp4'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, new Uint8Array(0));
  return path;
}

/** A text file with a video's extension: the probe must look at bytes, not names. */
export async function makeTextFile(
  dir: string,
  name = 'notes.mp4',
  text = 'These are meeting notes, not a movie.\n'.repeat(64),
): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text, 'utf8');
  return path;
}

/** An AAC-in-MP4 file with no video track (a podcast or a voice memo). */
export async function makeAudioOnly(dir: string, durationSec = 2): Promise<string> {
  const path = join(dir, `audio-only-${durationSec}s.m4a`);
  if (await exists(path)) return path;
  const partial = `${path}.${process.pid}.partial.m4a`;
  try {
    await run('ffmpeg', [
      ...['-nostdin', '-hide_banner', '-loglevel', 'error', '-y'],
      ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${durationSec}`],
      ...['-c:a', 'aac', '-ac', '2', partial],
    ]);
    await rename(partial, path);
  } finally {
    await rm(partial, { force: true });
  }
  return path;
}

/** A single PNG frame: a picture, not a video. */
export async function makeStillImage(dir: string, width = 320, height = 180): Promise<string> {
  const path = join(dir, `still-${width}x${height}.png`);
  if (await exists(path)) return path;
  const partial = `${path}.${process.pid}.partial.png`;
  try {
    await run('ffmpeg', [
      ...['-nostdin', '-hide_banner', '-loglevel', 'error', '-y'],
      ...['-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}`, '-frames:v', '1', partial],
    ]);
    await rename(partial, path);
  } finally {
    await rm(partial, { force: true });
  }
  return path;
}

/**
 * Copies the first `fraction` (0 < fraction < 1) of `source` next to it, the way an interrupted
 * upload or copy would, and returns the new path.
 */
export async function makeTruncated(source: string, fraction: number): Promise<string> {
  if (!(fraction > 0 && fraction < 1)) {
    throw new RangeError(`fraction must be between 0 and 1 (exclusive), got ${fraction}`);
  }
  const ext = extname(source);
  const percent = Math.round(fraction * 1000) / 10;
  const path = join(dirname(source), `${basename(source, ext)}.cut-${percent}${ext}`);
  const { size } = await stat(source);
  const keep = Math.max(1, Math.floor(size * fraction));
  const partial = `${path}.${process.pid}.partial`;
  await copyFile(source, partial);
  const handle = await open(partial, 'r+');
  try {
    await handle.truncate(keep);
  } finally {
    await handle.close();
  }
  await rename(partial, path);
  return path;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
