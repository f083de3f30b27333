/**
 * Reads MediaConvert job settings and turns them into one ffmpeg command line that writes the
 * same files under the same keys. Pure: paths in, argument vector out.
 *
 * Only what `buildTranscodeJobSettings` uses is emulated: one input, one CMAF group (H.264 video
 * outputs, an AAC output, WebVTT sidecar outputs) and FILE groups of FRAME_CAPTURE outputs.
 * Anything else is refused with UNSUPPORTED_SETTINGS rather than silently encoded differently.
 */
import type { H264Settings, JobSettings, Output, OutputGroup } from '@aws-sdk/client-mediaconvert';
import {
  describeOutputKeys,
  type FrameCaptureKeys,
  type OutputKeyLayout,
  type RenditionKeys,
  renditionKind,
  splitDestination,
} from '#media-pipeline/domain/job-settings.ts';
import { TranscodeError } from './errors.ts';

/** An exact frame rate. */
export interface Fraction {
  readonly numerator: number;
  readonly denominator: number;
}

/** One H.264 rendition of the CMAF group. */
export interface VideoRenditionPlan {
  readonly keys: RenditionKeys;
  readonly width: number;
  readonly height: number;
  /** libx264 profile: `high`, `main` or `baseline`. */
  readonly profile: 'high' | 'main' | 'baseline';
  readonly rateControl:
    | {
        readonly mode: 'VBR';
        readonly bitrate: number;
        readonly maxBitrate: number;
        readonly bufferSize: number;
      }
    | { readonly mode: 'CBR'; readonly bitrate: number; readonly bufferSize: number }
    | {
        readonly mode: 'QVBR';
        readonly qualityLevel: number;
        readonly maxBitrate: number;
        readonly bufferSize: number;
      };
  /** `undefined` keeps the source's rate (FramerateControl INITIALIZE_FROM_SOURCE). */
  readonly frameRate: Fraction | undefined;
  /** Keyframe cadence, in seconds or in frames, as the settings state it. */
  readonly gop: { readonly unit: 'seconds' | 'frames'; readonly size: number };
  readonly bFrames: number;
  readonly sceneChangeKeyframes: boolean;
}

/** The AAC rendition of the CMAF group. */
export interface AudioRenditionPlan {
  readonly keys: RenditionKeys;
  readonly bitrate: number;
  readonly sampleRate: number;
  readonly channels: number;
  /** RFC 6381 codec string for the manifest. */
  readonly codecs: string;
  /** HLS rendition group the video variants reference. */
  readonly groupId: string;
  /** 0-based audio track of the input, from the selector. */
  readonly inputTrack: number;
}

/** A WebVTT sidecar rendition of the CMAF group. */
export interface CaptionRenditionPlan {
  readonly keys: RenditionKeys;
  readonly lang: string;
  /** Label for the manifest's NAME attribute. */
  readonly label: string;
  /** `s3://` URI of the sidecar, from the caption selector. */
  readonly sourceUri: string;
}

/** One FRAME_CAPTURE output. */
export interface FrameCapturePlan {
  readonly keys: FrameCaptureKeys;
  readonly width: number;
  readonly height: number;
  /** JPEG quality 1–100, as MediaConvert takes it. */
  readonly quality: number;
}

/** Everything the local transcoder needs to know, read from the settings. */
export interface LocalTranscodePlan {
  readonly layout: OutputKeyLayout;
  readonly sourceUri: string;
  /** How to honour rotation metadata: MediaConvert ignores it unless told AUTO. */
  readonly rotate: 'AUTO' | 0 | 90 | 180 | 270;
  readonly segmentSec: number;
  readonly video: readonly VideoRenditionPlan[];
  readonly audio: AudioRenditionPlan | null;
  readonly captions: readonly CaptionRenditionPlan[];
  readonly frameCaptures: readonly FrameCapturePlan[];
}

/** Local paths for one run. */
export interface FfmpegPaths {
  /** The source file. */
  readonly source: string;
  /** Folder that mirrors the bucket: an output with key `k` is written to `<outDir>/<k>`. */
  readonly outDir: string;
}

/** Name (in the HLS folder) of the multivariant playlist ffmpeg writes; only its CODECS are used. */
export const FFMPEG_MASTER_NAME = '.ffmpeg-master.m3u8';

const SAFE_NAME_MODIFIER = /^[A-Za-z0-9_.-]*$/;

/** Reads the settings; throws TranscodeError(UNSUPPORTED_SETTINGS) for what it cannot emulate. */
export function planLocalTranscode(settings: JobSettings): LocalTranscodePlan {
  const inputs = settings.Inputs ?? [];
  const input = inputs[0];
  if (inputs.length !== 1 || input?.FileInput === undefined) unsupported('exactly one input with FileInput');
  let layout: OutputKeyLayout;
  try {
    layout = describeOutputKeys(settings);
  } catch (cause) {
    throw new TranscodeError('UNSUPPORTED_SETTINGS', `cannot describe output keys: ${String(cause)}`, {
      cause,
    });
  }

  const groups = settings.OutputGroups ?? [];
  const cmafGroups = groups.filter((g) => g.OutputGroupSettings?.Type === 'CMAF_GROUP_SETTINGS');
  const cmafGroup = cmafGroups[0];
  if (cmafGroups.length !== 1 || cmafGroup === undefined) unsupported('exactly one CMAF output group');
  const cmaf = cmafGroup.OutputGroupSettings?.CmafGroupSettings;
  const segmentSec = cmaf?.SegmentLength;
  if (segmentSec === undefined) unsupported('CMAF SegmentLength');
  if (cmaf?.WriteDashManifest === 'ENABLED') unsupported('DASH manifests');
  if (cmaf?.Encryption !== undefined) unsupported('CMAF encryption');

  const video: VideoRenditionPlan[] = [];
  let audio: AudioRenditionPlan | null = null;
  const captions: CaptionRenditionPlan[] = [];
  for (const [i, output] of (cmafGroup.Outputs ?? []).entries()) {
    const keys = layout.renditions[i];
    if (keys === undefined) unsupported('a key layout for every CMAF output');
    if (!SAFE_NAME_MODIFIER.test(output.NameModifier ?? '')) {
      unsupported(`name modifier ${output.NameModifier} (ffmpeg's var_stream_map needs [A-Za-z0-9_.-])`);
    }
    const kind = renditionKind(output);
    if (kind === 'video') video.push(planVideo(output, keys));
    else if (kind === 'audio') {
      if (audio !== null) unsupported('more than one audio output');
      audio = planAudio(output, keys, input.AudioSelectors ?? {});
    } else captions.push(planCaption(output, keys, input.CaptionSelectors ?? {}));
  }
  if (video.length === 0) unsupported('a CMAF group without video outputs');

  const frameCaptures = groups
    .filter((g) => g.OutputGroupSettings?.Type === 'FILE_GROUP_SETTINGS')
    .flatMap((g) => planFrameCaptures(g, layout, settings));
  const otherGroups = groups.filter(
    (g) => !['CMAF_GROUP_SETTINGS', 'FILE_GROUP_SETTINGS'].includes(g.OutputGroupSettings?.Type ?? ''),
  );
  if (otherGroups.length > 0) unsupported(`output group type ${otherGroups[0]?.OutputGroupSettings?.Type}`);

  return {
    layout,
    sourceUri: input.FileInput,
    rotate: planRotate(input.VideoSelector?.Rotate),
    segmentSec,
    video,
    audio,
    captions,
    frameCaptures,
  };
}

/**
 * The ffmpeg argument vector (without the program name). One decode feeds every rendition and
 * every frame capture through a single filter graph; each HLS output names its files the way
 * MediaConvert names them, so nothing is renamed afterwards.
 */
export function buildFfmpegArgs(plan: LocalTranscodePlan, paths: FfmpegPaths): string[] {
  const out = (key: string): string => `${paths.outDir}/${key}`;
  const hlsDir = out(plan.layout.hlsPrefix);
  const masterBase = plan.layout.masterPlaylistKey.slice(plan.layout.hlsPrefix.length).replace(/\.m3u8$/, '');

  const args = ['-hide_banner', '-nostdin', '-nostats', '-y'];
  if (plan.rotate !== 'AUTO') args.push('-noautorotate');
  args.push('-i', paths.source, '-filter_complex', filterGraph(plan));

  // HLS group, video: one muxer with a variant stream per rendition.
  plan.video.forEach((_, i) => {
    args.push('-map', `[v${i}]`);
  });
  args.push('-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p');
  plan.video.forEach((rendition, i) => {
    args.push(...videoStreamArgs(rendition, i));
  });
  args.push(
    ...hlsMuxerArgs(plan.segmentSec),
    '-hls_flags',
    'independent_segments',
    // Relative to each variant playlist, so every init segment lands beside its playlist.
    // ffmpeg 5.1 substitutes %v here only when there are several variants.
    '-hls_fmp4_init_filename',
    `${masterBase}${plan.video.length === 1 ? plan.video[0]?.keys.nameModifier : '%v'}init.cmfv`,
    '-hls_segment_filename',
    `${hlsDir}${masterBase}%v_%09d.cmfv`,
    '-master_pl_name',
    FFMPEG_MASTER_NAME,
    '-var_stream_map',
    plan.video.map((r, i) => `v:${i},name:${r.keys.nameModifier}`).join(' '),
    `${hlsDir}${masterBase}%v.m3u8`,
  );

  // HLS group, audio: its own muxer so its segments get MediaConvert's .cmfa extension.
  if (plan.audio !== null) {
    const a = plan.audio;
    const stem = a.keys.playlistKey.slice(plan.layout.hlsPrefix.length).replace(/\.m3u8$/, '');
    args.push(
      '-map',
      `0:a:${a.inputTrack}`,
      '-c:a',
      'aac',
      '-b:a',
      String(a.bitrate),
      '-ac',
      String(a.channels),
      '-ar',
      String(a.sampleRate),
      ...hlsMuxerArgs(plan.segmentSec),
      '-hls_fmp4_init_filename',
      `${stem}init.cmfa`,
      '-hls_segment_filename',
      `${hlsDir}${stem}_%09d.cmfa`,
      out(a.keys.playlistKey),
    );
  }

  // Frame captures: numbered JPEGs from 0, like MediaConvert's <name>.0000000.jpg.
  plan.frameCaptures.forEach((capture, i) => {
    args.push(
      '-map',
      `[c${i}]`,
      '-fps_mode',
      'passthrough',
      '-frames:v',
      String(capture.keys.maxCaptures),
      '-c:v',
      'mjpeg',
      '-q:v',
      String(jpegQscale(capture.quality)),
      '-f',
      'image2',
      '-start_number',
      '0',
      `${out(capture.keys.baseKey)}.%07d.jpg`,
    );
  });

  args.push('-progress', 'pipe:1');
  return args;
}

/** The filter graph: one decode, split into a scaler per rendition and per frame capture. */
export function filterGraph(plan: LocalTranscodePlan): string {
  const pre: string[] = [];
  if (plan.rotate === 90) pre.push('transpose=clock');
  if (plan.rotate === 180) pre.push('hflip', 'vflip');
  if (plan.rotate === 270) pre.push('transpose=cclock');
  // Convert the frame rate once, before the split, when every rendition shares it.
  const rates = new Set(
    plan.video.map((r) => (r.frameRate === undefined ? 'source' : fractionText(r.frameRate))),
  );
  const shared = rates.size === 1 ? plan.video[0]?.frameRate : undefined;
  if (shared !== undefined) pre.push(`fps=${fractionText(shared)}`);

  const branches = plan.video.length + plan.frameCaptures.length;
  const labels = Array.from({ length: branches }, (_, i) => `[s${i}]`).join('');
  const chains = [`[0:v]${[...pre, `split=${branches}`].join(',')}${labels}`];
  plan.video.forEach((r, i) => {
    const fps = shared === undefined && r.frameRate !== undefined ? `fps=${fractionText(r.frameRate)},` : '';
    // Scaling and the 8-bit 4:2:0 conversion happen in one swscale pass per rendition.
    chains.push(`[s${i}]${fps}scale=${r.width}:${r.height}:flags=bicubic,format=yuv420p,setsar=1[v${i}]`);
  });
  plan.frameCaptures.forEach((c, i) => {
    const interval = c.keys.intervalSec;
    // First frame, then the first frame at least `interval` seconds after the last capture;
    // trim ends the branch after the last capture so the split stops feeding it.
    chains.push(
      `[s${plan.video.length + i}]select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,${interval})',` +
        `trim=end_frame=${c.keys.maxCaptures},scale=${c.width}:${c.height}:flags=bicubic,setsar=1[c${i}]`,
    );
  });
  return chains.join(';');
}

function videoStreamArgs(r: VideoRenditionPlan, i: number): string[] {
  const s = `v:${i}`;
  const args = [`-profile:${s}`, r.profile, `-bf:${s}`, String(r.bFrames), `-forced-idr:${s}`, '1'];
  const rc = r.rateControl;
  if (rc.mode === 'QVBR') {
    // Capped CRF is x264's nearest equivalent of QVBR: constant quality under a peak cap.
    args.push(`-crf:${s}`, String(qvbrToCrf(rc.qualityLevel)), `-maxrate:${s}`, String(rc.maxBitrate));
  } else {
    const max = rc.mode === 'VBR' ? rc.maxBitrate : rc.bitrate;
    args.push(`-b:${s}`, String(rc.bitrate), `-maxrate:${s}`, String(max));
  }
  args.push(`-bufsize:${s}`, String(rc.bufferSize));
  if (!r.sceneChangeKeyframes) args.push(`-sc_threshold:${s}`, '0');
  if (r.gop.unit === 'seconds') {
    // Forced keyframes on the clock: every rendition gets IDRs on the same frames.
    args.push(`-force_key_frames:${s}`, `expr:gte(t,n_forced*${r.gop.size})`);
    const fps = r.frameRate === undefined ? undefined : r.frameRate.numerator / r.frameRate.denominator;
    if (fps !== undefined) args.push(`-g:${s}`, String(Math.max(1, Math.round(r.gop.size * fps))));
  } else {
    args.push(`-g:${s}`, String(r.gop.size), `-keyint_min:${s}`, String(r.gop.size));
  }
  return args;
}

function hlsMuxerArgs(segmentSec: number): string[] {
  return [
    '-f',
    'hls',
    '-hls_time',
    String(segmentSec),
    '-hls_playlist_type',
    'vod',
    '-hls_segment_type',
    'fmp4',
    // MediaConvert numbers CMAF segments from 1.
    '-start_number',
    '1',
  ];
}

function planVideo(output: Output, keys: RenditionKeys): VideoRenditionPlan {
  const description = output.VideoDescription;
  const codec = description?.CodecSettings;
  if (codec?.Codec !== 'H_264' || codec.H264Settings === undefined)
    unsupported(`video codec ${codec?.Codec}`);
  const h264: H264Settings = codec.H264Settings;
  const width = description?.Width;
  const height = description?.Height;
  if (width === undefined || height === undefined) unsupported('video outputs without Width and Height');
  if (width % 2 !== 0 || height % 2 !== 0) unsupported(`odd dimensions ${width}x${height}`);
  return {
    keys,
    width,
    height,
    profile: planProfile(h264.CodecProfile),
    rateControl: planRateControl(h264),
    frameRate:
      h264.FramerateControl === 'SPECIFIED' &&
      h264.FramerateNumerator !== undefined &&
      h264.FramerateDenominator !== undefined
        ? { numerator: h264.FramerateNumerator, denominator: h264.FramerateDenominator }
        : undefined,
    gop:
      h264.GopSizeUnits === 'FRAMES'
        ? { unit: 'frames', size: Math.round(h264.GopSize ?? 90) }
        : { unit: 'seconds', size: h264.GopSize ?? 2 },
    bFrames: h264.NumberBFramesBetweenReferenceFrames ?? 2,
    sceneChangeKeyframes: h264.SceneChangeDetect !== 'DISABLED',
  };
}

function planProfile(profile: H264Settings['CodecProfile']): VideoRenditionPlan['profile'] {
  switch (profile ?? 'MAIN') {
    case 'HIGH':
      return 'high';
    case 'MAIN':
      return 'main';
    case 'BASELINE':
      return 'baseline';
    default:
      return unsupported(`H.264 profile ${profile} (only 8-bit 4:2:0 profiles are emulated)`);
  }
}

function planRateControl(h264: H264Settings): VideoRenditionPlan['rateControl'] {
  const mode = h264.RateControlMode ?? 'CBR';
  if (mode === 'QVBR') {
    const maxBitrate = h264.MaxBitrate;
    if (maxBitrate === undefined) unsupported('QVBR without MaxBitrate');
    return {
      mode,
      qualityLevel: h264.QvbrSettings?.QvbrQualityLevel ?? 7,
      maxBitrate,
      bufferSize: h264.HrdBufferSize ?? maxBitrate * 2,
    };
  }
  const bitrate = h264.Bitrate;
  if (bitrate === undefined) unsupported(`${mode} without Bitrate`);
  if (mode === 'VBR') {
    const maxBitrate = h264.MaxBitrate ?? bitrate;
    return { mode, bitrate, maxBitrate, bufferSize: h264.HrdBufferSize ?? maxBitrate * 2 };
  }
  return { mode: 'CBR', bitrate, bufferSize: h264.HrdBufferSize ?? bitrate * 2 };
}

function planAudio(
  output: Output,
  keys: RenditionKeys,
  selectors: NonNullable<NonNullable<JobSettings['Inputs']>[number]['AudioSelectors']>,
): AudioRenditionPlan {
  const descriptions = output.AudioDescriptions ?? [];
  const description = descriptions[0];
  if (descriptions.length !== 1 || description === undefined) unsupported('audio outputs with one track');
  const codec = description.CodecSettings;
  if (codec?.Codec !== 'AAC' || codec.AacSettings === undefined) unsupported(`audio codec ${codec?.Codec}`);
  const aac = codec.AacSettings;
  const selector =
    description.AudioSourceName === undefined ? undefined : selectors[description.AudioSourceName];
  const track = selector?.Tracks?.[0];
  return {
    keys,
    bitrate: aac.Bitrate ?? 96_000,
    sampleRate: aac.SampleRate ?? 48_000,
    channels: aacChannels(aac.CodingMode),
    codecs: aacCodecs(aac.CodecProfile),
    groupId: output.ContainerSettings?.CmfcSettings?.AudioGroupId ?? 'program_audio',
    // MediaConvert counts tracks from 1.
    inputTrack: track === undefined ? 0 : track - 1,
  };
}

function aacChannels(mode: string | undefined): number {
  switch (mode ?? 'CODING_MODE_2_0') {
    case 'CODING_MODE_1_0':
      return 1;
    case 'CODING_MODE_2_0':
    case 'CODING_MODE_1_1':
      return 2;
    case 'CODING_MODE_5_1':
      return 6;
    default:
      return unsupported(`AAC coding mode ${mode}`);
  }
}

function aacCodecs(profile: string | undefined): string {
  switch (profile ?? 'LC') {
    case 'LC':
      return 'mp4a.40.2';
    default:
      // ffmpeg's native AAC encoder only writes LC; HE-AAC would need libfdk_aac.
      return unsupported(`AAC profile ${profile}`);
  }
}

function planCaption(
  output: Output,
  keys: RenditionKeys,
  selectors: NonNullable<NonNullable<JobSettings['Inputs']>[number]['CaptionSelectors']>,
): CaptionRenditionPlan {
  const description = output.CaptionDescriptions?.[0];
  if ((output.CaptionDescriptions?.length ?? 0) !== 1 || description === undefined) {
    unsupported('caption outputs with one track');
  }
  if (description.DestinationSettings?.DestinationType !== 'WEBVTT') {
    unsupported(`caption destination ${description.DestinationSettings?.DestinationType}`);
  }
  const selector =
    description.CaptionSelectorName === undefined ? undefined : selectors[description.CaptionSelectorName];
  const source = selector?.SourceSettings;
  const sourceUri = source?.FileSourceSettings?.SourceFile;
  if (source?.SourceType !== 'WEBVTT' || sourceUri === undefined) {
    unsupported(
      `caption selector ${description.CaptionSelectorName} (only WebVTT sidecar files are emulated)`,
    );
  }
  const lang =
    description.CustomLanguageCode ?? description.LanguageCode ?? selector?.CustomLanguageCode ?? 'und';
  return { keys, lang, label: description.LanguageDescription ?? lang, sourceUri };
}

function planFrameCaptures(
  group: OutputGroup,
  layout: OutputKeyLayout,
  settings: JobSettings,
): FrameCapturePlan[] {
  const destination = group.OutputGroupSettings?.FileGroupSettings?.Destination;
  if (destination === undefined) unsupported(`FILE group ${group.Name} without a destination`);
  const { bucket, dir, basename } = splitDestination(destination, settings);
  if (bucket !== layout.bucket) unsupported('output groups in different buckets');
  return (group.Outputs ?? []).map((output) => {
    const description = output.VideoDescription;
    const codec = description?.CodecSettings;
    if (codec?.Codec !== 'FRAME_CAPTURE' || codec.FrameCaptureSettings === undefined) {
      unsupported(`FILE group outputs other than FRAME_CAPTURE (${codec?.Codec})`);
    }
    const capture = codec.FrameCaptureSettings;
    const width = description?.Width;
    const height = description?.Height;
    if (width === undefined || height === undefined) unsupported('frame captures without Width and Height');
    // Same key rule as describeOutputKeys; reuse its result when this is one of the groups it names.
    const baseKey = `${dir}${basename}${output.NameModifier ?? ''}`;
    const named = [layout.poster, layout.thumbnails, layout.posterCandidates].find(
      (k) => k?.baseKey === baseKey,
    );
    return {
      keys: named ?? {
        baseKey,
        intervalSec: (capture.FramerateDenominator ?? 1) / (capture.FramerateNumerator ?? 1),
        maxCaptures: capture.MaxCaptures ?? 10_000,
      },
      width,
      height,
      quality: capture.Quality ?? 80,
    };
  });
}

function planRotate(rotate: string | undefined): LocalTranscodePlan['rotate'] {
  switch (rotate ?? 'DEGREE_0') {
    case 'AUTO':
      return 'AUTO';
    case 'DEGREE_0':
      return 0;
    case 'DEGREES_90':
      return 90;
    case 'DEGREES_180':
      return 180;
    case 'DEGREES_270':
      return 270;
    default:
      return unsupported(`rotation ${rotate}`);
  }
}

/** MediaConvert's JPEG quality (1–100, higher is better) as ffmpeg's mjpeg qscale (2–31, lower is better). */
export function jpegQscale(quality: number): number {
  return Math.min(31, Math.max(2, Math.round((100 - quality) / 4) + 1));
}

/** QVBR quality level (1–10) as an x264 CRF; level 7, AWS's OTT default, is CRF 23. */
export function qvbrToCrf(level: number): number {
  return Math.min(51, Math.max(0, 37 - 2 * level));
}

function fractionText(f: Fraction): string {
  return `${f.numerator}/${f.denominator}`;
}

function unsupported(what: string): never {
  throw new TranscodeError('UNSUPPORTED_SETTINGS', `the local transcoder does not emulate ${what}`);
}
