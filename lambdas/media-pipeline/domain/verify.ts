/**
 * Decides whether a finished transcode is publishable: every playlist, init segment and media
 * segment the HLS manifests reference exists, each rendition lasts as long as the source, and
 * there is a poster. Pure: the caller lists the objects and reads the playlists.
 */
import { parse, type types } from 'hls-parser';
import type { Asset } from '#contracts/media.ts';
import { type FrameCaptureKeys, isFrameCaptureKey, type OutputKeyLayout } from './job-settings.ts';

/** How far (seconds) a rendition's summed EXTINF may stray from the source's duration. */
export const DURATION_TOLERANCE_SEC = 0.5;

/** What the verify step reads from the media bucket. */
export interface VerifyInput {
  /** Keys the job's settings make MediaConvert write (`describeOutputKeys`). */
  readonly layout: OutputKeyLayout;
  /** Text of the multivariant playlist at `layout.masterPlaylistKey`. */
  readonly masterPlaylist: string;
  /** Text of each rendition playlist, by object key (see `playlistKeysReferencedBy`). */
  readonly renditionPlaylists: Readonly<Record<string, string>>;
  /** Every object key under the asset prefix. */
  readonly existingKeys: ReadonlySet<string>;
  /** Duration the probe measured on the source, seconds. */
  readonly sourceDurationSec: number;
}

/** The parts of an `Asset` that the transcode outputs determine. */
export type VerifiedAsset = Omit<Asset, 'assetId' | 'titleId'>;

/** A rejection is an outcome, not an exception: the message says what is wrong. */
export type VerifyResult =
  | { readonly ok: true; readonly asset: VerifiedAsset }
  | { readonly ok: false; readonly message: string };

/**
 * Resolves a playlist URI against the key of the playlist that contains it, as a player
 * resolves it against the playlist's URL. Returns `undefined` for absolute URLs, which do not
 * name an object in this bucket.
 */
export function resolveKey(playlistKey: string, uri: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('//')) return undefined;
  const base = new URL(`https://bucket.invalid/${encodePath(playlistKey)}`);
  const resolved = new URL(uri, base);
  return decodeURIComponent(resolved.pathname.slice(1));
}

/**
 * Keys of the media playlists a multivariant playlist references (variants, then audio and
 * subtitle renditions), so the caller knows which ones to read before calling `verifyOutputs`.
 * Unparseable text yields no keys; `verifyOutputs` reports why.
 */
export function playlistKeysReferencedBy(masterKey: string, masterPlaylist: string): string[] {
  const master = parseMaster(masterPlaylist);
  if (master === undefined) return [];
  return unique(referencesOf(master).flatMap((ref) => resolveKey(masterKey, ref.uri) ?? []));
}

/** Checks the outputs of one job and, when they are complete, describes the asset. */
export function verifyOutputs(input: VerifyInput): VerifyResult {
  const { layout, existingKeys } = input;
  const masterKey = layout.masterPlaylistKey;
  if (!existingKeys.has(masterKey)) return fail(`multivariant playlist ${masterKey} is missing`);
  const master = parseMaster(input.masterPlaylist);
  if (master === undefined) return fail(`${masterKey} is not an HLS multivariant playlist`);

  const checked = new Map<string, CheckedPlaylist>();
  for (const ref of referencesOf(master)) {
    const key = resolveKey(masterKey, ref.uri);
    if (key === undefined) return fail(`${masterKey} references ${ref.uri}, which is not in the bucket`);
    if (checked.has(key)) continue;
    const result = checkMediaPlaylist(key, ref.kind, input);
    if (typeof result === 'string') return fail(result);
    checked.set(key, result);
  }

  for (const expected of layout.renditions) {
    if (!checked.has(expected.playlistKey)) {
      return fail(`${masterKey} does not reference the ${expected.kind} rendition ${expected.playlistKey}`);
    }
  }

  const videoVariants = master.variants.filter((v) => !v.isIFrameOnly && v.resolution !== undefined);
  if (videoVariants.length === 0) return fail(`${masterKey} has no video rendition`);

  const posterKey = firstCapture(layout.poster, existingKeys);
  if (posterKey === undefined) return fail(`poster ${layout.poster.baseKey}.0000000.jpg is missing`);

  const renditions = videoVariants
    .map((variant) => {
      const playlistKey = resolveKey(masterKey, variant.uri) ?? variant.uri;
      const width = variant.resolution?.width ?? 0;
      const height = variant.resolution?.height ?? 0;
      const named = layout.renditions.find((r) => r.playlistKey === playlistKey);
      return {
        name: named?.name ?? `${Math.min(width, height)}p`,
        width,
        height,
        bandwidth: variant.bandwidth,
        playlistKey,
      };
    })
    .sort((a, b) => a.bandwidth - b.bandwidth);

  const firstVideo = renditions[0] && checked.get(renditions[0].playlistKey);
  const captions = unique(
    master.variants.flatMap((v) =>
      v.subtitles.flatMap((r) => {
        const playlistKey = r.uri === undefined ? undefined : resolveKey(masterKey, r.uri);
        if (playlistKey === undefined) return [];
        const lang =
          r.language ?? layout.renditions.find((x) => x.playlistKey === playlistKey)?.lang ?? r.name;
        return [JSON.stringify({ lang, playlistKey })];
      }),
    ),
  ).map((json) => JSON.parse(json) as { lang: string; playlistKey: string });

  return {
    ok: true,
    asset: {
      manifestKey: masterKey,
      durationSec: roundMs(firstVideo?.durationSec ?? input.sourceDurationSec),
      renditions,
      audio: [...checked.values()].some((p) => p.kind === 'audio'),
      captions,
      posterKey,
      thumbnails: {
        intervalSec: layout.thumbnails.intervalSec,
        keys: [...existingKeys].filter((key) => isFrameCaptureKey(layout.thumbnails, key)).sort(),
      },
    },
  };
}

type ReferenceKind = 'video' | 'audio' | 'captions';

interface CheckedPlaylist {
  readonly kind: ReferenceKind;
  readonly durationSec: number;
}

/** Returns the checked playlist, or a message saying what is wrong with it. */
function checkMediaPlaylist(key: string, kind: ReferenceKind, input: VerifyInput): CheckedPlaylist | string {
  if (!input.existingKeys.has(key)) return `rendition playlist ${key} is missing`;
  const text = input.renditionPlaylists[key];
  if (text === undefined) return `rendition playlist ${key} exists but was not read`;
  const playlist = parseMedia(text);
  if (playlist === undefined) return `${key} is not an HLS media playlist`;
  if (playlist.segments.length === 0) return `${key} lists no segments`;

  let durationSec = 0;
  for (const segment of playlist.segments) {
    // hls-parser leaves `map` null, not undefined, on playlists without EXT-X-MAP.
    const initUri = segment.map?.uri;
    const refs = [segment.uri, ...(initUri === undefined ? [] : [initUri])];
    for (const uri of refs) {
      const segmentKey = resolveKey(key, uri);
      if (segmentKey === undefined) return `${key} references ${uri}, which is not in the bucket`;
      if (!input.existingKeys.has(segmentKey)) return `segment ${segmentKey} referenced by ${key} is missing`;
    }
    durationSec += segment.duration;
  }

  // A subtitle playlist may end at its last cue or run past the picture; only the media
  // renditions must match the source.
  if (kind !== 'captions' && Math.abs(durationSec - input.sourceDurationSec) > DURATION_TOLERANCE_SEC) {
    return (
      `${key} lasts ${roundMs(durationSec)} s but the source lasts ${roundMs(input.sourceDurationSec)} s ` +
      `(tolerance ${DURATION_TOLERANCE_SEC} s)`
    );
  }
  return { kind, durationSec };
}

function referencesOf(master: types.MasterPlaylist): { uri: string; kind: ReferenceKind }[] {
  const refs: { uri: string; kind: ReferenceKind }[] = [];
  for (const variant of master.variants) {
    refs.push({ uri: variant.uri, kind: variant.resolution === undefined ? 'audio' : 'video' });
  }
  for (const variant of master.variants) {
    for (const r of variant.audio) if (r.uri !== undefined) refs.push({ uri: r.uri, kind: 'audio' });
    for (const r of variant.video) if (r.uri !== undefined) refs.push({ uri: r.uri, kind: 'video' });
    for (const r of variant.subtitles) if (r.uri !== undefined) refs.push({ uri: r.uri, kind: 'captions' });
  }
  return refs;
}

function firstCapture(capture: FrameCaptureKeys, existingKeys: ReadonlySet<string>): string | undefined {
  return [...existingKeys].filter((key) => isFrameCaptureKey(capture, key)).sort()[0];
}

function parseMaster(text: string): types.MasterPlaylist | undefined {
  const playlist = tryParse(text);
  return playlist?.isMasterPlaylist === true ? (playlist as types.MasterPlaylist) : undefined;
}

function parseMedia(text: string): types.MediaPlaylist | undefined {
  const playlist = tryParse(text);
  return playlist !== undefined && !playlist.isMasterPlaylist ? (playlist as types.MediaPlaylist) : undefined;
}

function tryParse(text: string): types.MasterPlaylist | types.MediaPlaylist | undefined {
  if (!text.trimStart().startsWith('#EXTM3U')) return undefined;
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

function encodePath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function roundMs(sec: number): number {
  return Math.round(sec * 1000) / 1000;
}

function fail(message: string): VerifyResult {
  return { ok: false, message };
}
