/**
 * Playlists the local transcoder writes itself, shaped like MediaConvert's CMAF HLS output:
 * the multivariant playlist (one variant per video rendition, audio and subtitles as rendition
 * groups, no audio-only variant) and one single-segment playlist per WebVTT sidecar.
 * Pure: measurements and codec strings come in, playlist text goes out.
 */
import { parse, stringify, types } from 'hls-parser';
import type { LocalTranscodePlan } from './ffmpeg-args.ts';

/** Bit rates measured over a rendition's segments, as HLS BANDWIDTH and AVERAGE-BANDWIDTH want them. */
export interface MeasuredRendition {
  /** Highest bit rate of any one segment, bits per second. */
  readonly peakBps: number;
  /** Total bits over total duration. */
  readonly averageBps: number;
  /** Sum of the segments' EXTINF durations. */
  readonly durationSec: number;
}

/** Group id of the subtitle renditions in the multivariant playlist. */
export const SUBTITLE_GROUP_ID = 'subs';

/** Measures a rendition from its media playlist and the byte size of each segment it lists. */
export function measureRendition(
  playlistText: string,
  segmentBytes: (uri: string) => number,
): MeasuredRendition {
  const playlist = parse(playlistText);
  if (playlist.isMasterPlaylist) throw new TypeError('expected a media playlist');
  let peakBps = 0;
  let bits = 0;
  let durationSec = 0;
  for (const segment of playlist.segments) {
    const segmentBits = segmentBytes(segment.uri) * 8;
    if (segment.duration > 0) peakBps = Math.max(peakBps, segmentBits / segment.duration);
    bits += segmentBits;
    durationSec += segment.duration;
  }
  return { peakBps, averageBps: durationSec > 0 ? bits / durationSec : 0, durationSec };
}

/** Media segment URIs a media playlist lists, in order. */
export function segmentUris(playlistText: string): string[] {
  const playlist = parse(playlistText);
  if (playlist.isMasterPlaylist) throw new TypeError('expected a media playlist');
  return playlist.segments.map((s) => s.uri);
}

/** CODECS of each variant in a multivariant playlist, by variant URI. */
export function codecsByVariantUri(masterText: string): Map<string, string> {
  const playlist = parse(masterText);
  const codecs = new Map<string, string>();
  if (!playlist.isMasterPlaylist) return codecs;
  for (const variant of playlist.variants) {
    if (variant.codecs !== undefined) codecs.set(variant.uri, variant.codecs);
  }
  return codecs;
}

/**
 * The multivariant playlist. BANDWIDTH is the peak segment rate of the video plus the audio
 * rendition, AVERAGE-BANDWIDTH their averages (RFC 8216 §4.3.4.2); URIs are relative to the
 * playlist, which sits in the same folder as every rendition.
 */
export function buildMasterPlaylist(
  plan: LocalTranscodePlan,
  measured: ReadonlyMap<string, MeasuredRendition>,
  videoCodecs: ReadonlyMap<string, string>,
): string {
  const relative = (key: string): string => key.slice(plan.layout.hlsPrefix.length);
  const audio = plan.audio;
  const audioMeasured = audio === null ? undefined : measured.get(audio.keys.playlistKey);
  const audioRenditions: types.Rendition[] = [];
  if (audio !== null) {
    const rendition = new types.Rendition({
      type: 'AUDIO',
      groupId: audio.groupId,
      name: 'Audio',
      uri: relative(audio.keys.playlistKey),
      isDefault: true,
      autoselect: true,
      forced: false,
    });
    // hls-parser writes FORCED whenever the field is set; RFC 8216 §4.3.4.1 allows it only on SUBTITLES.
    Reflect.deleteProperty(rendition, 'forced');
    audioRenditions.push(rendition);
  }
  const subtitleRenditions = plan.captions.map(
    (caption, i) =>
      new types.Rendition({
        type: 'SUBTITLES',
        groupId: SUBTITLE_GROUP_ID,
        name: caption.label,
        language: caption.lang,
        uri: relative(caption.keys.playlistKey),
        // MediaConvert signals the first captions track of the job as the default.
        isDefault: i === 0,
        autoselect: true,
        forced: false,
      }),
  );

  const variants = plan.video.map((video) => {
    const uri = relative(video.keys.playlistKey);
    const m = measured.get(video.keys.playlistKey);
    const codecs = [videoCodecs.get(uri), audio?.codecs].filter((c): c is string => c !== undefined);
    const fps =
      video.frameRate === undefined ? undefined : video.frameRate.numerator / video.frameRate.denominator;
    return new types.Variant({
      uri,
      bandwidth: Math.ceil((m?.peakBps ?? 0) + (audioMeasured?.peakBps ?? 0)),
      averageBandwidth: Math.ceil((m?.averageBps ?? 0) + (audioMeasured?.averageBps ?? 0)),
      ...(codecs.length === 0 ? {} : { codecs: codecs.join(',') }),
      resolution: { width: video.width, height: video.height },
      ...(fps === undefined ? {} : { frameRate: fps }),
      audio: audioRenditions,
      subtitles: subtitleRenditions,
    });
  });
  // Players start from the first variant; list the ladder bottom-up as MediaConvert does.
  variants.sort((a, b) => a.bandwidth - b.bandwidth);
  return `${stringify(new types.MasterPlaylist({ version: 6, independentSegments: true, variants }))}\n`;
}

/** A VOD playlist holding a whole WebVTT file as its single segment. */
export function buildSubtitlePlaylist(segmentUri: string, durationSec: number): string {
  const segment = new types.Segment({
    uri: segmentUri,
    duration: durationSec,
    mediaSequenceNumber: 1,
    discontinuitySequence: 0,
  });
  const playlist = new types.MediaPlaylist({
    version: 3,
    targetDuration: Math.max(1, Math.ceil(durationSec)),
    mediaSequenceBase: 1,
    playlistType: 'VOD',
    endlist: true,
    segments: [segment],
  });
  return `${stringify(playlist)}\n`;
}
