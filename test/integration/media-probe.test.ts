import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '#media-pipeline/adapters/media-probe.ts';
import { validateSource } from '#media-pipeline/domain/validation.ts';
import {
  type ClipSpec,
  makeAudioOnly,
  makeClip,
  makeEmptyFile,
  makeStillImage,
  makeTextFile,
  makeTruncated,
} from '../support/clips.ts';
import { fileRangeReader } from '../support/file-range-reader.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'showrunner-probe-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function probeFile(path: string) {
  const reader = await fileRangeReader(path);
  const summary = await probeMedia(reader);
  return { reader, summary, result: validateSource(summary) };
}

describe('media probe', () => {
  describe('accepts', () => {
    it('a 720p H.264 + AAC MP4, with its exact properties', async () => {
      const path = await makeClip(dir, { width: 1280, height: 720, durationSec: 2, fps: 30 });
      const { reader, result } = await probeFile(path);

      expect(result).toEqual({
        verdict: 'ACCEPTED',
        probe: {
          container: 'MPEG-4',
          durationSec: 2,
          sizeBytes: reader.size,
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
    });

    it('a portrait video, keeping its portrait dimensions', async () => {
      const path = await makeClip(dir, { width: 360, height: 640 });
      const { result } = await probeFile(path);

      expect(result.verdict).toBe('ACCEPTED');
      if (result.verdict !== 'ACCEPTED') return;
      expect(result.probe.video).toMatchObject({
        width: 360,
        height: 640,
        displayWidth: 360,
        displayHeight: 640,
      });
    });

    it('a silent video, with audio null', async () => {
      const path = await makeClip(dir, { audio: false });
      const { result } = await probeFile(path);

      expect(result.verdict).toBe('ACCEPTED');
      if (result.verdict !== 'ACCEPTED') return;
      expect(result.probe.audio).toBeNull();
    });

    it('a 10-bit H.264 video, reporting bit depth 10', async () => {
      const path = await makeClip(dir, { pixFmt: 'yuv420p10le' });
      const { result } = await probeFile(path);

      expect(result.verdict).toBe('ACCEPTED');
      if (result.verdict !== 'ACCEPTED') return;
      expect(result.probe.video).toMatchObject({ codec: 'AVC', bitDepth: 10 });
    });

    it('an HEVC MP4', async () => {
      const path = await makeClip(dir, { format: 'mp4-hevc' });
      const { result } = await probeFile(path);

      expect(result.verdict).toBe('ACCEPTED');
      if (result.verdict !== 'ACCEPTED') return;
      expect(result.probe.video.codec).toBe('HEVC');
    });

    it('a VP9 + Opus WebM', async () => {
      const path = await makeClip(dir, { format: 'webm-vp9', fps: 25 });
      const { result } = await probeFile(path);

      expect(result.verdict).toBe('ACCEPTED');
      if (result.verdict !== 'ACCEPTED') return;
      expect(result.probe).toMatchObject({
        container: 'WebM',
        video: { codec: 'VP9', width: 320, height: 180, frameRate: 25 },
        audio: { codec: 'Opus', channels: 2, sampleRate: 48_000 },
      });
    });

    it('an H.264 Matroska file', async () => {
      const path = await makeClip(dir, { format: 'mkv-h264' });
      const { result } = await probeFile(path);

      expect(result.verdict).toBe('ACCEPTED');
      if (result.verdict !== 'ACCEPTED') return;
      expect(result.probe).toMatchObject({ container: 'Matroska', video: { codec: 'AVC' } });
    });

    it('a phone video rotated 90°, swapping its display dimensions', async () => {
      const path = await makeClip(dir, { width: 640, height: 360, rotation: 90 });
      const { result } = await probeFile(path);

      expect(result.verdict).toBe('ACCEPTED');
      if (result.verdict !== 'ACCEPTED') return;
      expect(result.probe.video).toMatchObject({
        width: 640,
        height: 360,
        rotation: 90,
        displayWidth: 360,
        displayHeight: 640,
      });
    });

    it('odd dimensions (853×481) as they are', async () => {
      const path = await makeClip(dir, { width: 853, height: 481, format: 'webm-vp9', audio: false });
      const { result } = await probeFile(path);

      expect(result.verdict).toBe('ACCEPTED');
      if (result.verdict !== 'ACCEPTED') return;
      expect(result.probe.video).toMatchObject({
        width: 853,
        height: 481,
        displayWidth: 853,
        displayHeight: 481,
      });
    });
  });

  describe('rejects', () => {
    it('an empty file as SOURCE_EMPTY', async () => {
      const path = await makeEmptyFile(dir);
      const { reader, result } = await probeFile(path);

      expect(result).toMatchObject({ verdict: 'REJECTED', code: 'SOURCE_EMPTY' });
      expect(reader.reads).toEqual([]);
    });

    // MediaInfo flags every one IsTruncated. An MP4 cut before its index (moov at the end) keeps
    // no tracks at all; the others keep their tracks and full declared duration, plus a
    // "File size is less than expected size" conformance error.
    const truncations: ReadonlyArray<{ name: string; spec: ClipSpec; fraction: number; tracks: number }> = [
      { name: 'an MP4 cut in half, index (moov) at the end', spec: {}, fraction: 0.5, tracks: 0 },
      {
        name: 'an MP4 cut just before its end, index (moov) at the end',
        spec: {},
        fraction: 0.99,
        tracks: 1,
      },
      {
        name: 'a faststart MP4 cut in half, index at the front',
        spec: { faststart: true },
        fraction: 0.5,
        tracks: 1,
      },
      { name: 'a WebM cut in half', spec: { format: 'webm-vp9' }, fraction: 0.5, tracks: 1 },
      { name: 'a Matroska file cut in half', spec: { format: 'mkv-h264' }, fraction: 0.5, tracks: 1 },
    ];
    it.each(truncations)('$name as SOURCE_TRUNCATED', async ({ spec, fraction, tracks }) => {
      const whole = await makeClip(dir, { durationSec: 3, ...spec });
      const path = await makeTruncated(whole, fraction);
      const { summary, result } = await probeFile(path);

      expect(summary.isTruncated).toBe(true);
      expect(summary.video).toHaveLength(tracks);
      expect(result).toMatchObject({ verdict: 'REJECTED', code: 'SOURCE_TRUNCATED' });
    });

    it('a text file named .mp4 as SOURCE_UNREADABLE', async () => {
      const path = await makeTextFile(dir);
      const { summary, result } = await probeFile(path);

      expect(summary.container).toBeNull();
      expect(result).toMatchObject({ verdict: 'REJECTED', code: 'SOURCE_UNREADABLE' });
    });

    it('arbitrary bytes as SOURCE_UNREADABLE', async () => {
      const path = join(dir, 'noise.mov');
      // Deterministic noise (a fixed xorshift), so the test cannot flake on a lucky magic number.
      const bytes = new Uint8Array(64 * 1024);
      let state = 0x9e3779b9;
      for (let i = 0; i < bytes.length; i += 1) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        bytes[i] = state & 0xff;
      }
      await writeFile(path, bytes);
      const { result } = await probeFile(path);

      expect(result).toMatchObject({ verdict: 'REJECTED', code: 'SOURCE_UNREADABLE' });
    });

    it('an audio-only file as NO_VIDEO_STREAM', async () => {
      const path = await makeAudioOnly(dir);
      const { summary, result } = await probeFile(path);

      expect(summary.audio).toHaveLength(1);
      expect(result).toMatchObject({ verdict: 'REJECTED', code: 'NO_VIDEO_STREAM' });
    });

    it('a still image as NO_VIDEO_STREAM', async () => {
      const path = await makeStillImage(dir);
      const { summary, result } = await probeFile(path);

      expect(summary.imageCount).toBe(1);
      expect(result).toMatchObject({ verdict: 'REJECTED', code: 'NO_VIDEO_STREAM' });
    });

    it('a clip shorter than a second as TOO_SHORT', async () => {
      const path = await makeClip(dir, { durationSec: 0.5 });
      const { result } = await probeFile(path);

      expect(result).toMatchObject({ verdict: 'REJECTED', code: 'TOO_SHORT' });
    });
  });

  describe('reads', () => {
    it('well under the whole of a multi-MB MP4 whose index is at the end', async () => {
      const path = await makeClip(dir, { durationSec: 120, fps: 30 });
      const { reader, summary, result } = await probeFile(path);

      expect(reader.size).toBeGreaterThan(8 * 1024 ** 2);
      expect(summary.bytesRead).toBe(reader.reads.reduce((total, read) => total + read.length, 0));
      expect(summary.bytesRead).toBeLessThan(reader.size * 0.25);
      expect(summary.budgetExhausted).toBe(false);
      expect(result).toMatchObject({ verdict: 'ACCEPTED', probe: { durationSec: 120 } });
    });

    it('no more than its byte budget, still reporting the header facts', async () => {
      const path = await makeClip(dir, { durationSec: 120, fps: 30 });
      const reader = await fileRangeReader(path);
      const summary = await probeMedia(reader, { maxBytes: 512 * 1024 });

      // MediaInfo asks for 256 KiB at a time; the budget is checked before each read.
      expect(summary.bytesRead).toBeLessThanOrEqual(512 * 1024 + 256 * 1024);
      expect(summary.budgetExhausted).toBe(true);
      expect(validateSource(summary)).toMatchObject({
        verdict: 'ACCEPTED',
        probe: { durationSec: 120, video: { codec: 'AVC', width: 320, height: 180, frameRate: 30 } },
      });
    });

    it('one source at a time, so concurrent probes both complete', async () => {
      const [a, b] = await Promise.all([
        makeClip(dir, { width: 1280, height: 720, durationSec: 2, fps: 30 }),
        makeClip(dir, { format: 'webm-vp9', fps: 25 }),
      ]);
      const [first, second] = await Promise.all([probeFile(a), probeFile(b)]);

      expect(first.summary.container).toBe('MPEG-4');
      expect(second.summary.container).toBe('WebM');
    });
  });
});
