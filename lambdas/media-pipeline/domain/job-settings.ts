/**
 * Builds the MediaConvert `CreateJob` settings for one asset, and describes which object keys
 * those settings make MediaConvert write. Pure functions, one per output group, in the manner of
 * aws-solutions/video-on-demand-on-aws; the local transcoder interprets the same settings, so
 * both targets publish identical key layouts.
 *
 * Naming rules (MediaConvert user guide, "Output file names and paths",
 * https://docs.aws.amazon.com/mediaconvert/latest/ug/output-file-names-and-paths.html, and the
 * FrameCaptureSettings API reference):
 * - CMAF multivariant playlist: `<destination><basename>.m3u8`.
 * - CMAF rendition playlist: `<destination><basename><NameModifier>.m3u8`; its init segment
 *   `<basename><NameModifier>init.cmfv|cmfa` and media segments
 *   `<basename><NameModifier>_<9-digit counter from 1>.cmfv|cmfa`.
 * - Frame capture: `<destination><basename><NameModifier>.<7-digit counter from 0>.jpg`.
 */
import type {
  CaptionSelector,
  JobSettings,
  Output,
  OutputGroup,
  VideoCodecSettings,
} from '@aws-sdk/client-mediaconvert';
import type { Ladder, Rung } from '#contracts/media.ts';

/** What `buildTranscodeJobSettings` needs to know about one asset. */
export interface TranscodeJobInput {
  /** `s3://bucket/key` of the uploaded source. */
  readonly sourceUri: string;
  /** WebVTT sidecars: BCP-47 tag and `s3://` URI. The first is signalled as the default track. */
  readonly captions: readonly { readonly lang: string; readonly uri: string }[];
  /** `s3://bucket/media/<titleId>/<assetId>/`, with the trailing slash. */
  readonly destinationUri: string;
  readonly ladder: Ladder;
  /**
   * Seconds between trick-play thumbnails.
   * @default 10
   */
  readonly thumbnailIntervalSec?: number;
  /**
   * Cadence of the frames captured as poster candidates (`posterCaptureCadence` of the source's
   * duration spreads them over the whole programme).
   * @default DEFAULT_POSTER_CAPTURES
   */
  readonly posterCaptures?: PosterCaptureCadence;
}

/** How often, and how many times at most, the poster-candidate group captures a frame. */
export interface PosterCaptureCadence {
  /** Whole seconds between captures; the first capture is the first frame. */
  readonly intervalSec: number;
  readonly maxCaptures: number;
}

/** Output group names; the key description and the local transcoder find groups by them. */
export const OUTPUT_GROUP_NAMES = {
  hls: 'HLS',
  poster: 'Poster',
  thumbnails: 'Thumbnails',
  posterCandidates: 'PosterCandidates',
} as const;

/** Base names MediaConvert builds every file name from, one per output group folder. */
export const OUTPUT_BASENAMES = {
  hls: 'index',
  poster: 'poster',
  thumbnails: 'thumb',
  posterCandidates: 'candidate',
} as const;

/** Default seconds between trick-play thumbnails. */
export const DEFAULT_THUMBNAIL_INTERVAL_SEC = 10;
/** Trick-play thumbnails are this many pixels on their longer side (Roku/Apple BIF sizes are 240–320). */
export const THUMBNAIL_LONG_SIDE = 320;
/** MediaConvert's upper bound for MaxCaptures. */
export const MAX_FRAME_CAPTURES = 10_000;
/** JPEG quality for poster and thumbnails (1–100). */
export const FRAME_CAPTURE_QUALITY = 80;
/**
 * Poster candidates are this many pixels on their longer side: enough for a title card on a TV
 * row, small enough that the chooser decodes a few dozen in about a second.
 */
export const POSTER_CANDIDATE_LONG_SIDE = 640;
/** At most this many frames are captured as poster candidates, whatever the duration. */
export const MAX_POSTER_CAPTURES = 60;
/** Never capture candidates closer than this: neighbouring frames are near-duplicates anyway. */
export const MIN_POSTER_CAPTURE_INTERVAL_SEC = 2;
/** The cadence when the planner does not say: every 10 s, up to `MAX_POSTER_CAPTURES`. */
export const DEFAULT_POSTER_CAPTURES: PosterCaptureCadence = {
  intervalSec: 10,
  maxCaptures: MAX_POSTER_CAPTURES,
};
/** Audio rendition group id: ties the audio output to every video output in the HLS manifest. */
export const AUDIO_GROUP_ID = 'audio';
/** Name modifier of the audio rendition. */
export const AUDIO_NAME_MODIFIER = '_audio';

const AUDIO_SELECTOR = 'Audio Selector 1';
const HRD_BUFFER_RATIO = 2;

/**
 * MediaConvert job settings: one CMAF group (fMP4 HLS ladder, AAC audio, WebVTT captions), one
 * poster frame capture, one trick-play frame capture group and one group of poster candidates.
 */
export function buildTranscodeJobSettings(input: TranscodeJobInput): JobSettings {
  const destination = normalizeDestination(input.destinationUri);
  const thumbnailIntervalSec = input.thumbnailIntervalSec ?? DEFAULT_THUMBNAIL_INTERVAL_SEC;
  if (!(thumbnailIntervalSec > 0) || !Number.isInteger(thumbnailIntervalSec)) {
    throw new RangeError(`thumbnailIntervalSec must be a positive whole number, got ${thumbnailIntervalSec}`);
  }
  const posterCaptures = input.posterCaptures ?? DEFAULT_POSTER_CAPTURES;
  if (!isCountIn(posterCaptures.intervalSec, 1, Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(
      `posterCaptures.intervalSec must be a positive whole number, got ${posterCaptures.intervalSec}`,
    );
  }
  if (!isCountIn(posterCaptures.maxCaptures, 1, MAX_FRAME_CAPTURES)) {
    throw new RangeError(
      `posterCaptures.maxCaptures must be a whole number from 1 to ${MAX_FRAME_CAPTURES}, got ${posterCaptures.maxCaptures}`,
    );
  }
  return {
    TimecodeConfig: { Source: 'ZEROBASED' },
    Inputs: [buildInput(input)],
    OutputGroups: [
      buildHlsGroup(`${destination}hls/${OUTPUT_BASENAMES.hls}`, input.ladder, input.captions),
      buildPosterGroup(`${destination}poster/${OUTPUT_BASENAMES.poster}`, input.ladder),
      buildThumbnailGroup(
        `${destination}thumbnails/${OUTPUT_BASENAMES.thumbnails}`,
        input.ladder,
        thumbnailIntervalSec,
      ),
      buildPosterCandidatesGroup(
        `${destination}candidates/${OUTPUT_BASENAMES.posterCandidates}`,
        input.ladder,
        posterCaptures,
      ),
    ],
  };
}

/**
 * Spreads the poster-candidate captures over the whole programme: one every
 * `duration / MAX_POSTER_CAPTURES` seconds (whole seconds, MediaConvert's FramerateDenominator
 * is an integer), never closer than `MIN_POSTER_CAPTURE_INTERVAL_SEC`. A two-hour film gets 60
 * frames two minutes apart; a 10 s clip gets 5.
 */
export function posterCaptureCadence(durationSec: number): PosterCaptureCadence {
  const spread = Number.isFinite(durationSec) && durationSec > 0 ? durationSec / MAX_POSTER_CAPTURES : 0;
  return {
    intervalSec: Math.max(MIN_POSTER_CAPTURE_INTERVAL_SEC, Math.ceil(spread)),
    maxCaptures: MAX_POSTER_CAPTURES,
  };
}

/** Name of the caption selector for the n-th (0-based) sidecar. */
export function captionSelectorName(index: number): string {
  return `Captions Selector ${index + 1}`;
}

/** Name modifier of a caption rendition: `_en`, `_pt-BR`. */
export function captionNameModifier(lang: string): string {
  return `_${lang}`;
}

/** Name modifier of a video rendition: `_720p`. */
export function rungNameModifier(rung: Rung): string {
  return `_${rung.name}`;
}

function buildInput(input: TranscodeJobInput): NonNullable<JobSettings['Inputs']>[number] {
  const captionSelectors: Record<string, CaptionSelector> = {};
  input.captions.forEach((caption, i) => {
    captionSelectors[captionSelectorName(i)] = {
      CustomLanguageCode: caption.lang,
      SourceSettings: { SourceType: 'WEBVTT', FileSourceSettings: { SourceFile: caption.uri } },
    };
  });
  return {
    FileInput: input.sourceUri,
    TimecodeSource: 'ZEROBASED',
    // By default MediaConvert ignores rotation metadata; phone footage would come out sideways.
    VideoSelector: { Rotate: 'AUTO' },
    ...(input.ladder.audio === null
      ? {}
      : { AudioSelectors: { [AUDIO_SELECTOR]: { DefaultSelection: 'DEFAULT' } } }),
    ...(input.captions.length === 0 ? {} : { CaptionSelectors: captionSelectors }),
  };
}

/** The CMAF group: fMP4 segments plus an HLS multivariant playlist (no DASH manifest). */
export function buildHlsGroup(
  destination: string,
  ladder: Ladder,
  captions: TranscodeJobInput['captions'],
): OutputGroup {
  const outputs: Output[] = ladder.rungs.map((rung) => buildVideoOutput(rung, ladder));
  if (ladder.audio !== null) outputs.push(buildAudioOutput(ladder.audio));
  captions.forEach((caption, i) => {
    outputs.push(buildCaptionOutput(caption.lang, i));
  });
  return {
    Name: OUTPUT_GROUP_NAMES.hls,
    OutputGroupSettings: {
      Type: 'CMAF_GROUP_SETTINGS',
      CmafGroupSettings: {
        Destination: destination,
        SegmentControl: 'SEGMENTED_FILES',
        SegmentLength: ladder.segmentSec,
        // Segments end on GOP boundaries, and every rendition shares the GOP cadence, so
        // players can switch renditions at any segment.
        SegmentLengthControl: 'GOP_MULTIPLE',
        FragmentLength: Math.max(1, Math.round(ladder.gopSec)),
        WriteHlsManifest: 'ENABLED',
        WriteDashManifest: 'DISABLED',
        ManifestDurationFormat: 'FLOATING_POINT',
        StreamInfResolution: 'INCLUDE',
        CodecSpecification: 'RFC_6381',
        ClientCache: 'ENABLED',
      },
    },
    Outputs: outputs,
  };
}

function buildVideoOutput(rung: Rung, ladder: Ladder): Output {
  return {
    NameModifier: rungNameModifier(rung),
    ContainerSettings: {
      Container: 'CMFC',
      CmfcSettings: {
        IFrameOnlyManifest: 'EXCLUDE',
        ...(ladder.audio === null ? {} : { AudioRenditionSets: AUDIO_GROUP_ID }),
      },
    },
    VideoDescription: {
      Width: rung.width,
      Height: rung.height,
      // The ladder already preserves the display aspect ratio; nothing to fit or crop.
      ScalingBehavior: 'DEFAULT',
      AntiAlias: 'ENABLED',
      Sharpness: 50,
      ColorMetadata: 'INSERT',
      TimecodeInsertion: 'DISABLED',
      AfdSignaling: 'NONE',
      RespondToAfd: 'NONE',
      CodecSettings: h264Settings(rung, ladder),
    },
  };
}

function h264Settings(rung: Rung, ladder: Ladder): VideoCodecSettings {
  return {
    Codec: 'H_264',
    H264Settings: {
      // HIGH and MAIN are 8-bit 4:2:0 profiles: 10-bit or 4:2:2 sources are converted down,
      // which is what every H.264 decoder in the field expects.
      CodecProfile: rung.profile,
      CodecLevel: 'AUTO',
      // VBR keeps the ladder's average (what the HLS AVERAGE-BANDWIDTH advertises) and caps
      // the peak through the HRD buffer; QVBR would drop the average target.
      RateControlMode: 'VBR',
      Bitrate: rung.videoBitrate,
      MaxBitrate: rung.maxBitrate,
      HrdBufferSize: rung.maxBitrate * HRD_BUFFER_RATIO,
      HrdBufferInitialFillPercentage: 90,
      QualityTuningLevel: 'SINGLE_PASS_HQ',
      FramerateControl: 'SPECIFIED',
      FramerateNumerator: ladder.frameRate.numerator,
      FramerateDenominator: ladder.frameRate.denominator,
      FramerateConversionAlgorithm: 'DUPLICATE_DROP',
      GopSize: ladder.gopSec,
      GopSizeUnits: 'SECONDS',
      // Closed GOPs with no scene-change keyframes: every rendition has IDRs at the same
      // instants, so segment boundaries line up across the ladder.
      GopClosedCadence: 1,
      SceneChangeDetect: 'DISABLED',
      MinIInterval: 0,
      NumberBFramesBetweenReferenceFrames: 3,
      GopBReference: 'ENABLED',
      NumberReferenceFrames: 3,
      InterlaceMode: 'PROGRESSIVE',
      ParControl: 'SPECIFIED',
      ParNumerator: 1,
      ParDenominator: 1,
      EntropyEncoding: 'CABAC',
      AdaptiveQuantization: 'AUTO',
      Syntax: 'DEFAULT',
      SlowPal: 'DISABLED',
      Telecine: 'NONE',
    },
  };
}

function buildAudioOutput(audio: NonNullable<Ladder['audio']>): Output {
  return {
    NameModifier: AUDIO_NAME_MODIFIER,
    ContainerSettings: {
      Container: 'CMFC',
      CmfcSettings: { AudioGroupId: AUDIO_GROUP_ID, AudioTrackType: 'ALTERNATE_AUDIO_AUTO_SELECT_DEFAULT' },
    },
    AudioDescriptions: [
      {
        AudioSourceName: AUDIO_SELECTOR,
        AudioTypeControl: 'FOLLOW_INPUT',
        LanguageCodeControl: 'FOLLOW_INPUT',
        CodecSettings: {
          Codec: 'AAC',
          AacSettings: {
            CodecProfile: 'LC',
            RateControlMode: 'CBR',
            Bitrate: audio.bitrate,
            SampleRate: audio.sampleRate,
            CodingMode: aacCodingMode(audio.channels),
            Specification: 'MPEG4',
            RawFormat: 'NONE',
          },
        },
      },
    ],
  };
}

function aacCodingMode(channels: number): 'CODING_MODE_1_0' | 'CODING_MODE_2_0' | 'CODING_MODE_5_1' {
  if (channels <= 1) return 'CODING_MODE_1_0';
  if (channels >= 6) return 'CODING_MODE_5_1';
  return 'CODING_MODE_2_0';
}

/**
 * A sidecar WebVTT rendition. MediaConvert wants each captions track in its own output of the
 * same group, with no video or audio (https://docs.aws.amazon.com/mediaconvert/latest/ug/ttml-and-webvtt-output-captions.html).
 */
function buildCaptionOutput(lang: string, index: number): Output {
  return {
    NameModifier: captionNameModifier(lang),
    ContainerSettings: { Container: 'CMFC' },
    CaptionDescriptions: [
      {
        CaptionSelectorName: captionSelectorName(index),
        // Streaming groups accept any RFC 5646 tag here; it becomes LANGUAGE in the manifest.
        CustomLanguageCode: lang,
        LanguageDescription: languageLabel(lang),
        DestinationSettings: {
          DestinationType: 'WEBVTT',
          WebvttDestinationSettings: { StylePassthrough: 'ENABLED' },
        },
      },
    ],
  };
}

/** One JPEG of the first frame at the top rung's size, for catalog artwork. */
export function buildPosterGroup(destination: string, ladder: Ladder): OutputGroup {
  const top = topRung(ladder);
  return frameCaptureGroup(OUTPUT_GROUP_NAMES.poster, destination, top.width, top.height, {
    FramerateNumerator: 1,
    FramerateDenominator: 1,
    MaxCaptures: 1,
    Quality: FRAME_CAPTURE_QUALITY,
  });
}

/** Trick-play thumbnails: the first frame, then one every `intervalSec` seconds. */
export function buildThumbnailGroup(destination: string, ladder: Ladder, intervalSec: number): OutputGroup {
  const { width, height } = thumbnailSize(topRung(ladder));
  return frameCaptureGroup(OUTPUT_GROUP_NAMES.thumbnails, destination, width, height, {
    FramerateNumerator: 1,
    FramerateDenominator: intervalSec,
    MaxCaptures: MAX_FRAME_CAPTURES,
    Quality: FRAME_CAPTURE_QUALITY,
  });
}

/**
 * Poster candidates: the first frame, then one every `cadence.intervalSec` seconds, at most
 * `cadence.maxCaptures`, `POSTER_CANDIDATE_LONG_SIDE` pixels on the long side. The pipeline's
 * ChooseArtwork step scores them and publishes the best under `artwork/`
 * (FrameCaptureSettings: https://docs.aws.amazon.com/mediaconvert/latest/apireference/jobs.html#jobs-prop-framecapturesettings).
 */
export function buildPosterCandidatesGroup(
  destination: string,
  ladder: Ladder,
  cadence: PosterCaptureCadence,
): OutputGroup {
  const { width, height } = fitLongSide(topRung(ladder), POSTER_CANDIDATE_LONG_SIDE);
  return frameCaptureGroup(OUTPUT_GROUP_NAMES.posterCandidates, destination, width, height, {
    FramerateNumerator: 1,
    FramerateDenominator: cadence.intervalSec,
    MaxCaptures: cadence.maxCaptures,
    Quality: FRAME_CAPTURE_QUALITY,
  });
}

function frameCaptureGroup(
  name: string,
  destination: string,
  width: number,
  height: number,
  frameCapture: NonNullable<VideoCodecSettings['FrameCaptureSettings']>,
): OutputGroup {
  return {
    Name: name,
    OutputGroupSettings: { Type: 'FILE_GROUP_SETTINGS', FileGroupSettings: { Destination: destination } },
    Outputs: [
      {
        ContainerSettings: { Container: 'RAW' },
        Extension: 'jpg',
        VideoDescription: {
          Width: width,
          Height: height,
          ScalingBehavior: 'DEFAULT',
          AntiAlias: 'ENABLED',
          Sharpness: 50,
          CodecSettings: { Codec: 'FRAME_CAPTURE', FrameCaptureSettings: frameCapture },
        },
      },
    ],
  };
}

function thumbnailSize(top: Rung): { width: number; height: number } {
  return fitLongSide(top, THUMBNAIL_LONG_SIDE);
}

/** The rung's size scaled down (never up) to `longSide` on its longer side, even dimensions. */
function fitLongSide(top: Rung, longSide: number): { width: number; height: number } {
  const long = Math.max(top.width, top.height);
  if (long <= longSide) return { width: top.width, height: top.height };
  const scale = longSide / long;
  return {
    width: Math.max(2, Math.round((top.width * scale) / 2) * 2),
    height: Math.max(2, Math.round((top.height * scale) / 2) * 2),
  };
}

function topRung(ladder: Ladder): Rung {
  const top = ladder.rungs.reduce<Rung | undefined>(
    (best, rung) => (best === undefined || rung.width * rung.height > best.width * best.height ? rung : best),
    undefined,
  );
  if (top === undefined) throw new RangeError('ladder has no rungs');
  return top;
}

function isCountIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

function languageLabel(lang: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(lang) ?? lang;
  } catch {
    return lang;
  }
}

function normalizeDestination(uri: string): string {
  parseS3Uri(uri);
  return uri.endsWith('/') ? uri : `${uri}/`;
}

// ---------------------------------------------------------------------------------------------
// Key description
// ---------------------------------------------------------------------------------------------

/** An `s3://bucket/key` URI, split. */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/** Splits `s3://bucket/key`; throws a RangeError for anything else. */
export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (match === null || match[1] === undefined || match[2] === undefined) {
    throw new RangeError(`not an s3:// URI: ${uri}`);
  }
  return { bucket: match[1], key: match[2] };
}

/** What a rendition of the CMAF group carries. */
export const RENDITION_KINDS = ['video', 'audio', 'captions'] as const;
/** One of `RENDITION_KINDS`. */
export type RenditionKind = (typeof RENDITION_KINDS)[number];

/** Keys of one CMAF rendition. */
export interface RenditionKeys {
  readonly kind: RenditionKind;
  /** The name modifier without its leading separator: `720p`, `audio`, `en`. */
  readonly name: string;
  readonly nameModifier: string;
  /** Caption language (BCP-47), for caption renditions. */
  readonly lang?: string;
  /** `<dir><basename><NameModifier>.m3u8` */
  readonly playlistKey: string;
  /** `<dir><basename><NameModifier>init.cmfv`; `null` for captions, which have no init segment. */
  readonly initKey: string | null;
  /** Segment `n` (from 1) is `<segmentKeyPrefix><n, 9 digits>.<segmentExtension>`. */
  readonly segmentKeyPrefix: string;
  readonly segmentExtension: 'cmfv' | 'cmfa' | 'vtt';
}

/** Keys of one frame-capture output: capture `i` (from 0) is `<baseKey>.<i, 7 digits>.jpg`. */
export interface FrameCaptureKeys {
  readonly baseKey: string;
  /** Seconds between captures (the first capture is the first frame). */
  readonly intervalSec: number;
  readonly maxCaptures: number;
}

/** Every key MediaConvert writes for a job, as far as the settings alone decide it. */
export interface OutputKeyLayout {
  /** Bucket all outputs land in. */
  readonly bucket: string;
  /** Folder (with trailing slash) holding the HLS group. */
  readonly hlsPrefix: string;
  /** Key of the HLS multivariant playlist. */
  readonly masterPlaylistKey: string;
  /** One per CMAF output, in settings order. */
  readonly renditions: readonly RenditionKeys[];
  readonly poster: FrameCaptureKeys;
  readonly thumbnails: FrameCaptureKeys;
  /** Frames the artwork chooser scores; `null` for settings made before the pipeline captured them. */
  readonly posterCandidates: FrameCaptureKeys | null;
}

/** Thrown when settings lack what the key description needs; names the missing piece. */
export class JobSettingsError extends Error {
  override readonly name = 'JobSettingsError';
  readonly code = 'INVALID_JOB_SETTINGS';
}

/**
 * Describes the keys MediaConvert will write for `settings` (as built by
 * `buildTranscodeJobSettings`). Segment and thumbnail counts depend on the source's duration, so
 * they are given as patterns; everything else is exact.
 */
export function describeOutputKeys(settings: JobSettings): OutputKeyLayout {
  const hls = findGroup(settings, OUTPUT_GROUP_NAMES.hls);
  const cmaf = hls.OutputGroupSettings?.CmafGroupSettings;
  if (cmaf?.Destination === undefined) throw new JobSettingsError('HLS group has no CMAF destination');
  const { bucket, dir, basename } = splitDestination(cmaf.Destination, settings);

  const renditions = (hls.Outputs ?? []).map((output) => renditionKeys(output, dir, basename));
  const poster = frameCaptureKeys(findGroup(settings, OUTPUT_GROUP_NAMES.poster), settings);
  const thumbnails = frameCaptureKeys(findGroup(settings, OUTPUT_GROUP_NAMES.thumbnails), settings);
  const candidatesGroup = settings.OutputGroups?.find((g) => g.Name === OUTPUT_GROUP_NAMES.posterCandidates);
  const candidates = candidatesGroup === undefined ? undefined : frameCaptureKeys(candidatesGroup, settings);
  for (const other of [poster, thumbnails, ...(candidates === undefined ? [] : [candidates])]) {
    if (other.bucket !== bucket) throw new JobSettingsError('all output groups must share one bucket');
  }
  return {
    bucket,
    hlsPrefix: dir,
    masterPlaylistKey: `${dir}${basename}.m3u8`,
    renditions,
    poster: poster.keys,
    thumbnails: thumbnails.keys,
    posterCandidates: candidates?.keys ?? null,
  };
}

/** Seconds into the output at which capture `index` (from 0) was taken. */
export function frameCaptureTimeSec(capture: FrameCaptureKeys, index: number): number {
  return index * capture.intervalSec;
}

/** The capture number of one of `capture`'s keys, or `undefined` when the key is not one. */
export function frameCaptureIndex(capture: FrameCaptureKeys, key: string): number | undefined {
  return isFrameCaptureKey(capture, key) ? Number(key.slice(capture.baseKey.length + 1, -4)) : undefined;
}

/** Key of the `index`-th (from 1) media segment of a CMAF rendition. */
export function cmafSegmentKey(rendition: RenditionKeys, index: number): string {
  return `${rendition.segmentKeyPrefix}${String(index).padStart(9, '0')}.${rendition.segmentExtension}`;
}

/** Key of the `index`-th (from 0) frame capture. */
export function frameCaptureKey(capture: FrameCaptureKeys, index: number): string {
  return `${capture.baseKey}.${String(index).padStart(7, '0')}.jpg`;
}

/** Whether `key` is one of `capture`'s numbered JPEGs. */
export function isFrameCaptureKey(capture: FrameCaptureKeys, key: string): boolean {
  if (!key.startsWith(`${capture.baseKey}.`)) return false;
  return /^\d{7}\.jpg$/.test(key.slice(capture.baseKey.length + 1));
}

/** The kind of a CMAF output, from which streams it carries. */
export function renditionKind(output: Output): RenditionKind {
  if (output.VideoDescription !== undefined) return 'video';
  if ((output.AudioDescriptions?.length ?? 0) > 0) return 'audio';
  if ((output.CaptionDescriptions?.length ?? 0) > 0) return 'captions';
  throw new JobSettingsError(`output ${output.NameModifier ?? '(unnamed)'} carries no stream`);
}

function renditionKeys(output: Output, dir: string, basename: string): RenditionKeys {
  const kind = renditionKind(output);
  const nameModifier = output.NameModifier ?? '';
  const stem = `${dir}${basename}${nameModifier}`;
  const extension = kind === 'video' ? 'cmfv' : kind === 'audio' ? 'cmfa' : 'vtt';
  const lang = kind === 'captions' ? output.CaptionDescriptions?.[0]?.CustomLanguageCode : undefined;
  return {
    kind,
    name: nameModifier.replace(/^[_-]/, ''),
    nameModifier,
    ...(lang === undefined ? {} : { lang }),
    playlistKey: `${stem}.m3u8`,
    initKey: kind === 'captions' ? null : `${stem}init.${extension}`,
    segmentKeyPrefix: `${stem}_`,
    segmentExtension: extension,
  };
}

function frameCaptureKeys(
  group: OutputGroup,
  settings: JobSettings,
): { bucket: string; keys: FrameCaptureKeys } {
  const destination = group.OutputGroupSettings?.FileGroupSettings?.Destination;
  if (destination === undefined) throw new JobSettingsError(`${group.Name} group has no file destination`);
  const output = group.Outputs?.[0];
  const capture = output?.VideoDescription?.CodecSettings?.FrameCaptureSettings;
  if (output === undefined || capture === undefined) {
    throw new JobSettingsError(`${group.Name} group has no frame capture output`);
  }
  const { bucket, dir, basename } = splitDestination(destination, settings);
  return {
    bucket,
    keys: {
      baseKey: `${dir}${basename}${output.NameModifier ?? ''}`,
      intervalSec: (capture.FramerateDenominator ?? 1) / (capture.FramerateNumerator ?? 1),
      maxCaptures: capture.MaxCaptures ?? MAX_FRAME_CAPTURES,
    },
  };
}

function findGroup(settings: JobSettings, name: string): OutputGroup {
  const group = settings.OutputGroups?.find((g) => g.Name === name);
  if (group === undefined) throw new JobSettingsError(`no output group named ${name}`);
  return group;
}

/**
 * Splits a group destination into bucket, folder and base name. A destination ending in `/`
 * has no base name of its own, so MediaConvert uses the input file's name without its extension.
 */
export function splitDestination(
  destination: string,
  settings: JobSettings,
): { bucket: string; dir: string; basename: string } {
  const { bucket, key } = parseS3Uri(destination);
  const slash = key.lastIndexOf('/');
  const dir = key.slice(0, slash + 1);
  let basename = key.slice(slash + 1);
  if (basename === '') {
    const input = settings.Inputs?.[0]?.FileInput ?? '';
    const file = input.slice(input.lastIndexOf('/') + 1);
    basename = file.includes('.') ? file.slice(0, file.lastIndexOf('.')) : file;
  }
  return { bucket, dir, basename };
}
