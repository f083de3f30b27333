/**
 * JPEG decoding for the artwork chooser: jpeg-js, pure JavaScript, so the step runs in any Lambda
 * runtime with no native module or layer. About 17 ms for a 640×360 capture on one core.
 */
import { createHash } from 'node:crypto';
import jpeg from 'jpeg-js';
import { type LumaFrame, lumaFromRgb } from '../domain/artwork.ts';

/** Refuse anything far larger than a capture (640 px long side) before allocating for it. */
const MAX_RESOLUTION_MP = 4;
const MAX_MEMORY_MB = 64;

/** Decodes a baseline or progressive JPEG to its luma plane; throws on anything else. */
export function decodeJpegLuma(bytes: Uint8Array): LumaFrame {
  const image = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: false,
    maxResolutionInMP: MAX_RESOLUTION_MP,
    maxMemoryUsageInMB: MAX_MEMORY_MB,
  });
  return lumaFromRgb(image.width, image.height, image.data, 3);
}

/** Artwork id of an image: the first 16 hex digits (64 bits) of its SHA-256. */
export function artworkDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}
