import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceProbe } from '#contracts/media.ts';
import { runLocalTranscode, TranscodeError, type TranscodeIo } from '#local/transcoder/index.ts';
import { buildTranscodeJobSettings, describeOutputKeys } from '#media-pipeline/domain/job-settings.ts';
import { planLadder } from '#media-pipeline/domain/ladder.ts';
import { playlistKeysReferencedBy, type VerifyResult, verifyOutputs } from '#media-pipeline/domain/verify.ts';

const run = promisify(execFile);
const DURATION_SEC = 3;
const MEDIA_BUCKET = 'media';
const INGEST_BUCKET = 'ingest';

let root: string;

/** s3://bucket/key ↔ <root>/<bucket>/<key>, recording what was stored and with which type. */
function fsIo(): TranscodeIo & { stored: Map<string, string> } {
  const stored = new Map<string, string>();
  const pathOf = (uri: string): string => {
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    if (match?.[1] === undefined || match[2] === undefined) throw new Error(`bad uri ${uri}`);
    return join(root, match[1], ...match[2].split('/'));
  };
  return {
    stored,
    async fetchInput(uri) {
      const path = pathOf(uri);
      await stat(path);
      return path;
    },
    async storeOutput(uri, localPath, contentType) {
      const path = pathOf(uri);
      await mkdir(dirname(path), { recursive: true });
      await copyFile(localPath, path);
      stored.set(uri, contentType);
    },
  };
}

async function ffmpeg(...args: string[]): Promise<void> {
  await run('ffmpeg', ['-v', 'error', '-y', ...args]);
}

async function listKeys(bucket: string, prefix: string): Promise<Set<string>> {
  const base = join(root, bucket);
  const entries = await readdir(join(base, ...prefix.split('/')), {
    recursive: true,
    withFileTypes: true,
  }).catch(() => []);
  return new Set(
    entries
      .filter((e) => e.isFile())
      .map((e) => relative(base, join(e.parentPath, e.name)).split(sep).join('/')),
  );
}

function probe(overrides: {
  width: number;
  height: number;
  codec?: string;
  bitDepth?: number;
  container?: string;
  audio?: boolean;
}): SourceProbe {
  return {
    container: overrides.container ?? 'MPEG-4',
    durationSec: DURATION_SEC,
    sizeBytes: 100_000,
    video: {
      codec: overrides.codec ?? 'AVC',
      width: overrides.width,
      height: overrides.height,
      displayWidth: overrides.width,
      displayHeight: overrides.height,
      rotation: 0,
      frameRate: 30,
      bitDepth: overrides.bitDepth ?? 8,
    },
    audio: overrides.audio === false ? null : { codec: 'AAC', channels: 2, sampleRate: 48_000 },
  };
}

interface Transcoded {
  verdict: VerifyResult;
  masterPath: string;
  stored: Map<string, string>;
  progress: number[];
}

/** Plans, builds settings, transcodes locally, then runs the pure verify over what landed. */
async function transcode(
  file: string,
  sourceProbe: SourceProbe,
  assetId: string,
  captions: { lang: string; uri: string }[] = [],
): Promise<Transcoded> {
  const ladder = planLadder(sourceProbe);
  const settings = buildTranscodeJobSettings({
    sourceUri: `s3://${INGEST_BUCKET}/sources/${assetId}/${file}`,
    captions,
    destinationUri: `s3://${MEDIA_BUCKET}/media/title-1/${assetId}/`,
    ladder,
  });
  const io = fsIo();
  const progress: number[] = [];
  await runLocalTranscode(settings, io, {
    workDir: join(root, 'work', assetId),
    onProgress: (p) => progress.push(p),
  });

  const layout = describeOutputKeys(settings);
  const existingKeys = await listKeys(MEDIA_BUCKET, `media/title-1/${assetId}/`);
  const masterPath = join(root, MEDIA_BUCKET, layout.masterPlaylistKey);
  const masterPlaylist = await readFile(masterPath, 'utf8');
  const renditionPlaylists: Record<string, string> = {};
  for (const key of playlistKeysReferencedBy(layout.masterPlaylistKey, masterPlaylist)) {
    renditionPlaylists[key] = await readFile(join(root, MEDIA_BUCKET, key), 'utf8');
  }
  const verdict = verifyOutputs({
    layout,
    masterPlaylist,
    renditionPlaylists,
    existingKeys,
    sourceDurationSec: sourceProbe.durationSec,
  });
  return { verdict, masterPath, stored: io.stored, progress };
}

async function decodes(masterPath: string): Promise<void> {
  await run('ffmpeg', ['-v', 'error', '-i', masterPath, '-f', 'null', '-']);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'showrunner-transcoder-'));
  const sources = join(root, INGEST_BUCKET, 'sources');
  const src = (id: string, file: string): string => join(sources, id, file);
  for (const id of ['landscape', 'portrait', 'rotated', 'silent', 'tenbit', 'vp9', 'broken']) {
    await mkdir(join(sources, id), { recursive: true });
  }
  const d = String(DURATION_SEC);
  const tone = ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${d}`];
  await Promise.all([
    ffmpeg(
      ...['-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=30:duration=${d}`, ...tone],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest'],
      src('landscape', 'clip.mp4'),
    ),
    ffmpeg(
      ...['-f', 'lavfi', '-i', `testsrc2=size=360x640:rate=30:duration=${d}`, ...tone],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest'],
      src('portrait', 'clip.mp4'),
    ),
    ffmpeg(
      ...['-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=30:duration=${d}`],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
      src('silent', 'clip.mp4'),
    ),
    ffmpeg(
      ...['-f', 'lavfi', '-i', `testsrc2=size=320x180:rate=30:duration=${d}`, ...tone],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'high10', '-pix_fmt', 'yuv420p10le'],
      ...['-c:a', 'aac', '-shortest'],
      src('tenbit', 'clip.mp4'),
    ),
    ffmpeg(
      ...['-f', 'lavfi', '-i', `testsrc2=size=256x144:rate=30:duration=${d}`, ...tone],
      ...['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '200k'],
      ...['-c:a', 'libopus', '-shortest'],
      src('vp9', 'clip.webm'),
    ),
    writeFile(src('broken', 'clip.mp4'), 'this is not a video'),
  ]);
  // A phone-style clip: landscape pixels with a 90° display matrix (set by stream copy).
  const unrotated = join(root, 'unrotated.mp4');
  await ffmpeg(
    ...['-f', 'lavfi', '-i', `testsrc2=size=320x180:rate=30:duration=${d}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', unrotated],
  );
  await ffmpeg('-i', unrotated, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', src('rotated', 'clip.mp4'));
  const sidecars = join(root, INGEST_BUCKET, 'sidecars', 'landscape');
  await mkdir(sidecars, { recursive: true });
  await writeFile(
    join(sidecars, 'en.vtt'),
    'WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello\n\n00:00:01.500 --> 00:00:03.000\nWorld\n',
  );
});

afterAll(async () => {
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

describe('local transcoder', () => {
  it('publishes a verifiable 720p ladder with audio and English captions', async () => {
    const result = await transcode('clip.mp4', probe({ width: 1280, height: 720 }), 'landscape', [
      { lang: 'en', uri: `s3://${INGEST_BUCKET}/sidecars/landscape/en.vtt` },
    ]);

    expect(result.verdict).toMatchObject({ ok: true });
    if (!result.verdict.ok) return;
    const asset = result.verdict.asset;
    expect(asset.manifestKey).toBe('media/title-1/landscape/hls/index.m3u8');
    expect(asset.renditions.length).toBeGreaterThanOrEqual(3);
    expect(asset.renditions.map((r) => r.name)).toEqual(['234p', '360p', '432p', '540p', '720p']);
    expect(asset.renditions.at(-1)).toMatchObject({
      width: 1280,
      height: 720,
      playlistKey: 'media/title-1/landscape/hls/index_720p.m3u8',
    });
    expect(asset.audio).toBe(true);
    expect(asset.captions).toEqual([
      { lang: 'en', playlistKey: 'media/title-1/landscape/hls/index_en.m3u8' },
    ]);
    expect(asset.posterKey).toBe('media/title-1/landscape/poster/poster.0000000.jpg');
    expect(asset.thumbnails).toEqual({
      intervalSec: 10,
      keys: ['media/title-1/landscape/thumbnails/thumb.0000000.jpg'],
    });
    expect(asset.durationSec).toBeCloseTo(DURATION_SEC, 0);
    await decodes(result.masterPath);
  });

  it('names files as MediaConvert does and stores them with their content types', async () => {
    const result = await transcode('clip.mp4', probe({ width: 360, height: 640 }), 'portrait');

    const prefix = `s3://${MEDIA_BUCKET}/media/title-1/portrait/`;
    expect(result.stored.get(`${prefix}hls/index.m3u8`)).toBe('application/vnd.apple.mpegurl');
    expect(result.stored.get(`${prefix}hls/index_360p.m3u8`)).toBe('application/vnd.apple.mpegurl');
    expect(result.stored.get(`${prefix}hls/index_360pinit.cmfv`)).toBe('video/mp4');
    expect(result.stored.get(`${prefix}hls/index_360p_000000001.cmfv`)).toBe('video/mp4');
    expect(result.stored.get(`${prefix}hls/index_audioinit.cmfa`)).toBe('audio/mp4');
    expect(result.stored.get(`${prefix}hls/index_audio_000000001.cmfa`)).toBe('audio/mp4');
    expect(result.stored.get(`${prefix}poster/poster.0000000.jpg`)).toBe('image/jpeg');
    expect([...result.stored.keys()].some((k) => k.includes('.ffmpeg'))).toBe(false);
    expect(result.verdict).toMatchObject({
      ok: true,
      asset: {
        renditions: [
          { name: '234p', width: 234, height: 416 },
          { name: '360p', width: 360, height: 640 },
        ],
      },
    });
    const master = await readFile(result.masterPath, 'utf8');
    expect(master).toMatch(/BANDWIDTH=\d+,AVERAGE-BANDWIDTH=\d+,CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"/);
    expect(master).toContain('RESOLUTION=360x640');
    expect(master).toContain('#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio"');
    await decodes(result.masterPath);
  });

  it('applies rotation metadata, as MediaConvert does with Rotate AUTO', async () => {
    const rotated = {
      ...probe({ width: 320, height: 180, audio: false }),
      video: {
        ...probe({ width: 320, height: 180 }).video,
        displayWidth: 180,
        displayHeight: 320,
        rotation: 90 as const,
      },
    };

    const result = await transcode('clip.mp4', rotated, 'rotated');

    expect(result.verdict).toMatchObject({
      ok: true,
      asset: { renditions: [{ name: '180p', width: 180, height: 320 }] },
    });
    const { stdout } = await run('ffprobe', [
      ...['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0'],
      join(root, MEDIA_BUCKET, 'media/title-1/rotated/poster/poster.0000000.jpg'),
    ]);
    expect(stdout.trim()).toBe('180,320');
    await decodes(result.masterPath);
  });

  it('publishes a video-only ladder for a silent source', async () => {
    const result = await transcode('clip.mp4', probe({ width: 320, height: 240, audio: false }), 'silent');

    expect(result.verdict).toMatchObject({ ok: true, asset: { audio: false, captions: [] } });
    expect([...result.stored.keys()].some((k) => k.includes('_audio'))).toBe(false);
    expect(await readFile(result.masterPath, 'utf8')).not.toContain('TYPE=AUDIO');
    await decodes(result.masterPath);
  });

  it('converts a 10-bit source to 8-bit 4:2:0 H.264', async () => {
    const result = await transcode('clip.mp4', probe({ width: 320, height: 180, bitDepth: 10 }), 'tenbit');

    expect(result.verdict).toMatchObject({ ok: true, asset: { renditions: [{ name: '180p' }] } });
    const init = join(root, MEDIA_BUCKET, 'media/title-1/tenbit/hls/index_180p_000000001.cmfv');
    const { stdout } = await run('ffprobe', [
      ...[
        '-v',
        'error',
        '-select_streams',
        'v:0',
        '-show_entries',
        'stream=pix_fmt,profile',
        '-of',
        'csv=p=0',
      ],
      `concat:${join(root, MEDIA_BUCKET, 'media/title-1/tenbit/hls/index_180pinit.cmfv')}|${init}`,
    ]);
    expect(stdout.trim()).toMatch(/^(Main|High),yuv420p$/);
    await decodes(result.masterPath);
  });

  it('transcodes a VP9/Opus WebM source', async () => {
    const result = await transcode(
      'clip.webm',
      probe({ width: 256, height: 144, codec: 'VP9', container: 'WebM' }),
      'vp9',
    );

    expect(result.verdict).toMatchObject({
      ok: true,
      asset: { audio: true, renditions: [{ name: '144p' }] },
    });
    await decodes(result.masterPath);
  });

  it('reports progress up to 100', async () => {
    const result = await transcode('clip.mp4', probe({ width: 320, height: 240, audio: false }), 'silent');

    expect(result.progress.at(-1)).toBe(100);
    expect(result.progress).toEqual([...result.progress].sort((a, b) => a - b));
  });

  it('fails with FFMPEG_FAILED and the end of ffmpeg’s log for an unreadable source', async () => {
    const settings = buildTranscodeJobSettings({
      sourceUri: `s3://${INGEST_BUCKET}/sources/broken/clip.mp4`,
      captions: [],
      destinationUri: `s3://${MEDIA_BUCKET}/media/title-1/broken/`,
      ladder: planLadder(probe({ width: 320, height: 240 })),
    });

    const error = await runLocalTranscode(settings, fsIo(), { workDir: join(root, 'work', 'broken') }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(TranscodeError);
    expect(error).toMatchObject({ name: 'TranscodeError', code: 'FFMPEG_FAILED' });
    expect((error as TranscodeError).stderrTail).toMatch(/Invalid data|moov atom not found/);
    expect(await listKeys(MEDIA_BUCKET, 'media/title-1/broken/')).toEqual(new Set());
  });

  it('kills ffmpeg and fails with ABORTED when the signal fires', async () => {
    const settings = buildTranscodeJobSettings({
      sourceUri: `s3://${INGEST_BUCKET}/sources/landscape/clip.mp4`,
      captions: [],
      destinationUri: `s3://${MEDIA_BUCKET}/media/title-1/aborted/`,
      ladder: planLadder(probe({ width: 1280, height: 720 })),
    });
    const controller = new AbortController();

    const pending = runLocalTranscode(settings, fsIo(), {
      workDir: join(root, 'work', 'aborted'),
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });

    await expect(pending).rejects.toMatchObject({ name: 'TranscodeError', code: 'ABORTED' });
    expect(await listKeys(MEDIA_BUCKET, 'media/title-1/aborted/')).toEqual(new Set());
  });
});
