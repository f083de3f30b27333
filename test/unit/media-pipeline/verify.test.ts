import { describe, expect, it } from 'vitest';
import type { SourceProbe } from '#contracts/media.ts';
import { buildTranscodeJobSettings, describeOutputKeys } from '#media-pipeline/domain/job-settings.ts';
import { planLadder } from '#media-pipeline/domain/ladder.ts';
import {
  playlistKeysReferencedBy,
  resolveKey,
  type VerifyInput,
  verifyOutputs,
} from '#media-pipeline/domain/verify.ts';

const SOURCE_DURATION = 13;
const HLS = 'media/title-1/asset-1/hls/';

const source: SourceProbe = {
  container: 'MPEG-4',
  durationSec: SOURCE_DURATION,
  sizeBytes: 1_000_000,
  video: {
    codec: 'AVC',
    width: 640,
    height: 360,
    displayWidth: 640,
    displayHeight: 360,
    rotation: 0,
    frameRate: 30,
    bitDepth: 8,
  },
  audio: { codec: 'AAC', channels: 2, sampleRate: 48_000 },
};

const layout = describeOutputKeys(
  buildTranscodeJobSettings({
    sourceUri: 's3://ingest/sources/job-1/clip.mp4',
    captions: [{ lang: 'en', uri: 's3://ingest/sidecars/job-1/en.vtt' }],
    destinationUri: 's3://media/media/title-1/asset-1/',
    ladder: planLadder(source),
  }),
);

const MASTER = [
  '#EXTM3U',
  '#EXT-X-VERSION:6',
  '#EXT-X-INDEPENDENT-SEGMENTS',
  '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,URI="index_audio.m3u8"',
  '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",DEFAULT=YES,AUTOSELECT=YES,LANGUAGE="en",URI="index_en.m3u8"',
  '#EXT-X-STREAM-INF:BANDWIDTH=1200000,AVERAGE-BANDWIDTH=800000,CODECS="avc1.4d401e,mp4a.40.2",RESOLUTION=640x360,AUDIO="audio",SUBTITLES="subs"',
  'index_360p.m3u8',
  '#EXT-X-STREAM-INF:BANDWIDTH=400000,AVERAGE-BANDWIDTH=300000,CODECS="avc1.4d400d,mp4a.40.2",RESOLUTION=416x234,AUDIO="audio",SUBTITLES="subs"',
  'index_234p.m3u8',
  '',
].join('\n');

/** A fMP4 media playlist whose segments are `<stem>_<n>.<ext>`, from 1. */
function mediaPlaylist(stem: string, ext: string, durations: number[], init = true): string {
  return [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${Math.ceil(Math.max(...durations))}`,
    '#EXT-X-MEDIA-SEQUENCE:1',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    ...(init ? [`#EXT-X-MAP:URI="${stem}init.${ext}"`] : []),
    ...durations.flatMap((d, i) => [
      `#EXTINF:${d.toFixed(6)},`,
      `${stem}_${String(i + 1).padStart(9, '0')}.${ext}`,
    ]),
    '#EXT-X-ENDLIST',
    '',
  ].join('\n');
}

function segmentKeys(stem: string, ext: string, count: number, init = true): string[] {
  const keys = Array.from(
    { length: count },
    (_, i) => `${HLS}${stem}_${String(i + 1).padStart(9, '0')}.${ext}`,
  );
  return init ? [`${HLS}${stem}init.${ext}`, ...keys] : keys;
}

/** A complete, healthy job output; each test breaks one thing. */
function healthy(): VerifyInput & { renditionPlaylists: Record<string, string>; existingKeys: Set<string> } {
  const durations = [6, 6, 1];
  const renditionPlaylists: Record<string, string> = {
    [`${HLS}index_234p.m3u8`]: mediaPlaylist('index_234p', 'cmfv', durations),
    [`${HLS}index_360p.m3u8`]: mediaPlaylist('index_360p', 'cmfv', durations),
    [`${HLS}index_audio.m3u8`]: mediaPlaylist('index_audio', 'cmfa', [6, 6, 1.02]),
    [`${HLS}index_en.m3u8`]: mediaPlaylist('index_en', 'vtt', [13], false),
  };
  const existingKeys = new Set([
    `${HLS}index.m3u8`,
    ...Object.keys(renditionPlaylists),
    ...segmentKeys('index_234p', 'cmfv', 3),
    ...segmentKeys('index_360p', 'cmfv', 3),
    ...segmentKeys('index_audio', 'cmfa', 3),
    ...segmentKeys('index_en', 'vtt', 1, false),
    'media/title-1/asset-1/poster/poster.0000000.jpg',
    'media/title-1/asset-1/thumbnails/thumb.0000001.jpg',
    'media/title-1/asset-1/thumbnails/thumb.0000000.jpg',
  ]);
  return {
    layout,
    masterPlaylist: MASTER,
    renditionPlaylists,
    existingKeys,
    sourceDurationSec: SOURCE_DURATION,
  };
}

describe('verifyOutputs', () => {
  it('accepts a complete output and describes the asset', () => {
    expect(verifyOutputs(healthy())).toEqual({
      ok: true,
      asset: {
        manifestKey: `${HLS}index.m3u8`,
        durationSec: 13,
        renditions: [
          { name: '234p', width: 416, height: 234, bandwidth: 400_000, playlistKey: `${HLS}index_234p.m3u8` },
          {
            name: '360p',
            width: 640,
            height: 360,
            bandwidth: 1_200_000,
            playlistKey: `${HLS}index_360p.m3u8`,
          },
        ],
        audio: true,
        captions: [{ lang: 'en', playlistKey: `${HLS}index_en.m3u8` }],
        posterKey: 'media/title-1/asset-1/poster/poster.0000000.jpg',
        thumbnails: {
          intervalSec: 10,
          keys: [
            'media/title-1/asset-1/thumbnails/thumb.0000000.jpg',
            'media/title-1/asset-1/thumbnails/thumb.0000001.jpg',
          ],
        },
      },
    });
  });

  it('catches a missing media segment', () => {
    const input = healthy();
    input.existingKeys.delete(`${HLS}index_360p_000000002.cmfv`);

    expect(verifyOutputs(input)).toEqual({
      ok: false,
      message: `segment ${HLS}index_360p_000000002.cmfv referenced by ${HLS}index_360p.m3u8 is missing`,
    });
  });

  it('catches a missing init segment', () => {
    const input = healthy();
    input.existingKeys.delete(`${HLS}index_audioinit.cmfa`);

    expect(verifyOutputs(input)).toMatchObject({
      ok: false,
      message: expect.stringContaining('index_audioinit.cmfa'),
    });
  });

  it('catches a missing rendition playlist', () => {
    const input = healthy();
    input.existingKeys.delete(`${HLS}index_234p.m3u8`);

    expect(verifyOutputs(input)).toEqual({
      ok: false,
      message: `rendition playlist ${HLS}index_234p.m3u8 is missing`,
    });
  });

  it('catches a rendition that is more than 0.5 s shorter than the source', () => {
    const input = healthy();
    input.renditionPlaylists[`${HLS}index_360p.m3u8`] = mediaPlaylist('index_360p', 'cmfv', [6, 6, 0.4]);

    expect(verifyOutputs(input)).toEqual({
      ok: false,
      message: `${HLS}index_360p.m3u8 lasts 12.4 s but the source lasts 13 s (tolerance 0.5 s)`,
    });
  });

  it('catches an audio rendition that runs more than 0.5 s long', () => {
    const input = healthy();
    input.renditionPlaylists[`${HLS}index_audio.m3u8`] = mediaPlaylist('index_audio', 'cmfa', [6, 6, 1.6]);

    expect(verifyOutputs(input)).toMatchObject({
      ok: false,
      message: expect.stringContaining('index_audio.m3u8'),
    });
  });

  it('tolerates up to 0.5 s of difference', () => {
    const input = healthy();
    input.renditionPlaylists[`${HLS}index_360p.m3u8`] = mediaPlaylist('index_360p', 'cmfv', [6, 6, 0.6]);

    expect(verifyOutputs(input)).toMatchObject({ ok: true });
  });

  it('requires a poster', () => {
    const input = healthy();
    input.existingKeys.delete('media/title-1/asset-1/poster/poster.0000000.jpg');

    expect(verifyOutputs(input)).toEqual({
      ok: false,
      message: 'poster media/title-1/asset-1/poster/poster.0000000.jpg is missing',
    });
  });

  it('requires at least one video rendition', () => {
    const input = healthy();
    const audioOnly = [
      '#EXTM3U',
      '#EXT-X-STREAM-INF:BANDWIDTH=130000,CODECS="mp4a.40.2"',
      'index_audio.m3u8',
      '',
    ].join('\n');

    const audioLayout = {
      ...input.layout,
      renditions: input.layout.renditions.filter((r) => r.kind === 'audio'),
    };

    expect(verifyOutputs({ ...input, layout: audioLayout, masterPlaylist: audioOnly })).toEqual({
      ok: false,
      message: `${HLS}index.m3u8 has no video rendition`,
    });
  });

  it('requires the master to reference every rendition the job wrote', () => {
    const input = healthy();
    const withoutCaptions = MASTER.split('\n')
      .filter((line) => !line.includes('TYPE=SUBTITLES'))
      .join('\n')
      .replaceAll(',SUBTITLES="subs"', '');

    expect(verifyOutputs({ ...input, masterPlaylist: withoutCaptions })).toEqual({
      ok: false,
      message: `${HLS}index.m3u8 does not reference the captions rendition ${HLS}index_en.m3u8`,
    });
  });

  it('refuses a master playlist that is not HLS', () => {
    expect(verifyOutputs({ ...healthy(), masterPlaylist: '<html>' })).toEqual({
      ok: false,
      message: `${HLS}index.m3u8 is not an HLS multivariant playlist`,
    });
  });

  it('refuses a master playlist that is missing from the bucket', () => {
    const input = healthy();
    input.existingKeys.delete(`${HLS}index.m3u8`);

    expect(verifyOutputs(input)).toEqual({
      ok: false,
      message: `multivariant playlist ${HLS}index.m3u8 is missing`,
    });
  });

  it('resolves URIs relative to each playlist’s own key', () => {
    const input = healthy();
    const nested = 'media/title-1/asset-1/hls/v/index_360p.m3u8';
    input.renditionPlaylists[nested] = [
      '#EXTM3U',
      '#EXT-X-VERSION:7',
      '#EXT-X-TARGETDURATION:13',
      '#EXT-X-MAP:URI="../index_360pinit.cmfv"',
      '#EXTINF:13.0,',
      '../index_360p_000000001.cmfv',
      '#EXT-X-ENDLIST',
      '',
    ].join('\n');
    input.existingKeys.add(nested);
    const master = MASTER.replace('\nindex_360p.m3u8', '\nv/index_360p.m3u8');
    const relaxed = { ...input.layout, renditions: input.layout.renditions.filter((r) => r.name !== '360p') };

    expect(verifyOutputs({ ...input, layout: relaxed, masterPlaylist: master })).toMatchObject({
      ok: true,
      asset: { renditions: [{ name: '234p' }, { name: '360p', playlistKey: nested }] },
    });
  });
});

describe('playlistKeysReferencedBy', () => {
  it('lists variant, audio and subtitle playlists as bucket keys', () => {
    expect(playlistKeysReferencedBy(`${HLS}index.m3u8`, MASTER)).toEqual([
      `${HLS}index_360p.m3u8`,
      `${HLS}index_234p.m3u8`,
      `${HLS}index_audio.m3u8`,
      `${HLS}index_en.m3u8`,
    ]);
  });

  it('lists nothing for text that is not a playlist', () => {
    expect(playlistKeysReferencedBy(`${HLS}index.m3u8`, 'not a playlist')).toEqual([]);
  });
});

describe('resolveKey', () => {
  it.each([
    ['a/b/index.m3u8', 'x.m3u8', 'a/b/x.m3u8'],
    ['a/b/index.m3u8', '../c/x.cmfv', 'a/c/x.cmfv'],
    ['a/b/index.m3u8', 'sub/x.cmfv', 'a/b/sub/x.cmfv'],
    ['a/my title/index.m3u8', 'x%20y.vtt', 'a/my title/x y.vtt'],
  ])('resolves %s + %s to %s', (playlistKey, uri, expected) => {
    expect(resolveKey(playlistKey, uri)).toBe(expected);
  });

  it('refuses absolute URLs, which name no object in the bucket', () => {
    expect(resolveKey('a/index.m3u8', 'https://cdn.example.com/x.cmfv')).toBeUndefined();
    expect(resolveKey('a/index.m3u8', '//cdn.example.com/x.cmfv')).toBeUndefined();
  });
});
