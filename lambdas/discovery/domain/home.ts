/**
 * The home page: rows from four dependencies, each called through a guard (a circuit breaker with
 * a timeout), so a failing or slow dependency costs its row, never the page:
 *
 * - history → Continue watching (left out when history fails);
 * - top10 (the viewing aggregates) → Top 10 in <country> (left out when it fails);
 * - recommendations → Because you watched … and Recommended for you; when they fail, the
 *   recommended row is filled from the Top 10 ranking, else from the catalog's popularity order;
 * - catalog (the snapshot) → genre rows and New arrivals; without it only Continue watching can
 *   be shown (its items need the catalog's fields).
 *
 * The answer lists every degraded dependency, why, and what stood in for it.
 */
import type {
  ChosenArtwork,
  Home,
  HomeDependency,
  HomeRow,
  Recommendations,
  Top10,
} from '#contracts/api/discovery.ts';
import type { continueWatchingSchema } from '#contracts/api/history.ts';
import type * as z from '#contracts/zod.ts';
import { type Audience, type CatalogView, toItem } from './catalog-view.ts';

type ContinueWatching = z.infer<typeof continueWatchingSchema>;

export type Guarded<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly cause: 'OPEN' | 'TIMEOUT' | 'ERROR'; readonly error: unknown };

/** What the page calls through a breaker: its dependencies, and the artwork choice (which no row depends on). */
export type GuardedDependency = HomeDependency | 'artwork';

/** Runs a dependency's call through its breaker. */
export type Guard = <T>(dependency: GuardedDependency, call: () => Promise<T>) => Promise<Guarded<T>>;

export interface HomePorts {
  readonly guard: Guard;
  readonly catalog: () => Promise<CatalogView>;
  readonly continueWatching: () => Promise<ContinueWatching>;
  readonly recommendations: () => Promise<Recommendations>;
  readonly top10: (catalog: CatalogView) => Promise<Top10>;
  /** The poster each title shows this profile (the artwork bandit); editorial when absent. */
  readonly artwork?: (titleIds: readonly string[]) => Promise<(titleId: string) => ChosenArtwork | undefined>;
}

/** Most items per row; rows people scroll sideways through. */
export const ROW_SIZE = 20;
/** Genre rows shown: the profile's favourite genres first, else the catalog's biggest. */
export const GENRE_ROWS = 3;
/** Because-you-watched rows shown. */
export const BECAUSE_ROWS = 2;

export async function buildHome(ports: HomePorts, profileId: string, audience: Audience): Promise<Home> {
  const degraded: Home['degraded'] = [];
  const [catalogResult, historyResult, recsResult] = await Promise.all([
    ports.guard('catalog', ports.catalog),
    ports.guard('history', ports.continueWatching),
    ports.guard('recommendations', ports.recommendations),
  ]);
  if (!historyResult.ok)
    degraded.push({ dependency: 'history', cause: historyResult.cause, fallback: 'omitted' });
  if (!catalogResult.ok) {
    degraded.push({ dependency: 'catalog', cause: catalogResult.cause, fallback: 'omitted' });
    if (!recsResult.ok)
      degraded.push({ dependency: 'recommendations', cause: recsResult.cause, fallback: 'omitted' });
    return { profileId, country: audience.country, rows: [], degraded };
  }
  const catalog = catalogResult.value;
  const top10Result = await ports.guard('top10', () => ports.top10(catalog));
  if (!top10Result.ok) degraded.push({ dependency: 'top10', cause: top10Result.cause, fallback: 'omitted' });

  const visible = (titleId: string) => catalog.visible(titleId, audience);
  // The Top 10 may be the country's, shared by every audience there: filtered here like the rest.
  const top10Items = top10Result.ok ? top10Result.value.items.filter((i) => visible(i.titleId)) : [];
  const popularOrder = [...catalog.snapshot.titles]
    .filter((t) => visible(t.titleId))
    .sort(
      (a, b) =>
        (catalog.snapshot.popularity[b.titleId] ?? 0) - (catalog.snapshot.popularity[a.titleId] ?? 0) ||
        a.name.localeCompare(b.name),
    );

  const rows: HomeRow[] = [];
  if (historyResult.ok) {
    const items = historyResult.value.items.flatMap((entry) => {
      const title = catalog.browsable(entry.titleId);
      if (!title || !visible(title.titleId)) return [];
      return [
        {
          ...toItem(title),
          playTitleId: entry.titleId,
          positionSec: entry.positionSec,
          durationSec: entry.durationSec,
        },
      ];
    });
    if (items.length > 0)
      rows.push({ id: 'continue-watching', title: 'Continue watching', items: items.slice(0, ROW_SIZE) });
  }
  if (top10Result.ok && top10Items.length > 0) {
    rows.push({
      id: 'top10',
      title: `Top 10 in ${audience.country} this week`,
      reason: `Most watched in ${audience.country} over the last ${top10Result.value.days.length} days`,
      items: top10Items.map(({ rank: _r, plays: _p, viewers: _v, watchHours: _w, ...item }) => item),
    });
  }

  if (recsResult.ok) {
    const recs = recsResult.value.items.filter((i) => visible(i.titleId));
    const because = new Map<string, typeof recs>();
    for (const item of recs) {
      if (item.reason.code !== 'BECAUSE_YOU_WATCHED' || !item.reason.titleId) continue;
      const list = because.get(item.reason.titleId) ?? [];
      list.push(item);
      because.set(item.reason.titleId, list);
    }
    for (const [titleId, items] of [...because]
      .sort((a, b) => b[1].length - a[1].length)
      .slice(0, BECAUSE_ROWS)) {
      const name = catalog.byId.get(titleId)?.name ?? titleId;
      rows.push({
        id: `because-${titleId}`,
        title: `Because you watched ${name}`,
        reason: `Viewers who liked ${name} also liked these`,
        items: items.slice(0, ROW_SIZE).map(({ score: _s, reason: _r, ...item }) => item),
      });
    }
    if (recs.length > 0) {
      rows.push({
        id: 'recommended',
        title: 'Recommended for you',
        items: recs.slice(0, ROW_SIZE).map(({ score: _s, reason: _r, ...item }) => item),
      });
    }
  } else {
    const fromTop10 = top10Items.length > 0;
    degraded.push({
      dependency: 'recommendations',
      cause: recsResult.cause,
      fallback: fromTop10 ? 'top10' : 'catalog',
    });
    const ids = fromTop10 ? top10Items.map((i) => i.titleId) : popularOrder.map((t) => t.titleId);
    const items = ids.flatMap((id) => {
      const title = catalog.byId.get(id);
      return title ? [toItem(title)] : [];
    });
    if (items.length > 0) {
      rows.push({
        id: 'recommended',
        title: fromTop10 ? `Popular in ${audience.country}` : 'Popular on Showrunner',
        reason: 'Your recommendations are not available right now',
        items: items.slice(0, ROW_SIZE),
      });
    }
  }

  for (const genre of favouriteGenres(
    rows,
    popularOrder.map((t) => t.genres),
  ).slice(0, GENRE_ROWS)) {
    const items = popularOrder.filter((t) => t.genres.includes(genre)).map((t) => toItem(t));
    if (items.length > 0)
      rows.push({ id: `genre-${genre}`, title: titleCase(genre), items: items.slice(0, ROW_SIZE) });
  }
  const newest = [...popularOrder].sort(
    (a, b) => b.createdAt.localeCompare(a.createdAt) || a.titleId.localeCompare(b.titleId),
  );
  if (newest.length > 0) {
    rows.push({
      id: 'new-arrivals',
      title: 'New arrivals',
      items: newest.slice(0, ROW_SIZE).map((t) => toItem(t)),
    });
  }

  if (ports.artwork) {
    const artwork = ports.artwork;
    const ids = [...new Set(rows.flatMap((r) => r.items.map((i) => i.titleId)))];
    // Behind a breaker too: a slow artwork store costs the personal posters (the editorial ones
    // stay), never the page.
    const chosen = await ports.guard('artwork', () => artwork(ids));
    if (chosen.ok) {
      const choose = chosen.value;
      for (const row of rows) {
        row.items = row.items.map((item) => ({ ...item, artwork: choose(item.titleId) ?? item.artwork }));
      }
    }
  }
  return { profileId, country: audience.country, rows, degraded };
}

/** Genres of what the profile watches and is recommended, most frequent first; then the catalog's. */
function favouriteGenres(rows: readonly HomeRow[], catalogGenres: readonly (readonly string[])[]): string[] {
  const personal = new Map<string, number>();
  for (const row of rows) {
    if (!['continue-watching', 'recommended'].includes(row.id) && !row.id.startsWith('because-')) continue;
    for (const item of row.items) for (const g of item.genres) personal.set(g, (personal.get(g) ?? 0) + 1);
  }
  const overall = new Map<string, number>();
  for (const genres of catalogGenres) for (const g of genres) overall.set(g, (overall.get(g) ?? 0) + 1);
  const byCount = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([g]) => g);
  return [...new Set([...byCount(personal), ...byCount(overall)])];
}

function titleCase(genre: string): string {
  return genre.replace(/(^|[\s-])\p{L}/gu, (m) => m.toUpperCase());
}
