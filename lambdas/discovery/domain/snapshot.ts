/** Building the catalog snapshot the indexer stores: the catalog's titles and their recent popularity. */
import type { SnapshotTitle } from '#contracts/internal.ts';
import type { CatalogSnapshot, TitleViewing } from './ports.ts';

/** What the functions work with before the indexer has written anything (a new deployment). */
export function emptySnapshot(now: Date): CatalogSnapshot {
  return { builtAt: now.toISOString(), titles: [], popularity: {} };
}

/** The snapshot: titles as the catalog gave them; popularity is plays, an episode's going to its series. */
export function buildSnapshot(
  titles: readonly SnapshotTitle[],
  viewing: ReadonlyMap<string, TitleViewing>,
  now: Date,
): CatalogSnapshot {
  const seriesOf = new Map<string, string>();
  for (const title of titles) for (const id of title.episodeIds ?? []) seriesOf.set(id, title.titleId);
  const popularity: Record<string, number> = {};
  for (const [titleId, counts] of viewing) {
    const id = seriesOf.get(titleId) ?? titleId;
    popularity[id] = (popularity[id] ?? 0) + counts.plays;
  }
  return { builtAt: now.toISOString(), titles: [...titles], popularity };
}
