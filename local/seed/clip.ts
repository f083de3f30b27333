/**
 * Demo clips made on the spot with ffmpeg: a title card (the title's name on its own colour,
 * with a running timecode so motion is visible) and a tone, as a small H.264/AAC MP4. Nothing
 * is committed to the repository and nothing is downloaded.
 *
 * The card needs the `drawtext` filter (ffmpeg built with libfreetype) and a font. When either
 * is missing (some minimal or Homebrew builds leave drawtext out), the clip falls back to the
 * `testsrc2` pattern without text and says why once: the catalog still seeds and plays.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What one clip shows and plays. */
export interface TitleCard {
  /** Drawn large in the middle. */
  readonly title: string;
  /** A smaller line under it, e.g. `Drama · 2019` or `Season 1 · Episode 2`. */
  readonly subtitle?: string;
  /** Background colour, `#rrggbb`. */
  readonly color: string;
  /** Frequency of the tone, Hz. */
  readonly toneHz: number;
}

/** Size and length of every demo clip: small enough for the whole seed to encode in a minute or two. */
export interface ClipFormat {
  /** @default 854 */
  readonly width: number;
  /** @default 480 */
  readonly height: number;
  /** @default 6 */
  readonly durationSec: number;
  /** @default 30 */
  readonly fps: number;
}

export const DEFAULT_CLIP_FORMAT: ClipFormat = { width: 854, height: 480, durationSec: 6, fps: 30 };

export interface ClipOptions {
  readonly format?: Partial<ClipFormat>;
  /** Kills ffmpeg when aborted (Ctrl+C during seeding). */
  readonly signal?: AbortSignal;
  /** Told once per process when the card falls back to the pattern without text. */
  readonly log?: (message: string) => void;
}

/**
 * Fonts looked for, in order: Debian/Ubuntu (fonts-dejavu-core, fonts-liberation), Fedora,
 * Alpine, macOS and Windows. Without any of them, fontconfig's default `Sans` is tried.
 */
export const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
  '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf',
  '/System/Library/Fonts/Supplemental/Arial Bold.ttf',
  '/Library/Fonts/Arial Bold.ttf',
  'C:\\Windows\\Fonts\\arialbd.ttf',
] as const;

/**
 * Generates the clip for `card` into `dir` and returns its path. The file name is a hash of
 * everything that shapes the clip, so a second seeding attempt (after Ctrl+C) reuses it; the
 * file appears under that name only once complete.
 */
export async function makeTitleCardClip(
  dir: string,
  card: TitleCard,
  options: ClipOptions = {},
): Promise<string> {
  const format = { ...DEFAULT_CLIP_FORMAT, ...options.format };
  await mkdir(dir, { recursive: true });
  const id = createHash('sha256')
    .update(JSON.stringify({ card, format, v: 1 }))
    .digest('hex')
    .slice(0, 12);
  const path = join(dir, `card-${id}.mp4`);
  if (await exists(path)) return path;

  const partial = `${path}.${process.pid}.partial.mp4`;
  const textDir = join(dir, `card-${id}.${process.pid}.text`);
  try {
    const lettering = await letteringSupport();
    let drawn = false;
    if (lettering.ok) {
      try {
        await mkdir(textDir, { recursive: true });
        const video = await cardFilter(textDir, card, format, lettering.font);
        await encode(partial, card, format, video, options.signal);
        drawn = true;
      } catch (error) {
        if (options.signal?.aborted) throw error;
        warnOnce(
          options.log,
          `the title card could not be drawn (${firstLine(error)}); using a test pattern`,
        );
      }
    } else {
      warnOnce(options.log, `${lettering.reason}; demo clips show a test pattern instead of a title card`);
    }
    if (!drawn) await encode(partial, card, format, patternFilter(format), options.signal);
    // ffmpeg ends early on Ctrl+C; whatever it wrote must not be kept as the finished clip.
    options.signal?.throwIfAborted();
    // Rename last, so a run killed mid-encode never leaves a half clip under the final name.
    await rename(partial, path);
  } finally {
    await rm(partial, { force: true });
    await rm(textDir, { recursive: true, force: true });
  }
  return path;
}

/** The video source and filters: a lavfi graph for `-filter_complex`, output labelled `[v]`. */
interface VideoGraph {
  readonly graph: string;
}

async function cardFilter(
  textDir: string,
  card: TitleCard,
  format: ClipFormat,
  font: string | undefined,
): Promise<VideoGraph> {
  // Text goes through files, so quotes, colons and percent signs in a name need no escaping.
  const titleFile = join(textDir, 'title.txt');
  const subtitleFile = join(textDir, 'subtitle.txt');
  await writeFile(titleFile, card.title);
  await writeFile(subtitleFile, card.subtitle ?? '');
  const { width, height, durationSec, fps } = format;
  const fontOption = font === undefined ? 'font=Sans' : `fontfile=${filterValue(font)}`;
  // DejaVu Sans Bold averages about 0.62 em per character: fit the name in 90 % of the width.
  const titleSize = Math.max(
    16,
    Math.min(Math.round(height / 9), Math.floor((width * 0.9) / (card.title.length * 0.62))),
  );
  const smallSize = Math.round(height / 22);
  const fadeOut = Math.max(0, durationSec - 0.6);
  const filters = [
    `color=c=${hexColor(card.color)}:s=${width}x${height}:r=${fps}:d=${durationSec}`,
    `drawtext=${fontOption}:textfile=${filterValue(titleFile)}:expansion=none:fontsize=${titleSize}:fontcolor=white:x=(w-text_w)/2:y=(h-text_h)/2-${smallSize}`,
    `drawtext=${fontOption}:textfile=${filterValue(subtitleFile)}:expansion=none:fontsize=${smallSize}:fontcolor=white@0.8:x=(w-text_w)/2:y=(h/2)+${smallSize * 2}`,
    // A running timecode: something moves, so a frozen player is easy to tell from a still card.
    `drawtext=${fontOption}:text='%{pts\\:hms}':fontsize=${smallSize}:fontcolor=white@0.6:x=(w-text_w)/2:y=h-${smallSize * 3}`,
    `fade=t=in:st=0:d=0.5,fade=t=out:st=${fadeOut}:d=0.6,format=yuv420p[v]`,
  ];
  return { graph: `${filters[0]},${filters.slice(1).join(',')}` };
}

function patternFilter(format: ClipFormat): VideoGraph {
  const { width, height, durationSec, fps } = format;
  return { graph: `testsrc2=s=${width}x${height}:r=${fps}:d=${durationSec},format=yuv420p[v]` };
}

async function encode(
  output: string,
  card: TitleCard,
  format: ClipFormat,
  video: VideoGraph,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { durationSec } = format;
  const tone = `sine=frequency=${card.toneHz}:sample_rate=48000:duration=${durationSec}`;
  const audio = `${tone},volume=0.6,afade=t=in:st=0:d=0.3,afade=t=out:st=${Math.max(0, durationSec - 0.5)}:d=0.5[a]`;
  await run(
    'ffmpeg',
    [
      ...['-nostdin', '-hide_banner', '-loglevel', 'error', '-y'],
      ...['-filter_complex', `${video.graph};${audio}`, '-map', '[v]', '-map', '[a]'],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-g', String(format.fps * 2)],
      ...['-c:a', 'aac', '-b:a', '128k', '-ac', '2', '-ar', '48000'],
      ...['-t', String(durationSec), '-movflags', '+faststart', output],
    ],
    { signal, timeout: 120_000 },
  );
}

type Lettering = { ok: true; font: string | undefined } | { ok: false; reason: string };
let lettering: Promise<Lettering> | undefined;

/** Whether this ffmpeg can draw text, and with which font file (`undefined`: fontconfig's default). */
function letteringSupport(): Promise<Lettering> {
  lettering ??= (async (): Promise<Lettering> => {
    const { stdout } = await run('ffmpeg', ['-hide_banner', '-filters']);
    if (!/\sdrawtext\s/.test(stdout)) {
      return { ok: false, reason: 'this ffmpeg has no drawtext filter (it was built without libfreetype)' };
    }
    for (const font of FONT_CANDIDATES) if (await exists(font)) return { ok: true, font };
    const { stdout: config } = await run('ffmpeg', ['-hide_banner', '-buildconf']);
    if (config.includes('--enable-libfontconfig')) return { ok: true, font: undefined };
    return {
      ok: false,
      reason: `no font found (looked for ${FONT_CANDIDATES[0]} and others) and no fontconfig`,
    };
  })();
  return lettering;
}

let warned = false;
function warnOnce(log: ((message: string) => void) | undefined, message: string): void {
  if (warned) return;
  warned = true;
  log?.(message);
}

/** `#1d3557` → `0x1d3557`, rejecting anything else (it lands inside a filter graph). */
function hexColor(color: string): string {
  const match = /^#([0-9a-fA-F]{6})$/.exec(color);
  if (!match) throw new RangeError(`not a #rrggbb colour: ${color}`);
  return `0x${match[1]}`;
}

/**
 * Quotes a value for a filter option inside a filter graph. Both levels that read it (the graph
 * parser, then the filter's option parser) take `'…'` literally, with a `'` itself written
 * `'\''`; so the value is quoted once per level and stays literal, colons and commas of
 * Windows paths included. See https://ffmpeg.org/ffmpeg-filters.html#Notes-on-filtergraph-escaping.
 */
export function filterValue(value: string): string {
  const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
  return quote(quote(value));
}

function firstLine(error: unknown): string {
  const text = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
  return text.split('\n')[0] ?? '';
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
