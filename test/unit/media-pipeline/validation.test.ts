import { describe, expect, it } from 'vitest';
import { type ValidationResult, validationResultSchema } from '#contracts/media.ts';
import {
  type AudioTrackInfo,
  DEFAULT_SOURCE_LIMITS,
  type MediaInfoSummary,
  type VideoTrackInfo,
  validateSource,
} from '#media-pipeline/domain/validation.ts';

const GIB = 1024 ** 3;

function videoTrack(overrides: Partial<VideoTrackInfo> = {}): VideoTrackInfo {
  return {
    format: 'AVC',
    formatProfile: 'High',
    codecId: 'avc1',
    width: 1280,
    height: 720,
    rotationDeg: 0,
    frameRate: 30,
    frameRateMode: 'CFR',
    frameCount: 3600,
    bitDepth: 8,
    chromaSubsampling: '4:2:0',
    durationSec: 120,
    streamSizeBytes: 40_000_000,
    ...overrides,
  };
}

function audioTrack(overrides: Partial<AudioTrackInfo> = {}): AudioTrackInfo {
  return {
    format: 'AAC',
    codecId: 'mp4a-40-2',
    channels: 2,
    samplingRate: 48_000,
    durationSec: 120,
    streamSizeBytes: 2_000_000,
    ...overrides,
  };
}

/** A healthy two-minute 720p H.264 + AAC MP4, as the probe would summarise it. */
function summary(overrides: Partial<MediaInfoSummary> = {}): MediaInfoSummary {
  return {
    sizeBytes: 42_100_000,
    container: 'MPEG-4',
    containerProfile: 'Base Media',
    durationSec: 120,
    isTruncated: false,
    conformanceErrors: [],
    video: [videoTrack()],
    audio: [audioTrack()],
    imageCount: 0,
    textCount: 0,
    bytesRead: 2_400_000,
    readCount: 10,
    budgetExhausted: false,
    ...overrides,
  };
}

function accepted(result: ValidationResult) {
  if (result.verdict !== 'ACCEPTED') {
    throw new Error(`expected ACCEPTED, got ${result.code}: ${result.message}`);
  }
  return result.probe;
}

describe('validateSource', () => {
  describe('accepts', () => {
    it('a 720p H.264 + AAC MP4, producing the probe the planner needs', () => {
      const result = validateSource(summary());

      expect(result).toEqual({
        verdict: 'ACCEPTED',
        probe: {
          container: 'MPEG-4',
          durationSec: 120,
          sizeBytes: 42_100_000,
          video: {
            codec: 'AVC',
            width: 1280,
            height: 720,
            displayWidth: 1280,
            displayHeight: 720,
            rotation: 0,
            frameRate: 30,
            bitDepth: 8,
          },
          audio: { codec: 'AAC', channels: 2, sampleRate: 48_000 },
        },
      });
      expect(validationResultSchema.safeParse(result).success).toBe(true);
    });

    it('a portrait video as stored', () => {
      const probe = accepted(validateSource(summary({ video: [videoTrack({ width: 1080, height: 1920 })] })));

      expect(probe.video).toMatchObject({
        width: 1080,
        height: 1920,
        displayWidth: 1080,
        displayHeight: 1920,
      });
    });

    it('odd dimensions', () => {
      const probe = accepted(validateSource(summary({ video: [videoTrack({ width: 853, height: 481 })] })));

      expect(probe.video).toMatchObject({ width: 853, height: 481 });
    });

    it('a 10-bit HEVC video', () => {
      const probe = accepted(
        validateSource(summary({ video: [videoTrack({ format: 'HEVC', bitDepth: 10 })] })),
      );

      expect(probe.video).toMatchObject({ codec: 'HEVC', bitDepth: 10 });
    });

    it('a VP9 + Opus WebM', () => {
      const probe = accepted(
        validateSource(
          summary({
            container: 'WebM',
            video: [videoTrack({ format: 'VP9', codecId: 'V_VP9', streamSizeBytes: null })],
            audio: [audioTrack({ format: 'Opus', codecId: 'A_OPUS', streamSizeBytes: null })],
          }),
        ),
      );

      expect(probe).toMatchObject({ container: 'WebM', video: { codec: 'VP9' }, audio: { codec: 'Opus' } });
    });

    it('a silent video, with audio null', () => {
      const probe = accepted(validateSource(summary({ audio: [] })));

      expect(probe.audio).toBeNull();
    });

    it.each([
      { rotationDeg: 90, rotation: 90, displayWidth: 720, displayHeight: 1280 },
      { rotationDeg: 270, rotation: 270, displayWidth: 720, displayHeight: 1280 },
      { rotationDeg: 180, rotation: 180, displayWidth: 1280, displayHeight: 720 },
      { rotationDeg: -90, rotation: 270, displayWidth: 720, displayHeight: 1280 },
      { rotationDeg: 45, rotation: 0, displayWidth: 1280, displayHeight: 720 },
    ])(
      'a video rotated $rotationDeg° as rotation $rotation, shown $displayWidth×$displayHeight',
      ({ rotationDeg, rotation, displayWidth, displayHeight }) => {
        const probe = accepted(validateSource(summary({ video: [videoTrack({ rotationDeg })] })));

        expect(probe.video).toMatchObject({
          width: 1280,
          height: 720,
          rotation,
          displayWidth,
          displayHeight,
        });
      },
    );

    it('a frame rate derived from frame count and duration when none is declared', () => {
      const probe = accepted(
        validateSource(summary({ video: [videoTrack({ frameRate: null, frameCount: 2997 })] })),
      );

      expect(probe.video.frameRate).toBe(24.975);
    });

    it('the video track duration when the container declares none', () => {
      const probe = accepted(
        validateSource(summary({ durationSec: null, video: [videoTrack({ durationSec: 95.5 })] })),
      );

      expect(probe.durationSec).toBe(95.5);
    });

    it('defaults that MediaInfo left out: 8-bit video, stereo 48 kHz audio', () => {
      const probe = accepted(
        validateSource(
          summary({
            video: [videoTrack({ format: 'VP8', bitDepth: null })],
            audio: [audioTrack({ channels: null, samplingRate: null })],
          }),
        ),
      );

      expect(probe.video.bitDepth).toBe(8);
      expect(probe.audio).toEqual({ codec: 'AAC', channels: 2, sampleRate: 48_000 });
    });

    it.each([
      { name: 'the smallest shorter side (96)', video: { width: 170, height: 96 } },
      { name: 'the largest longer side (8192)', video: { width: 8192, height: 4320 } },
      { name: 'the lowest frame rate (10)', video: { frameRate: 10 } },
      { name: 'the highest frame rate (120)', video: { frameRate: 120 } },
    ])('exactly $name', ({ video }) => {
      expect(validateSource(summary({ video: [videoTrack(video)] })).verdict).toBe('ACCEPTED');
    });

    it.each([
      { name: 'the shortest duration (1 s)', durationSec: 1 },
      { name: 'the longest duration (6 h)', durationSec: 6 * 3600 },
    ])('exactly $name', ({ durationSec }) => {
      expect(validateSource(summary({ durationSec })).verdict).toBe('ACCEPTED');
    });

    it('exactly the largest size (100 GiB)', () => {
      expect(validateSource(summary({ sizeBytes: 100 * GIB })).verdict).toBe('ACCEPTED');
    });

    it.each(['MPEG Video', 'MPEG-4 Visual', 'ProRes', 'AV1', 'DV'])('the %s codec', (format) => {
      expect(validateSource(summary({ video: [videoTrack({ format })] })).verdict).toBe('ACCEPTED');
    });
  });

  describe('rejects', () => {
    it('an empty file as SOURCE_EMPTY, before anything else', () => {
      const result = validateSource(
        summary({
          sizeBytes: 0,
          container: null,
          durationSec: null,
          video: [],
          audio: [],
          isTruncated: true,
        }),
      );

      expect(result).toEqual({
        verdict: 'REJECTED',
        code: 'SOURCE_EMPTY',
        message: 'The file is empty (0 bytes); the upload may not have completed.',
      });
    });

    it('a file larger than 100 GiB as TOO_LARGE, saying both sizes', () => {
      const result = validateSource(summary({ sizeBytes: 150 * GIB }));

      expect(result).toEqual({
        verdict: 'REJECTED',
        code: 'TOO_LARGE',
        message: 'The file is 150 GiB; the largest accepted is 100 GiB.',
      });
    });

    it('a file larger than a configured limit as TOO_LARGE', () => {
      const result = validateSource(summary({ sizeBytes: 2 * GIB }), { maxSizeBytes: GIB });

      expect(result).toMatchObject({ verdict: 'REJECTED', code: 'TOO_LARGE' });
    });

    it('a file MediaInfo reports as truncated as SOURCE_TRUNCATED, quoting its evidence', () => {
      const result = validateSource(
        summary({
          isTruncated: true,
          conformanceErrors: [
            'File size is less than expected size (actual 508140 50%, expected 1016281, offset 0x12CE)',
          ],
        }),
      );

      expect(result).toMatchObject({ verdict: 'REJECTED', code: 'SOURCE_TRUNCATED' });
      expect(result.verdict === 'REJECTED' && result.message).toContain('expected 1016281');
    });

    it('a truncated MP4 whose index was lost as SOURCE_TRUNCATED, not NO_VIDEO_STREAM', () => {
      const result = validateSource(summary({ isTruncated: true, durationSec: null, video: [], audio: [] }));

      expect(result).toMatchObject({ verdict: 'REJECTED', code: 'SOURCE_TRUNCATED' });
    });

    it('streams declaring more bytes than the file holds as SOURCE_TRUNCATED', () => {
      const result = validateSource(
        summary({ sizeBytes: 20_000_000, video: [videoTrack({ streamSizeBytes: 40_000_000 })] }),
      );

      expect(result).toMatchObject({ verdict: 'REJECTED', code: 'SOURCE_TRUNCATED' });
    });

    it('a file in no recognised format as SOURCE_UNREADABLE', () => {
      const result = validateSource(
        summary({ sizeBytes: 2_000, container: null, durationSec: null, video: [], audio: [] }),
      );

      expect(result).toEqual({
        verdict: 'REJECTED',
        code: 'SOURCE_UNREADABLE',
        message: 'The file is not a video in any format we recognise.',
      });
    });

    it('a container with no readable streams as SOURCE_UNREADABLE', () => {
      const result = validateSource(summary({ durationSec: null, video: [], audio: [] }));

      expect(result).toMatchObject({ verdict: 'REJECTED', code: 'SOURCE_UNREADABLE' });
    });

    it('a video that declares no duration anywhere as SOURCE_UNREADABLE', () => {
      const result = validateSource(
        summary({ container: 'WebM', durationSec: null, video: [videoTrack({ durationSec: null })] }),
      );

      expect(result).toMatchObject({ verdict: 'REJECTED', code: 'SOURCE_UNREADABLE' });
      expect(result.verdict === 'REJECTED' && result.message).toMatch(/duration/);
    });

    it('an audio-only file as NO_VIDEO_STREAM, naming the audio', () => {
      const result = validateSource(summary({ container: 'MPEG-4', video: [] }));

      expect(result).toEqual({
        verdict: 'REJECTED',
        code: 'NO_VIDEO_STREAM',
        message: 'The file has only audio (AAC) and no video track.',
      });
    });

    it('a still image as NO_VIDEO_STREAM', () => {
      const result = validateSource(
        summary({ container: 'PNG', durationSec: null, video: [], audio: [], imageCount: 1 }),
      );

      expect(result).toMatchObject({ verdict: 'REJECTED', code: 'NO_VIDEO_STREAM' });
    });

    it.each([
      { name: 'Theora', format: 'Theora' },
      { name: 'an unknown codec', format: null },
    ])('$name as UNSUPPORTED_CODEC', ({ format }) => {
      const result = validateSource(summary({ video: [videoTrack({ format, codecId: 'theo' })] }));

      expect(result).toMatchObject({ verdict: 'REJECTED', code: 'UNSUPPORTED_CODEC' });
      expect(result.verdict === 'REJECTED' && result.message).toContain('AVC, HEVC');
    });

    it.each([
      { name: 'a shorter side under 96', width: 160, height: 95 },
      { name: 'a longer side over 8192', width: 8193, height: 4320 },
      { name: 'a zero width', width: 0, height: 720 },
      { name: 'an undeclared height', width: 1280, height: null },
    ])('$name as UNSUPPORTED_DIMENSIONS', ({ width, height }) => {
      const result = validateSource(summary({ video: [videoTrack({ width, height })] }));

      expect(result).toMatchObject({ verdict: 'REJECTED', code: 'UNSUPPORTED_DIMENSIONS' });
    });

    it('says the picture size it refused', () => {
      const result = validateSource(summary({ video: [videoTrack({ width: 64, height: 64 })] }));

      expect(result.verdict === 'REJECTED' && result.message).toBe(
        'The picture is 64×64; each side must be at least 96 and at most 8192 pixels.',
      );
    });

    it.each([
      { name: 'under 10 fps', frameRate: 9.99, frameCount: 1199 },
      { name: 'over 120 fps', frameRate: 120.5, frameCount: 14_460 },
      { name: 'with no frame rate or frame count', frameRate: null, frameCount: null },
    ])('a video $name as UNSUPPORTED_FRAME_RATE', ({ frameRate, frameCount }) => {
      const result = validateSource(summary({ video: [videoTrack({ frameRate, frameCount })] }));

      expect(result).toMatchObject({ verdict: 'REJECTED', code: 'UNSUPPORTED_FRAME_RATE' });
    });

    it('a video under a second as TOO_SHORT', () => {
      const result = validateSource(summary({ durationSec: 0.99 }));

      expect(result).toEqual({
        verdict: 'REJECTED',
        code: 'TOO_SHORT',
        message: 'The video is 0.99 s long; the shortest accepted is 1 s.',
      });
    });

    it('a video over six hours as TOO_LONG', () => {
      const result = validateSource(summary({ durationSec: 6 * 3600 + 1 }));

      expect(result).toEqual({
        verdict: 'REJECTED',
        code: 'TOO_LONG',
        message: 'The video is 6:00:01 long; the longest accepted is 6:00:00.',
      });
    });

    it('a video over a configured length as TOO_LONG', () => {
      const result = validateSource(summary({ durationSec: 120 }), { maxDurationSec: 60 });

      expect(result).toMatchObject({ verdict: 'REJECTED', code: 'TOO_LONG' });
    });
  });

  it('keeps its defaults where the pipeline documents them', () => {
    expect(DEFAULT_SOURCE_LIMITS).toEqual({
      maxSizeBytes: 100 * GIB,
      maxDurationSec: 21_600,
      minDurationSec: 1,
      minShortSide: 96,
      maxLongSide: 8192,
      minFrameRate: 10,
      maxFrameRate: 120,
    });
  });

  it('returns only results the contract schema accepts', () => {
    const results = [
      validateSource(summary()),
      validateSource(summary({ sizeBytes: 0 })),
      validateSource(summary({ audio: [], video: [videoTrack({ rotationDeg: 90 })] })),
    ];

    for (const result of results) expect(validationResultSchema.safeParse(result).success).toBe(true);
  });
});
