/**
 * Plans the adaptive-bitrate ladder for one source: which renditions to encode, at what size,
 * bitrate and frame rate. Pure: the same probe always gives the same ladder.
 */
import type { Ladder, Rung, SourceProbe } from '#contracts/media.ts';

/**
 * Standard rungs, by the shorter display side, with their average H.264 bitrate for a 16:9
 * picture at 30 fps. Sizes and rates follow Apple's HLS authoring specification (table 1a,
 * https://developer.apple.com/documentation/http-live-streaming/hls-authoring-specification-for-apple-devices);
 * 1440p and 2160p, which that table only lists for HEVC, are extrapolated from the 1080p
 * bits-per-pixel.
 */
export const STANDARD_RUNGS = [
  { shortSide: 234, bitrate: 145_000 },
  { shortSide: 360, bitrate: 365_000 },
  { shortSide: 432, bitrate: 730_000 },
  { shortSide: 540, bitrate: 2_000_000 },
  { shortSide: 720, bitrate: 4_500_000 },
  { shortSide: 1080, bitrate: 7_800_000 },
  { shortSide: 1440, bitrate: 12_000_000 },
  { shortSide: 2160, bitrate: 20_000_000 },
] as const;

/** Largest shorter side we encode: a bigger source is scaled down to 2160p. */
export const MAX_SHORT_SIDE = 2160;
/**
 * The source's own size becomes an extra top rung only when it is at least this much larger
 * than the standard rung below it; otherwise the two would cost storage for no visible gain.
 */
export const OWN_SIZE_MIN_STEP = 1.1;
/** Keyframe interval, seconds. */
export const GOP_SEC = 2;
/** HLS segment length, seconds: three GOPs, Apple's recommended 6 s. */
export const SEGMENT_SEC = 6;
/** Peak-to-average ratio for the VBV cap (Apple: peak within 200 % of average; we stay well inside). */
export const MAX_BITRATE_RATIO = 1.5;
/** More frames per second need more bits; 50/60 fps content gets half again the 30 fps rate. */
export const HIGH_FRAME_RATE_BITRATE_FACTOR = 1.5;
/** Rungs at or below this short side use Main profile, which the oldest devices decode. */
export const MAIN_PROFILE_MAX_SHORT_SIDE = 360;
/** Every rendition of a source with sound carries this one AAC-LC stereo track. */
export const AUDIO_RENDITION = { bitrate: 128_000, channels: 2, sampleRate: 48_000 } as const;

/** Highest output frame rate; faster sources are halved until they fit. */
const MAX_FRAME_RATE = 60;
/** Slack for frame rates measured from timestamps (59.94006 reads as 59.94). */
const FRAME_RATE_TOLERANCE = 0.005;

/**
 * Chooses the renditions for a probed source.
 *
 * Never upscales; names every rung by its shorter display side so portrait and landscape
 * sources share rung names; keeps the display aspect ratio (after rotation) with even
 * dimensions, as H.264 4:2:0 requires.
 */
export function planLadder(probe: SourceProbe): Ladder {
  const { displayWidth, displayHeight } = probe.video;
  const frameRate = outputFrameRate(probe.video.frameRate);
  const fps = frameRate.numerator / frameRate.denominator;
  const fpsFactor = fps > 30 + FRAME_RATE_TOLERANCE ? HIGH_FRAME_RATE_BITRATE_FACTOR : 1;

  const rungs = rungShortSides(Math.min(displayWidth, displayHeight)).map((shortSide) =>
    planRung(shortSide, displayWidth, displayHeight, fpsFactor),
  );

  return {
    rungs,
    frameRate,
    gopSec: GOP_SEC,
    segmentSec: SEGMENT_SEC,
    audio: probe.audio === null ? null : { ...AUDIO_RENDITION },
  };
}

/** The shorter sides of the rungs for a source whose shorter display side is `sourceShort`, ascending. */
export function rungShortSides(sourceShort: number): number[] {
  const ownSize = evenFloor(Math.min(sourceShort, MAX_SHORT_SIDE));
  const standard = STANDARD_RUNGS.map((r) => r.shortSide as number).filter((s) => s <= ownSize);
  const largestStandard = standard.at(-1);
  if (largestStandard === undefined) {
    // Smaller than the smallest standard rung: one rendition at the source's own size.
    return [Math.max(2, ownSize)];
  }
  return ownSize >= largestStandard * OWN_SIZE_MIN_STEP ? [...standard, ownSize] : standard;
}

/**
 * Output frame rate as an exact fraction. Rates up to 60 are kept (NTSC rates such as 29.97
 * become 30000/1001 so timestamps do not drift); faster sources are halved, which keeps the
 * cadence even and the decode cost within what every HLS client handles.
 */
export function outputFrameRate(sourceFps: number): Ladder['frameRate'] {
  let fps = sourceFps;
  while (fps > MAX_FRAME_RATE + FRAME_RATE_TOLERANCE) fps /= 2;
  const whole = Math.round(fps);
  if (Math.abs(fps - whole) < FRAME_RATE_TOLERANCE) return { numerator: whole, denominator: 1 };
  const ntsc = Math.round(fps * 1.001);
  if (Math.abs(fps - (ntsc * 1000) / 1001) < FRAME_RATE_TOLERANCE) {
    return { numerator: ntsc * 1000, denominator: 1001 };
  }
  const numerator = Math.round(fps * 1000);
  const divisor = gcd(numerator, 1000);
  return { numerator: numerator / divisor, denominator: 1000 / divisor };
}

function planRung(shortSide: number, displayWidth: number, displayHeight: number, fpsFactor: number): Rung {
  const landscape = displayWidth >= displayHeight;
  const sourceLong = Math.max(displayWidth, displayHeight);
  const sourceShort = Math.min(displayWidth, displayHeight);
  // Round the long side to even, but never past the source's own (even) long side.
  const longSide = Math.max(
    2,
    Math.min(evenRound((shortSide * sourceLong) / sourceShort), evenFloor(Math.max(sourceLong, 2))),
  );
  const width = landscape ? longSide : shortSide;
  const height = landscape ? shortSide : longSide;
  const videoBitrate = roundToKbps(bitsPerPixel(shortSide) * width * height * fpsFactor);
  return {
    name: `${shortSide}p`,
    width,
    height,
    videoBitrate,
    maxBitrate: roundToKbps(videoBitrate * MAX_BITRATE_RATIO),
    profile: shortSide <= MAIN_PROFILE_MAX_SHORT_SIDE ? 'MAIN' : 'HIGH',
  };
}

/**
 * Bits per pixel (per frame-second at 30 fps) for a rung, taken from the standard table and
 * interpolated for a source-sized rung that falls between two standard ones.
 */
function bitsPerPixel(shortSide: number): number {
  const bpp = STANDARD_RUNGS.map((r) => ({
    shortSide: r.shortSide as number,
    bpp: r.bitrate / (r.shortSide * ((r.shortSide * 16) / 9)),
  }));
  const first = bpp[0];
  const last = bpp.at(-1);
  if (first === undefined || last === undefined) throw new Error('STANDARD_RUNGS is empty');
  if (shortSide <= first.shortSide) return first.bpp;
  if (shortSide >= last.shortSide) return last.bpp;
  for (let i = 1; i < bpp.length; i++) {
    const lo = bpp[i - 1];
    const hi = bpp[i];
    if (lo === undefined || hi === undefined) continue;
    if (shortSide <= hi.shortSide) {
      const t = (shortSide - lo.shortSide) / (hi.shortSide - lo.shortSide);
      return lo.bpp + t * (hi.bpp - lo.bpp);
    }
  }
  return last.bpp;
}

function evenFloor(n: number): number {
  return Math.floor(n / 2) * 2;
}

function evenRound(n: number): number {
  return Math.round(n / 2) * 2;
}

function roundToKbps(bps: number): number {
  return Math.max(1000, Math.round(bps / 1000) * 1000);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
