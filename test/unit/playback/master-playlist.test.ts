import { parse } from 'hls-parser';
import { describe, expect, it } from 'vitest';
import {
  decodable,
  PlaylistError,
  parseAttributes,
  parseMaster,
  type SessionPlaylistInput,
  sessionPlaylist,
} from '../../../lambdas/playback/domain/master-playlist.ts';
import { MASTER, PATHWAYS } from './fakes.ts';

const TOKEN = 'k1.sess-1.movie-1.asset-1.720.1795000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const STEERING = 'https://api.test/v1/steering/sess-1?token=k1.1795000000.sig';

function input(overrides: Partial<SessionPlaylistInput> = {}): SessionPlaylistInput {
  return {
    master: MASTER,
    manifestKey: 'media/movie-1/asset-1/hls/index.m3u8',
    assetPrefix: 'media/movie-1/asset-1/',
    caps: { maxHeight: 2160 },
    pathways: PATHWAYS,
    edgeToken: TOKEN,
    steeringUri: STEERING,
    ...overrides,
  };
}

/** Variant streams of the output: attributes by name, and the URI line. */
function variants(text: string): { attributes: Map<string, string>; uri: string }[] {
  return parseMaster(text).variants.map((v) => ({
    attributes: new Map(v.attributes.map(([name, raw]) => [name, raw.replace(/^"|"$/g, '')])),
    uri: v.uri,
  }));
}

function tagsNamed(text: string, name: string): Map<string, string>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}:`))
    .map(
      (line) =>
        new Map(
          parseAttributes(line.slice(name.length + 1)).map(([n, raw]) => [n, raw.replace(/^"|"$/g, '')]),
        ),
    );
}

const heightOf = (v: { attributes: Map<string, string> }) =>
  Number(v.attributes.get('RESOLUTION')?.split('x')[1] ?? Number.NaN);

describe('the session master playlist', () => {
  describe('plan and device caps', () => {
    it('never lists a variant above 720p for a basic plan (720), nor its I-frame playlist', () => {
      const text = sessionPlaylist(input({ caps: { maxHeight: 720 } }));

      const listed = variants(text);
      expect(listed.map(heightOf).every((h) => h <= 720)).toBe(true);
      expect(new Set(listed.map((v) => v.uri.split('/').pop()))).toEqual(
        new Set(['index_360p.m3u8', 'index_540p.m3u8', 'index_720p.m3u8']),
      );
      expect(text).not.toMatch(/1080p|2160p/);
    });

    it('keeps the whole ladder for a plan and device that allow 2160', () => {
      const listed = variants(sessionPlaylist(input({ caps: { maxHeight: 2160 } })));

      expect(new Set(listed.map(heightOf))).toEqual(new Set([360, 540, 720, 1080, 2160]));
    });

    it('applies the lower of the caps it is given (the device below the plan)', () => {
      const listed = variants(sessionPlaylist(input({ caps: { maxHeight: 540 } })));

      expect(new Set(listed.map(heightOf))).toEqual(new Set([360, 540]));
    });

    it('measures a portrait rendition by its shorter side, as renditions are named', () => {
      const portrait = MASTER.replace('RESOLUTION=1280x720', 'RESOLUTION=720x1280');

      const listed = variants(sessionPlaylist(input({ master: portrait, caps: { maxHeight: 720 } })));

      expect(listed.map((v) => v.attributes.get('RESOLUTION'))).toContain('720x1280');
    });

    it('refuses with 409 NO_PLAYABLE_RENDITION when no video variant fits', () => {
      expect(() => sessionPlaylist(input({ caps: { maxHeight: 240 } }))).toThrow(
        expect.objectContaining({ code: 'NO_PLAYABLE_RENDITION', status: 409 }),
      );
    });
  });

  describe('codecs', () => {
    it('drops the variants whose codecs the device does not name (HEVC for an AVC-only device)', () => {
      const listed = variants(
        sessionPlaylist(input({ caps: { maxHeight: 2160, codecs: ['avc1', 'mp4a'] } })),
      );

      expect(new Set(listed.map(heightOf))).toEqual(new Set([360, 540, 720, 1080]));
      expect(listed.every((v) => !v.attributes.get('CODECS')?.includes('hvc1'))).toBe(true);
    });

    it('matches exact codec strings and prefixes that end at a dot', () => {
      const listed = variants(
        sessionPlaylist(input({ caps: { maxHeight: 2160, codecs: ['avc1.4d401e', 'mp4a.40'] } })),
      );

      expect(listed.map(heightOf)).toEqual([360, 360]);
    });

    it('requires every codec of a variant: a device without an audio decoder gets nothing', () => {
      expect(() => sessionPlaylist(input({ caps: { maxHeight: 2160, codecs: ['avc1', 'hvc1'] } }))).toThrow(
        expect.objectContaining({ code: 'NO_PLAYABLE_RENDITION' }),
      );
    });

    it('filters the I-frame playlists by codecs too', () => {
      const text = sessionPlaylist(
        input({ caps: { maxHeight: 2160, codecs: ['avc1.4d401e', 'mp4a.40.2'] } }),
      );

      expect(tagsNamed(text, '#EXT-X-I-FRAME-STREAM-INF').map((t) => t.get('RESOLUTION'))).toEqual([
        '640x360',
        '640x360',
      ]);
    });

    it.each([
      ['avc1', 'avc1.640028', true],
      ['AVC1', 'avc1.640028', true],
      ['avc', 'avc1.640028', false],
      ['avc1.64', 'avc1.640028', false],
      ['mp4a.40.2', 'mp4a.40.2', true],
      ['hvc1', 'avc1.640028', false],
    ])('device codec %s decodes %s: %s', (device, codec, expected) => {
      const tag = { name: '#EXT-X-STREAM-INF', attributes: [['CODECS', `"${codec}"`] as const] };

      expect(decodable(tag, [device])).toBe(expected);
    });
  });

  describe('pathways', () => {
    it('lists every variant once per pathway, with its PATHWAY-ID and an absolute URI on that edge', () => {
      const listed = variants(sessionPlaylist(input({ caps: { maxHeight: 720 } })));

      for (const pathway of PATHWAYS) {
        const own = listed.filter((v) => v.attributes.get('PATHWAY-ID') === pathway.id);
        expect(own.map((v) => v.uri)).toEqual(
          ['360p', '540p', '720p'].map(
            (r) => `${pathway.baseUrl}/t/${TOKEN}/media/movie-1/asset-1/hls/index_${r}.m3u8`,
          ),
        );
      }
      expect(listed).toHaveLength(6);
    });

    it('copies the audio and subtitle groups per pathway under distinct GROUP-IDs', () => {
      const text = sessionPlaylist(input({ caps: { maxHeight: 720 } }));

      const media = tagsNamed(text, '#EXT-X-MEDIA');
      expect(media.map((m) => [m.get('TYPE'), m.get('GROUP-ID'), m.get('URI')])).toEqual([
        [
          'AUDIO',
          'audio-edge-a',
          `https://a.edge.test/t/${TOKEN}/media/movie-1/asset-1/hls/index_audio.m3u8`,
        ],
        [
          'SUBTITLES',
          'subs-edge-a',
          `https://a.edge.test/t/${TOKEN}/media/movie-1/asset-1/hls/index_en.m3u8`,
        ],
        [
          'AUDIO',
          'audio-edge-b',
          `http://127.0.0.1:8081/t/${TOKEN}/media/movie-1/asset-1/hls/index_audio.m3u8`,
        ],
        [
          'SUBTITLES',
          'subs-edge-b',
          `http://127.0.0.1:8081/t/${TOKEN}/media/movie-1/asset-1/hls/index_en.m3u8`,
        ],
      ]);
      for (const v of variants(text)) {
        const pathway = v.attributes.get('PATHWAY-ID');
        expect(v.attributes.get('AUDIO')).toBe(`audio-${pathway}`);
        expect(v.attributes.get('SUBTITLES')).toBe(`subs-${pathway}`);
      }
    });

    it('lists the I-frame (trick-play) playlists per pathway', () => {
      const text = sessionPlaylist(input({ caps: { maxHeight: 1080 } }));

      const iFrames = tagsNamed(text, '#EXT-X-I-FRAME-STREAM-INF');
      expect(iFrames.map((t) => [t.get('PATHWAY-ID'), t.get('URI')?.split('/hls/')[1]])).toEqual([
        ['edge-a', 'index_360p_iframes.m3u8'],
        ['edge-a', 'index_1080p_iframes.m3u8'],
        ['edge-b', 'index_360p_iframes.m3u8'],
        ['edge-b', 'index_1080p_iframes.m3u8'],
      ]);
      expect(iFrames.every((t) => t.get('URI')?.includes(`/t/${TOKEN}/media/`))).toBe(true);
    });

    it('points at the steering server once, starting on the first pathway, before any variant', () => {
      const text = sessionPlaylist(input());

      const lines = text.split('\n');
      const steering = lines.filter((l) => l.startsWith('#EXT-X-CONTENT-STEERING:'));
      expect(steering).toEqual([`#EXT-X-CONTENT-STEERING:SERVER-URI="${STEERING}",PATHWAY-ID="edge-a"`]);
      expect(lines.indexOf(steering[0] ?? '')).toBeLessThan(
        lines.findIndex((l) => l.startsWith('#EXT-X-STREAM-INF')),
      );
    });

    it('replaces a steering tag the source already had', () => {
      const withSteering = MASTER.replace(
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-CONTENT-STEERING:SERVER-URI="https://elsewhere.test/steer"',
      );

      const text = sessionPlaylist(input({ master: withSteering }));

      expect(text.match(/#EXT-X-CONTENT-STEERING/g)).toHaveLength(1);
      expect(text).not.toContain('elsewhere.test');
    });

    it('refuses an illegal pathway id', () => {
      expect(() =>
        sessionPlaylist(input({ pathways: [{ id: 'edge a', baseUrl: 'https://a.test' }] })),
      ).toThrow(PlaylistError);
    });
  });

  describe('what passes through', () => {
    it('keeps the header tags and unknown attributes as they were', () => {
      const text = sessionPlaylist(input());

      expect(text.startsWith('#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-INDEPENDENT-SEGMENTS\n')).toBe(true);
      expect(text).toContain('VIDEO-RANGE=SDR');
      expect(text).toContain('FORCED=NO,LANGUAGE="en"');
    });

    it('drops rendition groups no remaining variant references', () => {
      const twoAudio = MASTER.replace(
        '#EXT-X-MEDIA:TYPE=SUBTITLES',
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio-hi",NAME="Audio HQ",URI="index_audio_hi.m3u8"\n#EXT-X-MEDIA:TYPE=SUBTITLES',
      ).replace(
        'RESOLUTION=3840x2160,FRAME-RATE=30,AUDIO="audio"',
        'RESOLUTION=3840x2160,FRAME-RATE=30,AUDIO="audio-hi"',
      );

      const capped = sessionPlaylist(input({ master: twoAudio, caps: { maxHeight: 1080 } }));
      const full = sessionPlaylist(input({ master: twoAudio, caps: { maxHeight: 2160 } }));

      expect(capped).not.toContain('index_audio_hi');
      expect(full).toContain('GROUP-ID="audio-hi-edge-b"');
    });

    it('is a playlist an HLS parser reads back: variants, resolutions, bandwidths', () => {
      const parsed = parse(sessionPlaylist(input({ caps: { maxHeight: 720 } })));

      expect(parsed.isMasterPlaylist).toBe(true);
      if (!parsed.isMasterPlaylist) return;
      const streams = parsed.variants.filter((v) => !v.isIFrameOnly);
      expect(streams.map((v) => [v.resolution?.height, v.bandwidth])).toEqual([
        [360, 700000],
        [540, 1500000],
        [720, 3000000],
        [360, 700000],
        [540, 1500000],
        [720, 3000000],
      ]);
    });
  });

  describe('refusals of a source it cannot serve', () => {
    it.each([
      ['a media playlist', '#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6,\nseg_1.cmfv\n'],
      ['text that is not HLS', 'hello'],
      [
        'a URI that leaves the asset folder',
        MASTER.replace('index_720p.m3u8', '../../../other-asset/hls/index_720p.m3u8'),
      ],
      ['an absolute URI', MASTER.replace('index_720p.m3u8', 'https://cdn.test/index_720p.m3u8')],
      ['a variant without a URI line', MASTER.replace(/index_2160p\.m3u8\n/, '')],
    ])('throws a PlaylistError for %s', (_, master) => {
      expect(() => sessionPlaylist(input({ master }))).toThrow(PlaylistError);
    });
  });
});

describe('parseAttributes', () => {
  it('keeps commas inside quoted strings', () => {
    expect(parseAttributes('BANDWIDTH=1,CODECS="avc1.640028,mp4a.40.2",RESOLUTION=1x2')).toEqual([
      ['BANDWIDTH', '1'],
      ['CODECS', '"avc1.640028,mp4a.40.2"'],
      ['RESOLUTION', '1x2'],
    ]);
  });

  it('refuses a list that is not NAME=value pairs', () => {
    expect(() => parseAttributes('BANDWIDTH')).toThrow(PlaylistError);
  });
});
