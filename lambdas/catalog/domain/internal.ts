/** What other services ask the catalog (`catalogInternal`): title facts, next episodes, admin lookups. */
import type {
  CatalogInternalRequest,
  CatalogInternalResponse,
  CatalogSnapshotPage,
  SnapshotTitle,
} from '#contracts/internal.ts';
import { listingCursor, parseListingCursor } from './browse.ts';
import type { ListingKey, TitlesRepository } from './ports.ts';
import {
  episodeKey,
  isVisible,
  listingSortKey,
  type TitleRecord,
  toTitleFacts,
  type Viewer,
} from './titles.ts';

/** Titles per `snapshot` page: well within Lambda's 6 MB response with 4 KB synopses. */
export const SNAPSHOT_PAGE_SIZE = 100;

export interface InternalDeps {
  readonly titles: TitlesRepository;
}

/** What `catalogInternal` answers a request: a snapshot page for `snapshot`, title facts otherwise. */
export type CatalogInternalAnswer<R extends CatalogInternalRequest> = R extends { op: 'snapshot' }
  ? CatalogSnapshotPage
  : CatalogInternalResponse;

export async function catalogInternal<R extends CatalogInternalRequest>(
  deps: InternalDeps,
  request: R,
  now: Date,
): Promise<CatalogInternalAnswer<R>> {
  return answer(deps, request, now) as Promise<CatalogInternalAnswer<R>>;
}

async function answer(
  deps: InternalDeps,
  request: CatalogInternalRequest,
  now: Date,
): Promise<CatalogInternalResponse | CatalogSnapshotPage> {
  switch (request.op) {
    case 'describeTitles':
      return describeTitles(deps, request.titleIds, viewerOf(request), now);
    case 'nextEpisode':
      return nextEpisode(deps, request.titleId, viewerOf(request), now);
    case 'getTitleForAdmin':
      return getTitleForAdmin(deps, request.titleId);
    case 'snapshot':
      return snapshotPage(deps, request.cursor);
  }
}

/**
 * One page of every movie and series, whatever its windows (discovery filters by country and
 * maturity itself, at read time), with what discovery indexes. A series lists its episodes, and
 * is playable when one of them is.
 */
export async function snapshotPage(
  deps: InternalDeps,
  cursor: string | undefined,
): Promise<CatalogSnapshotPage> {
  const after = parseListingCursor(cursor);
  const titles: SnapshotTitle[] = [];
  let last: ListingKey | undefined;
  for await (const title of deps.titles.listing({
    ...(after ? { after } : {}),
    pageSize: SNAPSHOT_PAGE_SIZE,
  })) {
    if (titles.length === SNAPSHOT_PAGE_SIZE) {
      return { titles, ...(last ? { nextCursor: listingCursor(last) } : {}) };
    }
    last = { titleId: title.titleId, sortKey: listingSortKey(title.name, title.titleId) };
    const episodes: TitleRecord[] = [];
    if (title.kind === 'series')
      for await (const episode of deps.titles.episodes(title.titleId)) episodes.push(episode);
    titles.push(toSnapshotTitle(title, episodes));
  }
  return { titles };
}

/** The poster candidates of the first of `titles` whose asset has some, as paths on the delivery edge. */
function posterCandidates(titles: readonly TitleRecord[]): Pick<SnapshotTitle, 'artworkCandidates'> {
  const candidates = titles.find((t) => (t.asset?.posterCandidates ?? []).length > 0)?.asset
    ?.posterCandidates;
  if (!candidates) return {};
  return { artworkCandidates: candidates.map((c) => ({ artworkId: c.artworkId, url: `/${c.key}` })) };
}

function toSnapshotTitle(title: TitleRecord, episodes: readonly TitleRecord[]): SnapshotTitle {
  return {
    titleId: title.titleId,
    kind: title.kind === 'series' ? 'series' : 'movie',
    name: title.name,
    synopsis: title.synopsis,
    genres: title.genres,
    cast: title.cast,
    maturity: title.maturity,
    ...(title.releaseYear !== undefined ? { releaseYear: title.releaseYear } : {}),
    availability: title.availability,
    artwork: title.artwork,
    playable:
      title.kind === 'series' ? episodes.some((e) => e.asset !== undefined) : title.asset !== undefined,
    ...posterCandidates(title.kind === 'series' ? episodes : [title]),
    ...(title.kind === 'series' ? { episodeIds: episodes.map((e) => e.titleId) } : {}),
    createdAt: title.createdAt,
  };
}

function viewerOf(request: { country: string; maturity?: Viewer['maturity'] }): Viewer {
  return request.maturity === undefined
    ? { country: request.country }
    : { country: request.country, maturity: request.maturity };
}

/** The requested titles this viewer may see, in the order asked (duplicates once); the rest are left out. */
export async function describeTitles(
  deps: InternalDeps,
  titleIds: readonly string[],
  viewer: Viewer,
  now: Date,
): Promise<CatalogInternalResponse> {
  const wanted = [...new Set(titleIds)];
  if (wanted.length === 0) return { titles: [] };
  const found = new Map((await deps.titles.getMany(wanted)).map((t) => [t.titleId, t]));
  const titles = wanted.flatMap((id) => {
    const title = found.get(id);
    return title && isVisible(title, viewer, now) ? [toTitleFacts(title)] : [];
  });
  return { titles };
}

/**
 * The first episode after `titleId` in its series, by (season, episode), that this viewer may
 * see: it crosses into the next season, and skips episodes not live in the country. None (or
 * `titleId` is not an episode): `{ titles: [] }`.
 */
export async function nextEpisode(
  deps: InternalDeps,
  titleId: string,
  viewer: Viewer,
  now: Date,
): Promise<CatalogInternalResponse> {
  const current = await deps.titles.get(titleId);
  if (
    current?.kind !== 'episode' ||
    current.seriesId === undefined ||
    current.seasonNumber === undefined ||
    current.episodeNumber === undefined
  ) {
    return { titles: [] };
  }
  const after = episodeKey(current.seasonNumber, current.episodeNumber);
  for await (const episode of deps.titles.episodes(current.seriesId, { after })) {
    if (isVisible(episode, viewer, now)) return { titles: [toTitleFacts(episode)] };
  }
  return { titles: [] };
}

/** Any title, whatever its windows (admin flows such as uploads). */
export async function getTitleForAdmin(
  deps: InternalDeps,
  titleId: string,
): Promise<CatalogInternalResponse> {
  const title = await deps.titles.get(titleId);
  return { titles: title ? [toTitleFacts(title)] : [] };
}
