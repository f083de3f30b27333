/**
 * Top 10: the titles with the most unique viewers in a country over the last days (ties: more
 * watch time, then more plays, then the title id), among those the audience may see now.
 */
import type { Top10 } from '#contracts/api/discovery.ts';
import { type Audience, type CatalogView, toItem } from './catalog-view.ts';
import type { TitleViewing } from './ports.ts';

export const TOP10_SIZE = 10;

export interface RankedTitle extends TitleViewing {
  readonly titleId: string;
}

/** Viewing per browsable title (an episode's counts go to its series), best first, visible only. */
export function rankViewing(
  viewing: ReadonlyMap<string, TitleViewing>,
  catalog: CatalogView,
  audience: Audience,
): RankedTitle[] {
  const totals = new Map<string, TitleViewing>();
  for (const [titleId, counts] of viewing) {
    const title = catalog.browsable(titleId);
    if (!title || !catalog.visible(title.titleId, audience)) continue;
    const before = totals.get(title.titleId) ?? { plays: 0, viewers: 0, watchSec: 0 };
    totals.set(title.titleId, {
      plays: before.plays + counts.plays,
      viewers: before.viewers + counts.viewers,
      watchSec: before.watchSec + counts.watchSec,
    });
  }
  return [...totals]
    .map(([titleId, counts]) => ({ titleId, ...counts }))
    .filter((t) => t.plays > 0 || t.watchSec > 0)
    .sort(
      (a, b) =>
        b.viewers - a.viewers ||
        b.watchSec - a.watchSec ||
        b.plays - a.plays ||
        (a.titleId < b.titleId ? -1 : a.titleId > b.titleId ? 1 : 0),
    );
}

export function top10(
  viewing: ReadonlyMap<string, TitleViewing>,
  catalog: CatalogView,
  audience: Audience,
  days: readonly string[],
  artworkFor: (titleId: string) => Top10['items'][number]['artwork'] | undefined = () => undefined,
): Top10 {
  const ranked = rankViewing(viewing, catalog, audience).slice(0, TOP10_SIZE);
  return {
    country: audience.country,
    days: [...days],
    items: ranked.flatMap((entry, i) => {
      const title = catalog.byId.get(entry.titleId);
      if (!title) return [];
      return [
        {
          ...toItem(title, artworkFor(entry.titleId)),
          rank: i + 1,
          plays: entry.plays,
          viewers: entry.viewers,
          watchHours: Math.round((entry.watchSec / 3600) * 100) / 100,
        },
      ];
    }),
  };
}
