/**
 * Prepositioning: before viewers ask, fill the edges with the opening of the titles they are
 * most likely to play, as Netflix fills Open Connect appliances off-peak. The most popular titles
 * are the ones with the most playback starts over the last few days (the playback service
 * counts them; discovery will add predictions). For each, every media playlist the asset's
 * multivariant playlist names (variants, audio, subtitles, I-frames), its init segment and the
 * segments of its first `openingSec` seconds are fetched through every edge pathway, exactly as a
 * player would: with an edge token, so the edge function checks it and the edge caches the
 * object under the same key a viewer's request uses.
 *
 * The report says what each edge filled (`Miss`: fetched into the cache now), what it already
 * held (`Hit`), what failed, and whether the time budget cut the fill short.
 */
import { edgePath, signEdgeToken } from '#contracts/edge.ts';
import { assetPrefix } from '#contracts/storage.ts';
import { mediaPlaylistKeys, PlaylistError, resolveKey } from './master-playlist.ts';
import type { Clock, MediaStore, Pathway, Popularity, PopularTitle, SigningKeys } from './ports.ts';

export interface PrepositionOptions {
  /** How many of the most popular titles to fill. */
  readonly titles: number;
  /** Seconds from the start of every rendition to fill. */
  readonly openingSec: number;
  /** Days of playback starts to rank by, today (UTC) included. */
  readonly days: number;
  /** Epoch ms after which no new request starts; the report says `truncated`. */
  readonly deadlineMs: number;
  /** Requests in flight per edge. @default 8 */
  readonly concurrency?: number;
}

/** Defaults of the scheduled run and of the admin route. */
export const PREPOSITION_DEFAULTS = { titles: 150, openingSec: 60, days: 7 } as const;

/** What an edge answered for one object. */
export interface EdgeAnswer {
  readonly status: number;
  readonly bytes: number;
  /** From `x-cache`: `Hit`/`RefreshHit` → hit, `Miss` → miss, else unknown. */
  readonly cache: 'hit' | 'miss' | 'unknown';
}

/** GETs a URL on an edge and reads the whole body. */
export interface EdgeFetcher {
  get(url: string): Promise<EdgeAnswer>;
}

export interface PrepositionPorts {
  readonly popularity: Pick<Popularity, 'startsOn'>;
  readonly media: MediaStore;
  readonly keys: SigningKeys;
  readonly pathways: readonly Pathway[];
  readonly edges: EdgeFetcher;
  readonly clock: Clock;
}

export interface PrepositionedTitle {
  readonly titleId: string;
  readonly assetId: string;
  readonly starts: number;
  /** Objects planned per edge: playlists, init segments, opening segments. */
  readonly objects: number;
}

export interface EdgeFill {
  readonly pathwayId: string;
  /** Fetched into the edge's cache by this run (`x-cache: Miss`). */
  readonly filled: number;
  readonly filledBytes: number;
  /** The edge held it already (`Hit`). */
  readonly alreadyCached: number;
  /** Answered, but the edge said neither Hit nor Miss. */
  readonly unknown: number;
  /** Non-200 answers and network errors, first few with their URL path. */
  readonly failed: number;
  readonly failures: readonly string[];
}

export interface PrepositionReport {
  /** UTC days the popularity was read from, oldest first. */
  readonly days: readonly string[];
  readonly openingSec: number;
  readonly titles: readonly PrepositionedTitle[];
  /** Titles ranked but left out, with why (no playlist, a malformed one). */
  readonly skipped: readonly { titleId: string; reason: string }[];
  readonly edges: readonly EdgeFill[];
  /** Requests not made because the time budget ran out. */
  readonly notAttempted: number;
  readonly truncated: boolean;
  readonly seconds: number;
}

/** Tokens of a fill outlive the fill itself comfortably; they never reach a viewer. */
const TOKEN_TTL_SEC = 3600;
/** The fill may fetch every rendition: the token caps nothing. */
const ANY_HEIGHT = 99_999;
const KEPT_FAILURES = 5;

export async function prepositionTitles(
  ports: PrepositionPorts,
  options: PrepositionOptions,
): Promise<PrepositionReport> {
  const started = ports.clock.now();
  const days = lastDays(started, options.days);
  const ranked = rank(await ports.popularity.startsOn(days), options.titles);
  const key = await ports.keys.current();
  const nowEpoch = Math.floor(started.getTime() / 1000);
  const fillId = `preposition-${started.toISOString().replace(/\D/g, '').slice(0, 14)}`;

  const titles: PrepositionedTitle[] = [];
  const skipped: { titleId: string; reason: string }[] = [];
  const paths: string[] = [];
  for (const title of ranked) {
    let keys: string[];
    try {
      keys = await openingKeys(ports.media, title, options.openingSec);
    } catch (error) {
      if (!(error instanceof PlaylistError)) throw error;
      skipped.push({ titleId: title.titleId, reason: error.message });
      continue;
    }
    const token = signEdgeToken({
      kid: key.kid,
      sessionId: fillId,
      titleId: title.titleId,
      assetId: title.assetId,
      maxHeight: ANY_HEIGHT,
      expiresAt: nowEpoch + TOKEN_TTL_SEC,
      key: key.secret,
    });
    for (const objectKey of keys) paths.push(edgePath(token, objectKey));
    titles.push({
      titleId: title.titleId,
      assetId: title.assetId,
      starts: title.starts,
      objects: keys.length,
    });
  }

  let notAttempted = 0;
  const edges = await Promise.all(
    ports.pathways.map(async (pathway) => {
      const fill = { filled: 0, filledBytes: 0, alreadyCached: 0, unknown: 0, failed: 0 };
      const failures: string[] = [];
      const fail = (why: string) => {
        fill.failed += 1;
        if (failures.length < KEPT_FAILURES) failures.push(why);
      };
      let next = 0;
      const worker = async () => {
        while (next < paths.length) {
          const path = paths[next] as string;
          next += 1;
          if (ports.clock.now().getTime() >= options.deadlineMs) {
            notAttempted += 1;
            continue;
          }
          try {
            const answer = await ports.edges.get(`${pathway.baseUrl}${path}`);
            if (answer.status !== 200) fail(`${answer.status} ${withoutToken(path)}`);
            else if (answer.cache === 'miss') {
              fill.filled += 1;
              fill.filledBytes += answer.bytes;
            } else if (answer.cache === 'hit') fill.alreadyCached += 1;
            else fill.unknown += 1;
          } catch (error) {
            fail(`${(error as Error).message} ${withoutToken(path)}`);
          }
        }
      };
      const workers = Math.max(1, Math.min(options.concurrency ?? 8, paths.length));
      await Promise.all(Array.from({ length: workers }, worker));
      return { pathwayId: pathway.id, ...fill, failures };
    }),
  );

  return {
    days,
    openingSec: options.openingSec,
    titles,
    skipped,
    edges,
    notAttempted,
    truncated: notAttempted > 0,
    seconds: (ports.clock.now().getTime() - started.getTime()) / 1000,
  };
}

/** `count` UTC days ending with the day of `now`, oldest first: `YYYY-MM-DD`. */
export function lastDays(now: Date, count: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: count }, (_, i) =>
    new Date(today - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}

/** Most starts first; equal starts by title id, so the same counts always give the same fill. */
export function rank(titles: readonly PopularTitle[], limit: number): PopularTitle[] {
  return titles
    .filter((t) => t.starts > 0)
    .toSorted((a, b) => b.starts - a.starts || (a.titleId < b.titleId ? -1 : a.titleId > b.titleId ? 1 : 0))
    .slice(0, limit);
}

/**
 * The objects a player fetches in the first `openingSec` seconds of any rendition of the asset:
 * every media playlist, its init segment (`EXT-X-MAP`), and its segments until their durations
 * reach `openingSec` (the one crossing it included). Keys stay inside the asset's folder.
 */
export async function openingKeys(
  media: MediaStore,
  title: PopularTitle,
  openingSec: number,
): Promise<string[]> {
  const prefix = assetPrefix(title.titleId, title.assetId);
  if (!title.manifestKey.startsWith(prefix)) {
    throw new PlaylistError(`the manifest ${title.manifestKey} is outside ${prefix}`);
  }
  const master = await media.getText(title.manifestKey);
  if (master === undefined) throw new PlaylistError(`no multivariant playlist at ${title.manifestKey}`);
  const keys = new Set<string>();
  for (const playlistKey of mediaPlaylistKeys(master, title.manifestKey, prefix)) {
    const text = await media.getText(playlistKey);
    if (text === undefined) throw new PlaylistError(`no media playlist at ${playlistKey}`);
    keys.add(playlistKey);
    for (const uri of openingUris(text, openingSec)) keys.add(resolveKey(uri, playlistKey, prefix));
  }
  return [...keys];
}

/** URIs of a media playlist's init segment and opening segments, in order. */
export function openingUris(playlist: string, openingSec: number): string[] {
  const uris: string[] = [];
  let covered = 0;
  let duration: number | undefined;
  for (const raw of playlist.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#EXT-X-MAP:')) {
      const uri = /(?:^|[:,])URI="([^"]+)"/.exec(line)?.[1];
      if (uri && !uris.includes(uri)) uris.push(uri);
    } else if (line.startsWith('#EXTINF:')) {
      duration = Number.parseFloat(line.slice('#EXTINF:'.length));
    } else if (!line.startsWith('#')) {
      if (covered >= openingSec) break;
      if (!uris.includes(line)) uris.push(line);
      covered += Number.isFinite(duration) ? (duration as number) : 0;
      duration = undefined;
    }
  }
  return uris;
}

/** The request path without its token, for reports and logs. */
function withoutToken(path: string): string {
  return path.replace(/^\/t\/[^/]+/, '/t/…');
}

/** The report without per-title detail or failure paths: one log line. */
export function prepositionSummary(report: PrepositionReport) {
  return {
    titles: report.titles.length,
    skipped: report.skipped.length,
    truncated: report.truncated,
    notAttempted: report.notAttempted,
    seconds: report.seconds,
    edges: report.edges.map(({ failures: _, ...fill }) => fill),
  };
}
