/** What other services ask the catalog (`catalogInternal`): title facts, next episodes, admin lookups. */
import type { CatalogInternalRequest, CatalogInternalResponse } from '#contracts/internal.ts';
import type { TitlesRepository } from './ports.ts';
import { episodeKey, isVisible, toTitleFacts, type Viewer } from './titles.ts';

export interface InternalDeps {
  readonly titles: TitlesRepository;
}

export async function catalogInternal(
  deps: InternalDeps,
  request: CatalogInternalRequest,
  now: Date,
): Promise<CatalogInternalResponse> {
  switch (request.op) {
    case 'describeTitles':
      return describeTitles(deps, request.titleIds, viewerOf(request), now);
    case 'nextEpisode':
      return nextEpisode(deps, request.titleId, viewerOf(request), now);
    case 'getTitleForAdmin':
      return getTitleForAdmin(deps, request.titleId);
  }
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
