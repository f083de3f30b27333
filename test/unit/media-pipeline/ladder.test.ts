import { describe, expect, it } from 'vitest';
import type { Ladder, SourceProbe } from '#contracts/media.ts';
import { outputFrameRate, planLadder, rungShortSides } from '#media-pipeline/domain/ladder.ts';

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

const SOURCES: Record<string, SourceProbe> = {
  '720p': probe({ width: 1280, height: 720 }),
  '1080p': probe({ width: 1920, height: 1080 }),
  '4K': probe({ width: 3840, height: 2160 }),
  'DCI 4K+': probe({ width: 4096, height: 2304 }),
  portrait: probe({ width: 720, height: 1280 }),
  'rotated 90°': probe({ width: 1920, height: 1080, displayWidth: 1080, displayHeight: 1920, rotation: 90 }),
  '853x481': probe({ width: 853, height: 481 }),
  '160x120': probe({ width: 160, height: 120 }),
  '175x99': probe({ width: 175, height: 99 }),
  '10-bit': probe({ width: 1920, height: 1080, bitDepth: 10, codec: 'HEVC' }),
  '60 fps': probe({ width: 1920, height: 1080, frameRate: 60 }),
  silent: probe({ width: 1280, height: 720 }, null),
};

function names(ladder: Ladder): string[] {
  return ladder.rungs.map((r) => r.name);
}

describe('planLadder', () => {
  describe.each(Object.entries(SOURCES))('for a %s source', (_, source) => {
    const ladder = planLadder(source);

    it('never upscales beyond the display size', () => {
      for (const rung of ladder.rungs) {
        expect(rung.width).toBeLessThanOrEqual(source.video.displayWidth);
        expect(rung.height).toBeLessThanOrEqual(source.video.displayHeight);
      }
    });

    it('uses even dimensions', () => {
      for (const rung of ladder.rungs) {
        expect(rung.width % 2).toBe(0);
        expect(rung.height % 2).toBe(0);
      }
    });

    it('keeps the display aspect ratio within rounding', () => {
      const aspect = source.video.displayWidth / source.video.displayHeight;
      for (const rung of ladder.rungs) {
        expect(Math.abs(rung.width / rung.height - aspect) / aspect).toBeLessThan(0.02);
      }
    });

    it('names rungs by the shorter side, ascending, with rising bitrates', () => {
      for (const rung of ladder.rungs) expect(rung.name).toBe(`${Math.min(rung.width, rung.height)}p`);
      const bitrates = ladder.rungs.map((r) => r.videoBitrate);
      expect(bitrates).toEqual([...bitrates].sort((a, b) => a - b));
      expect(new Set(names(ladder)).size).toBe(ladder.rungs.length);
    });

    it('caps the peak at 1.5 times the average', () => {
      for (const rung of ladder.rungs) {
        expect(rung.maxBitrate / rung.videoBitrate).toBeCloseTo(1.5, 1);
      }
    });

    it('cuts 6 s segments from whole 2 s GOPs', () => {
      expect(ladder.gopSec).toBe(2);
      expect(ladder.segmentSec).toBe(6);
      expect(ladder.segmentSec % ladder.gopSec).toBe(0);
    });
  });

  it('gives a 1080p source the six standard rungs from 234p to 1080p', () => {
    const ladder = planLadder(SOURCES['1080p'] as SourceProbe);

    expect(ladder.rungs.map((r) => `${r.width}x${r.height}`)).toEqual([
      '416x234',
      '640x360',
      '768x432',
      '960x540',
      '1280x720',
      '1920x1080',
    ]);
    expect(ladder.rungs.map((r) => r.videoBitrate)).toEqual([
      145_000, 365_000, 730_000, 2_000_000, 4_500_000, 7_800_000,
    ]);
    expect(ladder.rungs.map((r) => r.profile)).toEqual(['MAIN', 'MAIN', 'HIGH', 'HIGH', 'HIGH', 'HIGH']);
    expect(ladder.frameRate).toEqual({ numerator: 30, denominator: 1 });
    expect(ladder.audio).toEqual({ bitrate: 128_000, channels: 2, sampleRate: 48_000 });
  });

  it('tops a 720p source out at 720p', () => {
    expect(names(planLadder(SOURCES['720p'] as SourceProbe))).toEqual([
      '234p',
      '360p',
      '432p',
      '540p',
      '720p',
    ]);
  });

  it('gives a 4K source eight rungs up to 3840x2160', () => {
    const ladder = planLadder(SOURCES['4K'] as SourceProbe);

    expect(names(ladder)).toEqual(['234p', '360p', '432p', '540p', '720p', '1080p', '1440p', '2160p']);
    expect(ladder.rungs.at(-1)).toMatchObject({ width: 3840, height: 2160, videoBitrate: 20_000_000 });
  });

  it('scales a source larger than 2160p down to a 2160p top rung', () => {
    const ladder = planLadder(SOURCES['DCI 4K+'] as SourceProbe);

    expect(ladder.rungs.at(-1)).toMatchObject({ name: '2160p', width: 3840, height: 2160 });
  });

  it('names portrait rungs by their width, so 720x1280 is 720p', () => {
    const ladder = planLadder(SOURCES.portrait as SourceProbe);

    expect(ladder.rungs.at(-1)).toMatchObject({ name: '720p', width: 720, height: 1280 });
    expect(ladder.rungs[1]).toMatchObject({ name: '360p', width: 360, height: 640 });
  });

  it('plans a rotated source from its display dimensions', () => {
    const ladder = planLadder(SOURCES['rotated 90°'] as SourceProbe);

    expect(ladder.rungs.at(-1)).toMatchObject({ name: '1080p', width: 1080, height: 1920 });
  });

  it('costs a portrait rung the same as the landscape rung with the same pixels', () => {
    const portrait = planLadder(SOURCES.portrait as SourceProbe).rungs.at(-1);
    const landscape = planLadder(SOURCES['720p'] as SourceProbe).rungs.at(-1);

    expect(portrait?.videoBitrate).toBe(landscape?.videoBitrate);
  });

  it('scales bitrate with pixel count for non-16:9 pictures', () => {
    const fourThree = planLadder(probe({ width: 960, height: 720 })).rungs.at(-1);

    expect(fourThree?.videoBitrate).toBe(Math.round((4_500_000 * 0.75) / 1000) * 1000);
  });

  it('adds the source’s own size as a top rung when it is well above the standard rung below', () => {
    const ladder = planLadder(SOURCES['853x481'] as SourceProbe);

    expect(names(ladder)).toEqual(['234p', '360p', '432p', '480p']);
    expect(ladder.rungs.at(-1)).toMatchObject({ width: 852, height: 480 });
    const [, , rung432, rung480] = ladder.rungs;
    expect(rung480?.videoBitrate).toBeGreaterThan(rung432?.videoBitrate ?? Number.POSITIVE_INFINITY);
  });

  it('drops a source size that is barely above a standard rung', () => {
    expect(names(planLadder(probe({ width: 1920, height: 1088 })))).toEqual([
      '234p',
      '360p',
      '432p',
      '540p',
      '720p',
      '1080p',
    ]);
  });

  it('gives a source smaller than 234p one rung at its own size', () => {
    expect(planLadder(SOURCES['160x120'] as SourceProbe).rungs).toEqual([
      expect.objectContaining({ name: '120p', width: 160, height: 120, profile: 'MAIN' }),
    ]);
    expect(planLadder(SOURCES['175x99'] as SourceProbe).rungs).toEqual([
      expect.objectContaining({ name: '98p', width: 174, height: 98 }),
    ]);
  });

  it('plans a 10-bit source like an 8-bit one, with 8-bit profiles only', () => {
    const tenBit = planLadder(SOURCES['10-bit'] as SourceProbe);

    expect(tenBit.rungs).toEqual(planLadder(SOURCES['1080p'] as SourceProbe).rungs);
    for (const rung of tenBit.rungs) expect(['MAIN', 'HIGH']).toContain(rung.profile);
  });

  it('keeps 60 fps and spends half again the bitrate on it', () => {
    const sixty = planLadder(SOURCES['60 fps'] as SourceProbe);
    const thirty = planLadder(SOURCES['1080p'] as SourceProbe);

    expect(sixty.frameRate).toEqual({ numerator: 60, denominator: 1 });
    sixty.rungs.forEach((rung, i) => {
      expect(rung.videoBitrate).toBe(Math.round(((thirty.rungs[i]?.videoBitrate ?? 0) * 1.5) / 1000) * 1000);
    });
  });

  it('gives a silent source no audio rendition', () => {
    expect(planLadder(SOURCES.silent as SourceProbe).audio).toBeNull();
  });
});

describe('outputFrameRate', () => {
  it.each([
    [25, 25, 1],
    [30, 30, 1],
    [50, 50, 1],
    [60, 60, 1],
    [23.976, 24_000, 1001],
    [29.97, 30_000, 1001],
    [59.94, 60_000, 1001],
    [59.94006, 60_000, 1001],
    [120, 60, 1],
    [119.88, 60_000, 1001],
    [240, 60, 1],
    [12.5, 25, 2],
  ])('turns %s fps into %i/%i', (fps, numerator, denominator) => {
    expect(outputFrameRate(fps)).toEqual({ numerator, denominator });
  });
});

describe('rungShortSides', () => {
  it('lists the standard sides up to the source and caps at 2160', () => {
    expect(rungShortSides(720)).toEqual([234, 360, 432, 540, 720]);
    expect(rungShortSides(3000)).toEqual([234, 360, 432, 540, 720, 1080, 1440, 2160]);
  });

  it('adds the source side only from 10 % above the next standard side', () => {
    expect(rungShortSides(593)).toEqual([234, 360, 432, 540]);
    expect(rungShortSides(594)).toEqual([234, 360, 432, 540, 594]);
  });
});
