/**
 * The per-session multivariant (master) playlist, rewritten from the asset's own:
 *
 * - only the video variants (and I-frame variants) the session may play: shorter side at most
 *   `maxHeight` (renditions are named by their shorter side, `index_720p`, and the edge compares
 *   that name against the token), and, when the device named its codecs, only variants whose
 *   every CODECS entry the device supports;
 * - every variant once per edge pathway, with `PATHWAY-ID` and an absolute URI on that edge
 *   carrying the edge token in its path (`<edge>/t/<token>/media/…`), so the pipeline's
 *   relative child URIs inherit the token;
 * - the `#EXT-X-MEDIA` renditions (audio, subtitles) copied per pathway under their own
 *   GROUP-ID: HLS Content Steering requires the variants of different pathways to reference
 *   distinct rendition groups (draft-pantos-hls-rfc8216bis §4.4.6.6; Apple's HLS Content
 *   Steering Specification);
 * - `#EXT-X-CONTENT-STEERING` pointing at the steering server, starting on the first pathway.
 *
 * Careful text rewriting rather than a parse-and-print round trip: attributes this code does not
 * know (SCORE, VIDEO-RANGE, CHANNELS, …) pass through untouched. Pure.
 */
import { edgePath } from '#contracts/edge.ts';
import { ConflictError } from '#shared/errors.ts';
import type { Pathway } from './ports.ts';

/** What a session may play. */
export interface PlaybackCaps {
  /** Tallest rendition, by its shorter side in pixels. */
  readonly maxHeight: number;
  /** Codecs the device decodes (`avc1`, `avc1.640028`, `mp4a.40.2`); absent: any. */
  readonly codecs?: readonly string[];
}

export interface SessionPlaylistInput {
  /** Text of the asset's multivariant playlist. */
  readonly master: string;
  /** Its media-bucket key: relative URIs resolve against it. */
  readonly manifestKey: string;
  /** Key prefix every referenced object must sit under (the asset's folder): the token covers only it. */
  readonly assetPrefix: string;
  readonly caps: PlaybackCaps;
  /** In priority order; the first is the one a player starts on. */
  readonly pathways: readonly Pathway[];
  readonly edgeToken: string;
  /** Absolute URL of the session's steering manifest. */
  readonly steeringUri: string;
}

/** The asset's playlist is not one this code can serve: our fault, never the caller's. */
export class PlaylistError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlaylistError';
  }
}

/** One `NAME=value` of an attribute list, `value` as written (quoted strings keep their quotes). */
type Attribute = readonly [name: string, raw: string];

interface Tag {
  readonly name: string;
  readonly attributes: readonly Attribute[];
}
interface VariantTag extends Tag {
  readonly uri: string;
}

/** The parts of a multivariant playlist this module rewrites, and the header it keeps. */
export interface ParsedMaster {
  /** Tags kept as they are, in order (version, independent segments, start, …). */
  readonly header: readonly string[];
  readonly media: readonly Tag[];
  readonly variants: readonly VariantTag[];
  readonly iFrameVariants: readonly Tag[];
}

/** Tags re-emitted by this module, or dropped because they would be wrong in the session's playlist. */
const REWRITTEN_TAGS = new Set([
  '#EXTM3U',
  '#EXT-X-MEDIA',
  '#EXT-X-STREAM-INF',
  '#EXT-X-I-FRAME-STREAM-INF',
  '#EXT-X-CONTENT-STEERING',
]);

export function parseMaster(text: string): ParsedMaster {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '#EXTM3U') throw new PlaylistError('not an HLS playlist (no #EXTM3U)');
  const header: string[] = [];
  const media: Tag[] = [];
  const variants: VariantTag[] = [];
  const iFrameVariants: Tag[] = [];
  let pending: Tag | undefined;
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    if (!line.startsWith('#')) {
      if (!pending) throw new PlaylistError(`URI line without #EXT-X-STREAM-INF: ${line}`);
      variants.push({ ...pending, uri: line });
      pending = undefined;
      continue;
    }
    if (!line.startsWith('#EXT')) continue; // a comment
    if (pending) throw new PlaylistError(`#EXT-X-STREAM-INF without a URI line before ${line}`);
    if (line.startsWith('#EXTINF') || line.startsWith('#EXT-X-TARGETDURATION')) {
      throw new PlaylistError('a media playlist, not a multivariant playlist');
    }
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    const tag = (): Tag => ({ name, attributes: parseAttributes(line.slice(colon + 1)) });
    if (name === '#EXT-X-MEDIA') media.push(tag());
    else if (name === '#EXT-X-STREAM-INF') pending = tag();
    else if (name === '#EXT-X-I-FRAME-STREAM-INF') iFrameVariants.push(tag());
    else if (!REWRITTEN_TAGS.has(name)) {
      // Another tag naming a URI (session data, a key) would point off the edge: leave it out.
      if (colon !== -1 && /(^|,)URI=/.test(line.slice(colon + 1))) continue;
      header.push(line);
    }
  }
  if (pending) throw new PlaylistError('#EXT-X-STREAM-INF without a URI line at the end');
  if (variants.length === 0) throw new PlaylistError('no #EXT-X-STREAM-INF: not a multivariant playlist');
  return { header, media, variants, iFrameVariants };
}

/** The variants and I-frame variants a session with `caps` may play, in the playlist's order. */
export function playableVariants(
  parsed: ParsedMaster,
  caps: PlaybackCaps,
): { variants: VariantTag[]; iFrameVariants: Tag[] } {
  const allowed = (tag: Tag) => fitsHeight(tag, caps.maxHeight) && decodable(tag, caps.codecs);
  const variants = parsed.variants.filter(allowed);
  // Audio-only variants are never enough on their own: a video platform needs a picture.
  if (!variants.some((v) => shorterSide(v) !== undefined)) {
    throw new ConflictError(
      'NO_PLAYABLE_RENDITION',
      "None of the title's renditions fits the plan and the device (height, codecs).",
    );
  }
  return { variants, iFrameVariants: parsed.iFrameVariants.filter(allowed) };
}

/** The session's multivariant playlist (see the module comment). */
export function sessionPlaylist(input: SessionPlaylistInput): string {
  const first = input.pathways[0];
  if (!first) throw new PlaylistError('no edge pathway is configured');
  const parsed = parseMaster(input.master);
  const { variants, iFrameVariants } = playableVariants(parsed, input.caps);

  // Only the rendition groups the remaining variants reference.
  const referenced = new Set<string>();
  for (const variant of variants) {
    for (const [name, raw] of variant.attributes) {
      if (GROUP_REFERENCES.has(name) && isQuoted(raw)) referenced.add(`${name}|${unquote(raw)}`);
    }
  }
  const media = parsed.media.filter((m) => {
    const type = attribute(m, 'TYPE');
    const group = attribute(m, 'GROUP-ID');
    return type !== undefined && group !== undefined && referenced.has(`${type}|${unquote(group)}`);
  });

  const edgeUri = (pathway: Pathway, uri: string) =>
    `${pathway.baseUrl}${edgePath(input.edgeToken, resolveKey(uri, input.manifestKey, input.assetPrefix))}`;

  const out = ['#EXTM3U', ...parsed.header];
  out.push(`#EXT-X-CONTENT-STEERING:SERVER-URI=${quote(input.steeringUri)},PATHWAY-ID=${quote(first.id)}`);
  for (const pathway of input.pathways) {
    if (!PATHWAY_ID.test(pathway.id)) throw new PlaylistError(`not a legal pathway id: ${pathway.id}`);
    const group = (id: string) => quote(`${unquote(id)}-${pathway.id}`);
    out.push('');
    for (const m of media) {
      out.push(
        render(m, (name, raw) => {
          if (name === 'GROUP-ID') return group(raw);
          if (name === 'URI') return quote(edgeUri(pathway, unquote(raw)));
          return raw;
        }),
      );
    }
    for (const variant of variants) {
      out.push(
        render(
          variant,
          (name, raw) => (GROUP_REFERENCES.has(name) && isQuoted(raw) ? group(raw) : raw),
          pathway.id,
        ),
      );
      out.push(edgeUri(pathway, variant.uri));
    }
    for (const iFrame of iFrameVariants) {
      out.push(
        render(
          iFrame,
          (name, raw) => (name === 'URI' ? quote(edgeUri(pathway, unquote(raw))) : raw),
          pathway.id,
        ),
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * The media-bucket keys of every media playlist the asset's multivariant playlist names:
 * variants, renditions (audio, subtitles) and I-frame playlists, once each, in order.
 */
export function mediaPlaylistKeys(master: string, manifestKey: string, assetPrefix: string): string[] {
  const parsed = parseMaster(master);
  const uris = [
    ...parsed.variants.map((v) => v.uri),
    ...[...parsed.media, ...parsed.iFrameVariants].flatMap((tag) => {
      const uri = attribute(tag, 'URI');
      return uri === undefined ? [] : [unquote(uri)];
    }),
  ];
  return [...new Set(uris.map((uri) => resolveKey(uri, manifestKey, assetPrefix)))];
}

/** Attributes of a variant that name a rendition group (`CLOSED-CAPTIONS=NONE` is not quoted). */
const GROUP_REFERENCES = new Set(['AUDIO', 'VIDEO', 'SUBTITLES', 'CLOSED-CAPTIONS']);

/** Legal Pathway IDs (HLS Content Steering): letters, digits, `.`, `-`, `_`. */
export const PATHWAY_ID = /^[A-Za-z0-9._-]+$/;

/** Parses an attribute list (RFC 8216 §4.2): quoted strings may hold commas. */
export function parseAttributes(list: string): Attribute[] {
  const attributes: Attribute[] = [];
  const pattern = /([A-Z0-9-]+)=("[^"\r\n]*"|[^,]*)(?:,|$)/y;
  let index = 0;
  while (index < list.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(list);
    if (!match?.[1] || match[2] === undefined) throw new PlaylistError(`malformed attribute list: ${list}`);
    attributes.push([match[1], match[2]]);
    index = pattern.lastIndex;
  }
  return attributes;
}

function attribute(tag: Tag, name: string): string | undefined {
  return tag.attributes.find(([n]) => n === name)?.[1];
}

/** The rewritten tag; `pathwayId` replaces or adds a PATHWAY-ID attribute. */
function render(tag: Tag, map: (name: string, raw: string) => string, pathwayId?: string): string {
  const attributes = tag.attributes
    .filter(([name]) => pathwayId === undefined || name !== 'PATHWAY-ID')
    .map(([name, raw]) => `${name}=${map(name, raw)}`);
  if (pathwayId !== undefined) attributes.push(`PATHWAY-ID=${quote(pathwayId)}`);
  return `${tag.name}:${attributes.join(',')}`;
}

/** The shorter side of `RESOLUTION=WxH`, `undefined` for a variant without one (audio only). */
function shorterSide(tag: Tag): number | undefined {
  const resolution = attribute(tag, 'RESOLUTION');
  const match = resolution === undefined ? null : /^(\d+)x(\d+)$/.exec(resolution);
  if (!match?.[1] || !match[2]) return undefined;
  return Math.min(Number(match[1]), Number(match[2]));
}

function fitsHeight(tag: Tag, maxHeight: number): boolean {
  const side = shorterSide(tag);
  return side === undefined || side <= maxHeight;
}

/**
 * Every codec of the variant is one the device named, exactly or by a prefix ending at a dot
 * (`avc1` covers `avc1.640028`, `mp4a.40` covers `mp4a.40.2`); case-insensitive. A variant that
 * declares no CODECS cannot be judged and stays.
 */
export function decodable(tag: Tag, deviceCodecs: readonly string[] | undefined): boolean {
  if (deviceCodecs === undefined) return true;
  const raw = attribute(tag, 'CODECS');
  if (raw === undefined) return true;
  const supported = deviceCodecs.map((c) => c.trim().toLowerCase()).filter((c) => c !== '');
  return unquote(raw)
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '')
    .every((codec) => supported.some((s) => codec === s || codec.startsWith(`${s}.`)));
}

/** The media-bucket key a playlist URI names, refused when it leaves the asset's folder. */
export function resolveKey(uri: string, manifestKey: string, assetPrefix: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('//')) {
    throw new PlaylistError(`absolute URI in the asset's playlist: ${uri}`);
  }
  const base = new URL(`https://bucket.invalid/${manifestKey}`);
  const resolved = new URL(uri, base);
  if (resolved.search !== '' || resolved.hash !== '') throw new PlaylistError(`URI with a query: ${uri}`);
  const key = resolved.pathname.slice(1);
  if (!key.startsWith(assetPrefix)) throw new PlaylistError(`URI outside the asset's folder: ${uri}`);
  return key;
}

function isQuoted(raw: string): boolean {
  return raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"');
}

function unquote(raw: string): string {
  return isQuoted(raw) ? raw.slice(1, -1) : raw;
}

function quote(value: string): string {
  if (/["\r\n]/.test(value)) throw new PlaylistError(`cannot quote ${JSON.stringify(value)}`);
  return `"${value}"`;
}
