/**
 * A profile's recommendations as the routes and the batch use them. The batch stores each
 * profile's list, computed for any country and maturity (every playable title is eligible); a
 * read filters it for the audience. A list is recomputed on read when the profile liked
 * something since it was stored (so watching two titles changes what it sees at once, not at the
 * next batch), and when too few of its titles are visible to this audience (a kids profile, a
 * country with a small catalog): then the list is computed for this audience and not stored.
 */
import type { Recommendations } from '#contracts/api/discovery.ts';
import type { ArtworkChooser } from './artwork.ts';
import { type Audience, type CatalogView, toItem } from './catalog-view.ts';
import type { Like, RecommendationStore, StoredRecommendations, TasteStore } from './ports.ts';
import { LIKES_CONSIDERED, type RecommendCatalog, recommend, recommendCatalog } from './recommend.ts';

/** Recommendations kept per profile. */
export const STORED_RECOMMENDATIONS = 100;

export interface RecommendationPorts {
  readonly tastes: TasteStore;
  readonly store: RecommendationStore;
  readonly clock: () => Date;
}

/** What a batch (or a read) shares across profiles: the catalog indexed once, like counts read once. */
export interface RecommendContext {
  readonly catalog: CatalogView;
  readonly index: RecommendCatalog;
  readonly likeCounts: ReadonlyMap<string, number>;
  readonly popularity: ReadonlyMap<string, number>;
}

const indexes = new WeakMap<CatalogView, RecommendCatalog>();

export async function recommendContext(
  ports: Pick<RecommendationPorts, 'tastes'>,
  catalog: CatalogView,
): Promise<RecommendContext> {
  let index = indexes.get(catalog);
  if (!index) {
    index = recommendCatalog(catalog.snapshot.titles);
    indexes.set(catalog, index);
  }
  return {
    catalog,
    index,
    likeCounts: await ports.tastes.likeCounts(),
    popularity: new Map(Object.entries(catalog.snapshot.popularity)),
  };
}

/** Computes a list for the likes given (co-occurrence read for the most recent ones). */
async function compute(
  ports: RecommendationPorts,
  context: RecommendContext,
  likes: readonly Like[],
  eligible: (titleId: string) => boolean,
  limit: number,
): Promise<StoredRecommendations> {
  const recent = [...likes].sort((a, b) => b.likedAt.localeCompare(a.likedAt)).slice(0, LIKES_CONSIDERED);
  const rows = new Map(
    await Promise.all(
      recent.map(async (l) => [l.titleId, await ports.tastes.coOccurrence(l.titleId)] as const),
    ),
  );
  const items = recommend({
    likes,
    finished: new Set(likes.filter((l) => l.finished).map((l) => l.titleId)),
    coOccurrence: (titleId) => rows.get(titleId) ?? new Map(),
    likeCounts: context.likeCounts,
    popularity: context.popularity,
    catalog: context.index,
    eligible,
    limit,
  });
  const basedOn = recent[0]?.likedAt;
  return { computedAt: ports.clock().toISOString(), ...(basedOn ? { basedOn } : {}), items };
}

const playable = (catalog: CatalogView) => (titleId: string) => catalog.byId.get(titleId)?.playable === true;

/** The batch's step for one profile: computes and stores its list. */
export async function refreshProfile(
  ports: RecommendationPorts,
  context: RecommendContext,
  profileKey: string,
): Promise<void> {
  const likes = await ports.tastes.likesOf(profileKey);
  await ports.store.put(
    profileKey,
    await compute(ports, context, likes, playable(context.catalog), STORED_RECOMMENDATIONS),
  );
}

/** The profile's recommendations for this audience, best first. */
export async function recommendationsFor(
  ports: RecommendationPorts,
  context: RecommendContext,
  request: { profileId: string; profileKey: string; audience: Audience; limit: number },
  artwork?: ArtworkChooser,
): Promise<Recommendations> {
  const { catalog } = context;
  const visible = (titleId: string) => catalog.visible(titleId, request.audience);
  const [stored, likes] = await Promise.all([
    ports.store.get(request.profileKey),
    ports.tastes.likesOf(request.profileKey),
  ]);
  const newest = likes.reduce<string | undefined>(
    (m, l) => (m === undefined || l.likedAt > m ? l.likedAt : m),
    undefined,
  );
  let list = stored;
  if (!list || (newest !== undefined && (list.basedOn === undefined || newest > list.basedOn))) {
    list = await compute(ports, context, likes, playable(catalog), STORED_RECOMMENDATIONS);
    await ports.store.put(request.profileKey, list);
  }
  let items: StoredRecommendations['items'] = list.items.filter((i) => visible(i.titleId));
  if (items.length < request.limit && items.length < list.items.length) {
    items = (await compute(ports, context, likes, visible, request.limit)).items;
  }
  const titles = items.slice(0, request.limit).flatMap((item) => {
    const title = catalog.byId.get(item.titleId);
    return title ? [{ title, item }] : [];
  });
  const choose = artwork ? await artwork(titles.map((t) => t.title)) : undefined;
  return {
    profileId: request.profileId,
    computedAt: list.computedAt,
    items: titles.map(({ title, item }) => ({
      ...toItem(title, choose?.(title.titleId)),
      score: Math.round(item.score * 10_000) / 10_000,
      reason: item.reason,
    })),
  };
}
