import type { JobSettings, Output, OutputGroup } from '@aws-sdk/client-mediaconvert';
import { describe, expect, it } from 'vitest';
import type { Ladder, SourceProbe } from '#contracts/media.ts';
import { filterGraph, planLocalTranscode } from '#local/transcoder/ffmpeg-args.ts';
import {
  buildTranscodeJobSettings,
  cmafSegmentKey,
  describeOutputKeys,
  frameCaptureIndex,
  frameCaptureKey,
  frameCaptureTimeSec,
  isFrameCaptureKey,
  JobSettingsError,
  MAX_POSTER_CAPTURES,
  posterCaptureCadence,
  type TranscodeJobInput,
} from '#media-pipeline/domain/job-settings.ts';
import { planLadder } from '#media-pipeline/domain/ladder.ts';

const DEST = 's3://media-bucket/media/title-1/asset-1/';

function probe(
  video: Partial<SourceProbe['video']> & { width: number; height: number },
  audio: SourceProbe['audio'] = { codec: 'AAC', channels: 2, sampleRate: 48_000 },
): SourceProbe {
  return {
    container: 'MPEG-4',
    durationSec: 60,
    sizeBytes: 10_000_000,
    video: {
      codec: 'AVC',
      displayWidth: video.width,
      displayHeight: video.height,
      rotation: 0,
      frameRate: 30,
      bitDepth: 8,
      ...video,
    },
    audio,
  };
}

function settingsFor(source: SourceProbe, overrides: Partial<TranscodeJobInput> = {}): JobSettings {
  return buildTranscodeJobSettings({
    sourceUri: 's3://ingest-bucket/sources/job-1/clip.mov',
    captions: [],
    destinationUri: DEST,
    ladder: planLadder(source),
    ...overrides,
  });
}

function group(settings: JobSettings, name: string): OutputGroup {
  const found = settings.OutputGroups?.find((g) => g.Name === name);
  if (found === undefined) throw new Error(`no group ${name}`);
  return found;
}

function outputs(settings: JobSettings, name: string): Output[] {
  return group(settings, name).Outputs ?? [];
}

const videoOutputs = (s: JobSettings): Output[] => outputs(s, 'HLS').filter((o) => o.VideoDescription);
const audioOutputs = (s: JobSettings): Output[] => outputs(s, 'HLS').filter((o) => o.AudioDescriptions);
const captionOutputs = (s: JobSettings): Output[] => outputs(s, 'HLS').filter((o) => o.CaptionDescriptions);

const SOURCES: Record<string, SourceProbe> = {
  '720p': probe({ width: 1280, height: 720 }),
  '1080p': probe({ width: 1920, height: 1080 }),
  '4K': probe({ width: 3840, height: 2160 }),
  portrait: probe({ width: 720, height: 1280 }),
  'rotated 90°': probe({ width: 1920, height: 1080, displayWidth: 1080, displayHeight: 1920, rotation: 90 }),
  '853x481': probe({ width: 853, height: 481 }),
  '160x120': probe({ width: 160, height: 120 }),
  '10-bit': probe({ width: 1920, height: 1080, bitDepth: 10, codec: 'HEVC' }),
  '59.94 fps': probe({ width: 1920, height: 1080, frameRate: 59.94 }),
  silent: probe({ width: 1280, height: 720 }, null),
};

describe('buildTranscodeJobSettings', () => {
  describe.each(Object.entries(SOURCES))('for a %s source', (_, source) => {
    const settings = settingsFor(source);
    const ladder = planLadder(source);

    it('encodes one H.264 output per rung, never larger than the display size, with even dimensions', () => {
      const videos = videoOutputs(settings);
      expect(videos).toHaveLength(ladder.rungs.length);
      for (const output of [...videos, ...outputs(settings, 'Poster'), ...outputs(settings, 'Thumbnails')]) {
        const { Width = 0, Height = 0 } = output.VideoDescription ?? {};
        expect(Width).toBeLessThanOrEqual(source.video.displayWidth);
        expect(Height).toBeLessThanOrEqual(source.video.displayHeight);
        expect(Width % 2).toBe(0);
        expect(Height % 2).toBe(0);
      }
    });

    it('aligns GOPs across renditions and cuts segments of the ladder’s length', () => {
      expect(group(settings, 'HLS').OutputGroupSettings?.CmafGroupSettings).toMatchObject({
        SegmentLength: 6,
        SegmentControl: 'SEGMENTED_FILES',
        SegmentLengthControl: 'GOP_MULTIPLE',
      });
      for (const output of videoOutputs(settings)) {
        expect(output.VideoDescription?.CodecSettings?.H264Settings).toMatchObject({
          GopSize: 2,
          GopSizeUnits: 'SECONDS',
          GopClosedCadence: 1,
          SceneChangeDetect: 'DISABLED',
          FramerateControl: 'SPECIFIED',
          FramerateNumerator: ladder.frameRate.numerator,
          FramerateDenominator: ladder.frameRate.denominator,
        });
      }
    });

    it('writes 8-bit 4:2:0 H.264 only', () => {
      for (const output of videoOutputs(settings)) {
        const h264 = output.VideoDescription?.CodecSettings?.H264Settings;
        expect(output.VideoDescription?.CodecSettings?.Codec).toBe('H_264');
        expect(['MAIN', 'HIGH']).toContain(h264?.CodecProfile);
      }
    });
  });

  it('writes an HLS-only CMAF group to <dest>hls/index', () => {
    const settings = settingsFor(SOURCES['1080p'] as SourceProbe);

    expect(group(settings, 'HLS').OutputGroupSettings).toEqual({
      Type: 'CMAF_GROUP_SETTINGS',
      CmafGroupSettings: expect.objectContaining({
        Destination: `${DEST}hls/index`,
        WriteHlsManifest: 'ENABLED',
        WriteDashManifest: 'DISABLED',
        FragmentLength: 2,
      }),
    });
  });

  it('carries each rung’s size, bitrates and name into its output', () => {
    const ladder = planLadder(SOURCES['1080p'] as SourceProbe);
    const top = videoOutputs(settingsFor(SOURCES['1080p'] as SourceProbe)).at(-1);

    expect(top).toMatchObject({
      NameModifier: '_1080p',
      ContainerSettings: { Container: 'CMFC', CmfcSettings: { AudioRenditionSets: 'audio' } },
      VideoDescription: {
        Width: 1920,
        Height: 1080,
        CodecSettings: {
          H264Settings: {
            CodecProfile: 'HIGH',
            RateControlMode: 'VBR',
            Bitrate: ladder.rungs.at(-1)?.videoBitrate,
            MaxBitrate: ladder.rungs.at(-1)?.maxBitrate,
          },
        },
      },
    });
  });

  it('adds one AAC stereo 48 kHz output and an audio selector when the source has sound', () => {
    const settings = settingsFor(SOURCES['720p'] as SourceProbe);

    expect(audioOutputs(settings)).toEqual([
      expect.objectContaining({
        NameModifier: '_audio',
        ContainerSettings: {
          Container: 'CMFC',
          CmfcSettings: expect.objectContaining({ AudioGroupId: 'audio' }),
        },
        AudioDescriptions: [
          expect.objectContaining({
            AudioSourceName: 'Audio Selector 1',
            CodecSettings: {
              Codec: 'AAC',
              AacSettings: expect.objectContaining({
                Bitrate: 128_000,
                SampleRate: 48_000,
                CodingMode: 'CODING_MODE_2_0',
                CodecProfile: 'LC',
              }),
            },
          }),
        ],
      }),
    ]);
    expect(settings.Inputs?.[0]?.AudioSelectors).toEqual({
      'Audio Selector 1': { DefaultSelection: 'DEFAULT' },
    });
  });

  it('leaves audio out entirely for a silent source', () => {
    const settings = settingsFor(SOURCES.silent as SourceProbe);

    expect(audioOutputs(settings)).toEqual([]);
    expect(settings.Inputs?.[0]?.AudioSelectors).toBeUndefined();
    for (const output of videoOutputs(settings)) {
      expect(output.ContainerSettings?.CmfcSettings?.AudioRenditionSets).toBeUndefined();
    }
  });

  it('wires each WebVTT sidecar through a caption selector to its own output', () => {
    const settings = settingsFor(SOURCES['720p'] as SourceProbe, {
      captions: [
        { lang: 'en', uri: 's3://ingest-bucket/sidecars/job-1/en.vtt' },
        { lang: 'pt-BR', uri: 's3://ingest-bucket/sidecars/job-1/pt-BR.vtt' },
      ],
    });

    expect(settings.Inputs?.[0]?.CaptionSelectors).toEqual({
      'Captions Selector 1': {
        CustomLanguageCode: 'en',
        SourceSettings: {
          SourceType: 'WEBVTT',
          FileSourceSettings: { SourceFile: 's3://ingest-bucket/sidecars/job-1/en.vtt' },
        },
      },
      'Captions Selector 2': {
        CustomLanguageCode: 'pt-BR',
        SourceSettings: {
          SourceType: 'WEBVTT',
          FileSourceSettings: { SourceFile: 's3://ingest-bucket/sidecars/job-1/pt-BR.vtt' },
        },
      },
    });
    expect(captionOutputs(settings)).toEqual([
      expect.objectContaining({
        NameModifier: '_en',
        CaptionDescriptions: [
          expect.objectContaining({
            CaptionSelectorName: 'Captions Selector 1',
            CustomLanguageCode: 'en',
            LanguageDescription: 'English',
            DestinationSettings: expect.objectContaining({ DestinationType: 'WEBVTT' }),
          }),
        ],
      }),
      expect.objectContaining({
        NameModifier: '_pt-BR',
        CaptionDescriptions: [
          expect.objectContaining({
            CaptionSelectorName: 'Captions Selector 2',
            CustomLanguageCode: 'pt-BR',
          }),
        ],
      }),
    ]);
    for (const output of captionOutputs(settings)) {
      expect(output.VideoDescription).toBeUndefined();
      expect(output.AudioDescriptions).toBeUndefined();
    }
  });

  it('has no caption selectors or outputs without sidecars', () => {
    const settings = settingsFor(SOURCES['720p'] as SourceProbe);

    expect(settings.Inputs?.[0]?.CaptionSelectors).toBeUndefined();
    expect(captionOutputs(settings)).toEqual([]);
  });

  it('applies the source’s rotation metadata', () => {
    expect(settingsFor(SOURCES['rotated 90°'] as SourceProbe).Inputs?.[0]).toMatchObject({
      FileInput: 's3://ingest-bucket/sources/job-1/clip.mov',
      VideoSelector: { Rotate: 'AUTO' },
    });
  });

  it('captures one poster frame at the top rung’s size into <dest>poster/', () => {
    const poster = group(settingsFor(SOURCES['1080p'] as SourceProbe), 'Poster');

    expect(poster.OutputGroupSettings).toEqual({
      Type: 'FILE_GROUP_SETTINGS',
      FileGroupSettings: { Destination: `${DEST}poster/poster` },
    });
    expect(poster.Outputs?.[0]?.VideoDescription).toMatchObject({
      Width: 1920,
      Height: 1080,
      CodecSettings: { Codec: 'FRAME_CAPTURE', FrameCaptureSettings: { MaxCaptures: 1 } },
    });
  });

  it('captures a trick-play thumbnail every 10 s by default, 320 px on the long side', () => {
    const thumbnails = group(settingsFor(SOURCES['1080p'] as SourceProbe), 'Thumbnails');

    expect(thumbnails.OutputGroupSettings?.FileGroupSettings?.Destination).toBe(`${DEST}thumbnails/thumb`);
    expect(thumbnails.Outputs?.[0]?.VideoDescription).toMatchObject({
      Width: 320,
      Height: 180,
      CodecSettings: { FrameCaptureSettings: { FramerateNumerator: 1, FramerateDenominator: 10 } },
    });
  });

  it('honours a custom thumbnail interval and portrait thumbnails', () => {
    const thumbnails = group(
      settingsFor(SOURCES.portrait as SourceProbe, { thumbnailIntervalSec: 4 }),
      'Thumbnails',
    );

    expect(thumbnails.Outputs?.[0]?.VideoDescription).toMatchObject({
      Width: 180,
      Height: 320,
      CodecSettings: { FrameCaptureSettings: { FramerateDenominator: 4 } },
    });
  });

  it('keeps thumbnails of a tiny source at the source size', () => {
    const thumbnails = group(settingsFor(SOURCES['160x120'] as SourceProbe), 'Thumbnails');

    expect(thumbnails.Outputs?.[0]?.VideoDescription).toMatchObject({ Width: 160, Height: 120 });
  });

  it('captures poster candidates into <dest>candidates/: JPEG, 640 px on the long side, at the planned cadence', () => {
    const candidates = group(
      settingsFor(SOURCES['1080p'] as SourceProbe, { posterCaptures: { intervalSec: 120, maxCaptures: 60 } }),
      'PosterCandidates',
    );

    expect(candidates.OutputGroupSettings).toEqual({
      Type: 'FILE_GROUP_SETTINGS',
      FileGroupSettings: { Destination: `${DEST}candidates/candidate` },
    });
    expect(candidates.Outputs).toHaveLength(1);
    expect(candidates.Outputs?.[0]).toMatchObject({
      ContainerSettings: { Container: 'RAW' },
      Extension: 'jpg',
      VideoDescription: {
        Width: 640,
        Height: 360,
        CodecSettings: {
          Codec: 'FRAME_CAPTURE',
          FrameCaptureSettings: {
            FramerateNumerator: 1,
            FramerateDenominator: 120,
            MaxCaptures: 60,
            Quality: 80,
          },
        },
      },
    });
  });

  it('sizes portrait candidates 640 px tall and keeps a tiny source at its own size', () => {
    const portrait = group(settingsFor(SOURCES.portrait as SourceProbe), 'PosterCandidates');
    const tiny = group(settingsFor(SOURCES['160x120'] as SourceProbe), 'PosterCandidates');

    expect(portrait.Outputs?.[0]?.VideoDescription).toMatchObject({ Width: 360, Height: 640 });
    expect(tiny.Outputs?.[0]?.VideoDescription).toMatchObject({ Width: 160, Height: 120 });
  });

  it('captures a candidate every 10 s, at most 60, when the planner gives no cadence', () => {
    const candidates = group(settingsFor(SOURCES['720p'] as SourceProbe), 'PosterCandidates');

    expect(candidates.Outputs?.[0]?.VideoDescription?.CodecSettings?.FrameCaptureSettings).toMatchObject({
      FramerateDenominator: 10,
      MaxCaptures: 60,
    });
  });

  it.each([
    ['a fractional interval', { intervalSec: 2.5, maxCaptures: 10 }],
    ['a zero interval', { intervalSec: 0, maxCaptures: 10 }],
    ['no captures', { intervalSec: 10, maxCaptures: 0 }],
    ['more captures than MediaConvert allows', { intervalSec: 10, maxCaptures: 10_001 }],
  ])('refuses a poster cadence with %s', (_, posterCaptures) => {
    expect(() => settingsFor(SOURCES['720p'] as SourceProbe, { posterCaptures })).toThrow(RangeError);
  });

  it('refuses a fractional thumbnail interval and a destination outside S3', () => {
    expect(() => settingsFor(SOURCES['720p'] as SourceProbe, { thumbnailIntervalSec: 2.5 })).toThrow(
      RangeError,
    );
    expect(() => settingsFor(SOURCES['720p'] as SourceProbe, { destinationUri: '/tmp/out/' })).toThrow(
      RangeError,
    );
  });

  it('adds the trailing slash a destination is missing', () => {
    const settings = settingsFor(SOURCES['720p'] as SourceProbe, {
      destinationUri: 's3://media-bucket/media/title-1/asset-1',
    });

    expect(group(settings, 'HLS').OutputGroupSettings?.CmafGroupSettings?.Destination).toBe(
      `${DEST}hls/index`,
    );
  });
});

describe('posterCaptureCadence', () => {
  it.each([
    ['a 3 s clip', 2, 3],
    ['a 10 s clip', 2, 10],
    ['a 5 min short', 5, 300],
    ['a 2 h film', 120, 7200],
    ['a 2 h film and a second', 121, 7201],
    ['a source of unknown duration', 2, Number.NaN],
  ])('captures %s every %i s', (_, intervalSec, durationSec) => {
    expect(posterCaptureCadence(durationSec)).toEqual({ intervalSec, maxCaptures: MAX_POSTER_CAPTURES });
  });

  it.each([1, 59, 61, 600, 5400, 21_600])(
    'reaches to within one interval of the end of a %i s programme within the capture budget',
    (durationSec) => {
      const { intervalSec, maxCaptures } = posterCaptureCadence(durationSec);
      const captured = Math.min(maxCaptures, Math.floor(durationSec / intervalSec) + 1);

      expect(captured).toBeLessThanOrEqual(MAX_POSTER_CAPTURES);
      expect((captured - 1) * intervalSec + intervalSec).toBeGreaterThanOrEqual(durationSec);
    },
  );
});

describe('describeOutputKeys', () => {
  const captions = [{ lang: 'en', uri: 's3://ingest-bucket/sidecars/job-1/en.vtt' }];
  const settings = settingsFor(SOURCES['720p'] as SourceProbe, { captions });
  const layout = describeOutputKeys(settings);

  it('names the multivariant playlist after the HLS destination’s base name', () => {
    expect(layout.bucket).toBe('media-bucket');
    expect(layout.hlsPrefix).toBe('media/title-1/asset-1/hls/');
    expect(layout.masterPlaylistKey).toBe('media/title-1/asset-1/hls/index.m3u8');
  });

  it('names each rendition playlist <basename><NameModifier>.m3u8, with CMAF init and segment names', () => {
    expect(layout.renditions.map((r) => [r.kind, r.name, r.playlistKey])).toEqual([
      ['video', '234p', 'media/title-1/asset-1/hls/index_234p.m3u8'],
      ['video', '360p', 'media/title-1/asset-1/hls/index_360p.m3u8'],
      ['video', '432p', 'media/title-1/asset-1/hls/index_432p.m3u8'],
      ['video', '540p', 'media/title-1/asset-1/hls/index_540p.m3u8'],
      ['video', '720p', 'media/title-1/asset-1/hls/index_720p.m3u8'],
      ['audio', 'audio', 'media/title-1/asset-1/hls/index_audio.m3u8'],
      ['captions', 'en', 'media/title-1/asset-1/hls/index_en.m3u8'],
    ]);
    const [, , , , top, audio, english] = layout.renditions;
    expect(top?.initKey).toBe('media/title-1/asset-1/hls/index_720pinit.cmfv');
    expect(top && cmafSegmentKey(top, 1)).toBe('media/title-1/asset-1/hls/index_720p_000000001.cmfv');
    expect(audio?.initKey).toBe('media/title-1/asset-1/hls/index_audioinit.cmfa');
    expect(audio && cmafSegmentKey(audio, 12)).toBe('media/title-1/asset-1/hls/index_audio_000000012.cmfa');
    expect(english).toMatchObject({ lang: 'en', initKey: null, segmentExtension: 'vtt' });
  });

  it('numbers frame captures with seven digits from zero', () => {
    expect(frameCaptureKey(layout.poster, 0)).toBe('media/title-1/asset-1/poster/poster.0000000.jpg');
    expect(layout.poster.maxCaptures).toBe(1);
    expect(frameCaptureKey(layout.thumbnails, 42)).toBe('media/title-1/asset-1/thumbnails/thumb.0000042.jpg');
    expect(layout.thumbnails.intervalSec).toBe(10);
  });

  it('describes the poster-candidate captures, their numbers and their times', () => {
    const candidates = layout.posterCandidates;

    expect(candidates).toEqual({
      baseKey: 'media/title-1/asset-1/candidates/candidate',
      intervalSec: 10,
      maxCaptures: 60,
    });
    if (candidates === null) return;
    expect(frameCaptureKey(candidates, 7)).toBe('media/title-1/asset-1/candidates/candidate.0000007.jpg');
    expect(frameCaptureIndex(candidates, 'media/title-1/asset-1/candidates/candidate.0000007.jpg')).toBe(7);
    expect(
      frameCaptureIndex(candidates, 'media/title-1/asset-1/thumbnails/thumb.0000007.jpg'),
    ).toBeUndefined();
    expect(frameCaptureTimeSec(candidates, 7)).toBe(70);
  });

  it('reads settings made before poster candidates were captured, with none', () => {
    const older: JobSettings = {
      ...settings,
      OutputGroups: settings.OutputGroups?.filter((g) => g.Name !== 'PosterCandidates'),
    };

    expect(describeOutputKeys(older).posterCandidates).toBeNull();
  });

  it('recognises frame-capture keys by their pattern', () => {
    expect(isFrameCaptureKey(layout.thumbnails, 'media/title-1/asset-1/thumbnails/thumb.0000003.jpg')).toBe(
      true,
    );
    expect(isFrameCaptureKey(layout.thumbnails, 'media/title-1/asset-1/thumbnails/thumb.3.jpg')).toBe(false);
    expect(isFrameCaptureKey(layout.thumbnails, 'media/title-1/asset-1/poster/poster.0000000.jpg')).toBe(
      false,
    );
  });

  it('falls back to the input’s file name when a destination has no base name', () => {
    const bare = structuredClone(settings);
    const cmaf = bare.OutputGroups?.[0]?.OutputGroupSettings?.CmafGroupSettings;
    if (cmaf) cmaf.Destination = `${DEST}hls/`;

    expect(describeOutputKeys(bare).masterPlaylistKey).toBe('media/title-1/asset-1/hls/clip.m3u8');
  });

  it('refuses settings without the HLS group', () => {
    const noHls: JobSettings = { ...settings, OutputGroups: settings.OutputGroups?.slice(1) };

    expect(() => describeOutputKeys(noHls)).toThrow(JobSettingsError);
    expect(() => describeOutputKeys(noHls)).toThrow(
      expect.objectContaining({ code: 'INVALID_JOB_SETTINGS' }),
    );
  });
});

describe('a ladder with one rung', () => {
  it('still gets a poster and thumbnails sized from it', () => {
    const ladder: Ladder = planLadder(SOURCES['160x120'] as SourceProbe);
    const settings = settingsFor(SOURCES['160x120'] as SourceProbe);

    expect(ladder.rungs).toHaveLength(1);
    expect(group(settings, 'Poster').Outputs?.[0]?.VideoDescription).toMatchObject({
      Width: 160,
      Height: 120,
    });
  });
});

describe('the local transcoder', () => {
  it('honours the poster-candidate group: the same keys, size, cadence and count as MediaConvert', () => {
    const settings = settingsFor(SOURCES['1080p'] as SourceProbe, {
      posterCaptures: { intervalSec: 4, maxCaptures: 12 },
    });

    const plan = planLocalTranscode(settings);

    const capture = plan.frameCaptures.find((c) => c.keys.baseKey.endsWith('/candidates/candidate'));
    expect(capture).toEqual({
      keys: { baseKey: 'media/title-1/asset-1/candidates/candidate', intervalSec: 4, maxCaptures: 12 },
      width: 640,
      height: 360,
      quality: 80,
    });
    expect(filterGraph(plan)).toContain(
      "select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,4)',trim=end_frame=12,scale=640:360",
    );
  });
});
