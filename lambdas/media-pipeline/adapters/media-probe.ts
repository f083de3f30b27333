/**
 * Probes a media object with MediaInfoLib compiled to WebAssembly (mediainfo.js), fed through a
 * `RangeReader`: MediaInfo asks for chunks at offsets (the MP4 index at the end, the first frames
 * of each stream) and never needs the whole object, so a source in S3 is probed with a few ranged
 * GETs instead of a download.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import mediaInfoFactory, {
  type AudioTrack,
  type GeneralTrack,
  isTrackType,
  type MediaInfo,
  type MediaInfoResult,
  type Track,
  type VideoTrack,
} from 'mediainfo.js';
import type { AudioTrackInfo, MediaInfoSummary, VideoTrackInfo } from '../domain/validation.ts';

/** Random access to an object's bytes: a local file in tests, ranged GETs against S3 in Lambda. */
export interface RangeReader {
  /** Size of the object in bytes. */
  readonly size: number;
  /** Resolves `length` bytes from `offset`; fewer only where the object ends. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Tuning for {@link probeMedia}. */
export interface ProbeOptions {
  /**
   * Bytes MediaInfo may read before it is told the data has ended and must report what it has.
   * Without parse-speed settings (mediainfo.js exposes none), MediaInfo walks up to ~512 frames
   * of every stream, which for a high-bitrate master is hundreds of MB; the budget bounds the
   * probe's time and cost. Header facts (codec, size, declared duration) arrive long before it;
   * what MediaInfo adds up by walking the file does not (a fragmented MP4's duration, summed
   * fragment by fragment), which the summary's `budgetExhausted` flags.
   * @default 64 MiB
   */
  readonly maxBytes?: number;
}

/** MediaInfo itself failed (the WebAssembly module did not load, or the analysis aborted). */
export class MediaProbeError extends Error {
  override readonly name = 'MediaProbeError';
}

const DEFAULT_MAX_BYTES = 64 * 1024 ** 2;

/**
 * Reads what MediaInfo needs of `reader` and summarises its General, Video and Audio tracks.
 * Errors thrown by the reader (an S3 failure) propagate unchanged so the caller can retry them;
 * MediaInfo's own failures become {@link MediaProbeError}.
 */
export async function probeMedia(reader: RangeReader, options: ProbeOptions = {}): Promise<MediaInfoSummary> {
  if (reader.size === 0) {
    // Nothing for MediaInfo to read; validation rejects on the size alone.
    return summarise(undefined, 0, { bytesRead: 0, readCount: 0, budgetExhausted: false });
  }
  // One MediaInfo instance per module can run one analysis at a time; Lambda sends one event at
  // a time, but the local platform and tests may not.
  const run = queue.then(() => analyse(reader, options.maxBytes ?? DEFAULT_MAX_BYTES));
  queue = run.catch(() => undefined);
  return run;
}

let queue: Promise<unknown> = Promise.resolve();
let instance: Promise<MediaInfo<'object'>> | undefined;

/** Lazily compiles the WebAssembly once per module: a warm Lambda reuses it across events. */
function mediaInfo(): Promise<MediaInfo<'object'>> {
  instance ??= mediaInfoFactory({ format: 'object', locateFile: locateWasm }).catch((error: unknown) => {
    instance = undefined;
    throw new MediaProbeError('Could not load MediaInfo (MediaInfoModule.wasm)', { cause: error });
  });
  return instance;
}

/**
 * Where `MediaInfoModule.wasm` is, in a form its loader can read. esbuild bundles the JavaScript
 * but not the wasm, which the Lambda construct copies next to the bundle (`assetFiles`): look
 * beside this module first; run from source (tests, local platform), take the package's copy.
 * Which loader asks depends on resolution: Node picks mediainfo.js's Node build, which reads a
 * path (and passes a directory as `prefix`); esbuild's default `module` condition picks the
 * browser build, which fetch()es a URL (and passes a URL as `prefix`) — Node's fetch cannot read
 * file: URLs, so that one gets the bytes as a data: URL.
 */
function locateWasm(file: string, prefix: string): string {
  const besideModule = fileURLToPath(new URL(file, import.meta.url));
  const path = existsSync(besideModule)
    ? besideModule
    : fileURLToPath(import.meta.resolve(`mediainfo.js/${file}`));
  const fetches = /^[a-z][a-z\d+.-]*:/i.test(prefix);
  return fetches ? `data:application/wasm;base64,${readFileSync(path).toString('base64')}` : path;
}

interface ReadStats {
  bytesRead: number;
  readCount: number;
  budgetExhausted: boolean;
}

async function analyse(reader: RangeReader, maxBytes: number): Promise<MediaInfoSummary> {
  const stats: ReadStats = { bytesRead: 0, readCount: 0, budgetExhausted: false };
  let readerError: { error: unknown } | undefined;
  // mediainfo.js calls (length, offset); an empty chunk tells it the data has ended.
  const readChunk = async (length: number, offset: number): Promise<Uint8Array> => {
    if (stats.bytesRead >= maxBytes) {
      stats.budgetExhausted = true;
      return new Uint8Array(0);
    }
    stats.readCount += 1;
    try {
      const chunk = await reader.read(offset, length);
      stats.bytesRead += chunk.byteLength;
      return chunk;
    } catch (error) {
      readerError = { error };
      throw error;
    }
  };

  const mi = await mediaInfo();
  let result: MediaInfoResult;
  try {
    result = await mi.analyzeData(reader.size, readChunk);
  } catch (error) {
    if (readerError !== undefined) throw readerError.error;
    // An aborted WebAssembly instance stays unusable: compile a fresh one for the next source.
    instance = undefined;
    throw new MediaProbeError('MediaInfo could not analyse the source', { cause: error });
  }
  return summarise(result.media?.track, reader.size, stats);
}

function summarise(
  tracks: readonly Track[] | undefined,
  sizeBytes: number,
  stats: ReadStats,
): MediaInfoSummary {
  const all = tracks ?? [];
  const general = all.find((track): track is GeneralTrack => isTrackType(track, 'General'));
  return {
    sizeBytes,
    container: text(general?.Format),
    containerProfile: text(general?.Format_Profile),
    durationSec: num(general?.Duration),
    isTruncated: general?.extra?.IsTruncated === 'Yes',
    conformanceErrors: strings(general?.extra?.ConformanceErrors),
    video: all.filter((track): track is VideoTrack => isTrackType(track, 'Video')).map(videoInfo),
    audio: all.filter((track): track is AudioTrack => isTrackType(track, 'Audio')).map(audioInfo),
    imageCount: all.filter((track) => isTrackType(track, 'Image')).length,
    textCount: all.filter((track) => isTrackType(track, 'Text')).length,
    ...stats,
  };
}

function videoInfo(track: VideoTrack): VideoTrackInfo {
  return {
    format: text(track.Format),
    formatProfile: text(track.Format_Profile),
    codecId: text(track.CodecID),
    width: num(track.Width),
    height: num(track.Height),
    // A string ("90.000") in MediaInfo's JSON; only MP4/MOV carry it.
    rotationDeg: num(track.Rotation),
    frameRate: num(track.FrameRate),
    frameRateMode: text(track.FrameRate_Mode),
    frameCount: num(track.FrameCount),
    bitDepth: num(track.BitDepth),
    chromaSubsampling: text(track.ChromaSubsampling),
    durationSec: num(track.Duration),
    streamSizeBytes: num(track.StreamSize),
  };
}

function audioInfo(track: AudioTrack): AudioTrackInfo {
  return {
    format: text(track.Format),
    codecId: text(track.CodecID),
    channels: num(track.Channels),
    samplingRate: num(track.SamplingRate),
    durationSec: num(track.Duration),
    streamSizeBytes: num(track.StreamSize),
  };
}

/** MediaInfo's JSON mixes numbers and numeric strings (`FileSize`, `Rotation`). */
function num(value: unknown): number | null {
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Flattens MediaInfo's nested `ConformanceErrors` tree to its messages. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}
