/**
 * The catalog snapshot as discovery reads it: who may see a title (country windows, maturity),
 * episodes rolled up to their series, and a title as rows show it.
 */

import { type Maturity, maturityAllows } from '#contracts/api/common.ts';
import type { ChosenArtwork, DiscoveryItem } from '#contracts/api/discovery.ts';
import type { SnapshotTitle } from '#contracts/internal.ts';
import type { CatalogSnapshot } from './ports.ts';

/** Who is looking: their country and, with a profile, its maturity. */
export interface Audience {
  readonly country: string;
  readonly maturity?: Maturity;
  readonly now: Date;
}

/** Live in the audience's country now (some window covers it), and rated for its profile. */
export function isVisibleTo(title: SnapshotTitle, audience: Audience): boolean {
  if (audience.maturity !== undefined && !maturityAllows(audience.maturity, title.maturity)) return false;
  const at = audience.now.getTime();
  return title.availability.some(
    (w) =>
      w.countries.includes(audience.country) &&
      Date.parse(w.from) <= at &&
      (w.to === undefined || at < Date.parse(w.to)),
  );
}

/** The snapshot by title id, with each episode id pointing at its series. */
export interface CatalogView {
  readonly snapshot: CatalogSnapshot;
  readonly byId: ReadonlyMap<string, SnapshotTitle>;
  /** The browsable title an id stands for (an episode's series), if known. */
  browsable(titleId: string): SnapshotTitle | undefined;
  /** Visible and playable to the audience. */
  visible(titleId: string, audience: Audience): boolean;
}

export function catalogView(snapshot: CatalogSnapshot): CatalogView {
  const byId = new Map(snapshot.titles.map((t) => [t.titleId, t]));
  const seriesOf = new Map<string, string>();
  for (const title of snapshot.titles)
    for (const id of title.episodeIds ?? []) seriesOf.set(id, title.titleId);
  const browsable = (titleId: string) => byId.get(seriesOf.get(titleId) ?? titleId);
  return {
    snapshot,
    byId,
    browsable,
    visible(titleId, audience) {
      const title = byId.get(titleId);
      return title?.playable === true && isVisibleTo(title, audience);
    },
  };
}

/** The editorial poster when the title has no candidates to choose from. */
export function editorialArtwork(title: SnapshotTitle): ChosenArtwork {
  return { ...(title.artwork.poster ? { url: title.artwork.poster } : {}), reason: 'EDITORIAL' };
}

export function toItem(
  title: SnapshotTitle,
  artwork: ChosenArtwork = editorialArtwork(title),
): DiscoveryItem {
  return {
    titleId: title.titleId,
    kind: title.kind,
    name: title.name,
    synopsis: title.synopsis,
    genres: title.genres,
    maturity: title.maturity,
    ...(title.releaseYear !== undefined ? { releaseYear: title.releaseYear } : {}),
    artwork,
  };
}
