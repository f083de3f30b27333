/**
 * Recommendations, per profile: item-to-item collaborative filtering over what profiles liked,
 * blended with content similarity (genres, cast, maturity) where the co-occurrence data is thin
 * (a new profile, a new title), minus what the profile already liked or finished. Popularity is
 * a small prior, and the whole answer for a profile that liked nothing yet.
 *
 * Pure: the caller (the batch job, or the bench) reads the counts the stream aggregator keeps and
 * passes them in; the aggregator itself calls `coOccurrenceIncrements` on every new like, so the
 * bench's co-occurrence table is built by the same code as production's.
 *
 * Deterministic: the same input gives the same list (ties broken by title id; sums taken in the
 * profile's like order, never in a map's arrival order).
 */
import { MATURITY_LEVELS } from '#contracts/api/common.ts';
import type { RecommendationReason } from '#contracts/api/discovery.ts';
import { POSITIVE_WATCH_RATIO } from '#contracts/discovery.ts';
import type { SnapshotTitle } from '#contracts/internal.ts';
import type { CoOccurrenceIncrement, Like } from './ports.ts';

/**
 * A new like is paired with at most this many of the profile's most recent earlier likes. Each
 * pair is two `UpdateItem`s (both directions), so this bounds the writes one like costs (≤ 60), and
 * it keeps a heavy viewer's long history from adding a pair to every title it ever liked: pairs
 * that are close in time are also the ones that say most about taste now.
 */
export const CO_OCCURRENCE_RECENT_LIKES = 30;

/** The profile's most recent likes the recommender reads (older ones weigh little anyway). */
export const LIKES_CONSIDERED = 50;

/**
 * Tuning of the blend. The defaults were chosen on `npm run bench:recs` (see bench/README.md) and
 * kept round: none is fitted to more than one significant digit.
 */
export interface RecommendTuning {
  /** A like this many places older (by recency rank) weighs half as much. */
  readonly recencyHalfLifeLikes: number;
  /** Weight of a like that was watched past half but not finished, relative to a finished one. */
  readonly partialWatchWeight: number;
  /**
   * Asymmetry of the co-occurrence similarity: n(l,c) / (n(l)^a · n(c)^(1−a)). 0.5 is the cosine;
   * towards 1 it becomes P(c | l), which leans to popular candidates.
   */
  readonly asymmetry: number;
  /** Shrinkage of the co-occurrence cosine: `c / (c + shrinkage)`; a pair seen once says little. */
  readonly shrinkage: number;
  /** Likes at which CF and content weigh the same for a profile (content: `k / (k + likes)`). */
  readonly profileContentPrior: number;
  /** Profiles that liked a candidate at which CF and content weigh the same for it. */
  readonly titleContentPrior: number;
  /** Content similarities are larger than co-occurrence cosines; this puts them on one scale. */
  readonly contentScale: number;
  /** Weight of the popularity prior (`log(1 + plays) / log(1 + most plays)`, in [0, 1]). */
  readonly popularityWeight: number;
}

export const DEFAULT_TUNING: RecommendTuning = {
  recencyHalfLifeLikes: 10,
  partialWatchWeight: 0.8,
  asymmetry: 0.5,
  shrinkage: 5,
  profileContentPrior: 1,
  titleContentPrior: 2,
  contentScale: 0.1,
  popularityWeight: 0.1,
};

/** Weights of the content similarity's parts (they add up to 1). */
const GENRE_WEIGHT = 0.6;
const CAST_WEIGHT = 0.3;
const MATURITY_WEIGHT = 0.1;
/** Content neighbours kept per title: the most similar ones (newest first among equals). */
export const MAX_CONTENT_NEIGHBOURS = 100;

/** One recommended title, best first. */
export interface Recommendation {
  readonly titleId: string;
  readonly score: number;
  readonly reason: RecommendationReason;
}

/** `true` when a watch makes the title one the profile liked: finished, or watched at least half. */
export function isPositive(positionSec: number, durationSec: number, finished: boolean): boolean {
  return finished || (durationSec > 0 && positionSec / durationSec >= POSITIVE_WATCH_RATIO);
}

/** Most recent first; equal instants by title id. Instants are compared as times, not as text. */
function byRecency(a: Pick<Like, 'titleId' | 'likedAt'>, b: Pick<Like, 'titleId' | 'likedAt'>): number {
  return Date.parse(b.likedAt) - Date.parse(a.likedAt) || compareIds(a.titleId, b.titleId);
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The co-occurrence counts to add when a profile newly likes `newlyLiked`: one per direction for
 * each of its `cap` most recent earlier likes. Repeated ids and `newlyLiked` itself are ignored.
 */
export function coOccurrenceIncrements(
  newlyLiked: string,
  alreadyLiked: readonly Pick<Like, 'titleId' | 'likedAt'>[],
  cap: number = CO_OCCURRENCE_RECENT_LIKES,
): CoOccurrenceIncrement[] {
  const seen = new Set<string>([newlyLiked]);
  const increments: CoOccurrenceIncrement[] = [];
  for (const like of [...alreadyLiked].sort(byRecency)) {
    if (increments.length >= cap * 2) break;
    if (seen.has(like.titleId)) continue;
    seen.add(like.titleId);
    increments.push({ a: like.titleId, b: newlyLiked }, { a: newlyLiked, b: like.titleId });
  }
  return increments;
}

/** The catalog as the recommender reads it: titles by id and each one's content neighbours. */
export interface RecommendCatalog {
  get(titleId: string): SnapshotTitle | undefined;
  /** Titles sharing a genre or cast member with `titleId`, with their similarity in (0, 1]. */
  contentNeighbours(titleId: string): ReadonlyMap<string, number>;
}

interface TitleFeatures {
  readonly title: SnapshotTitle;
  readonly genres: ReadonlySet<string>;
  readonly cast: ReadonlySet<string>;
  readonly maturity: number;
  readonly createdAt: number;
}

/**
 * Indexes a catalog once for many `recommend` calls (a batch job builds it per snapshot): genres
 * and cast members to titles, and each title's content neighbours, computed on first use and kept.
 */
export function recommendCatalog(titles: readonly SnapshotTitle[]): RecommendCatalog {
  const features = new Map<string, TitleFeatures>();
  const byFeature = new Map<string, string[]>();
  for (const title of titles) {
    const genres = new Set(title.genres.map((g) => g.toLowerCase()));
    const cast = new Set(title.cast.map((c) => c.toLowerCase()));
    features.set(title.titleId, {
      title,
      genres,
      cast,
      maturity: MATURITY_LEVELS.indexOf(title.maturity),
      createdAt: Date.parse(title.createdAt) || 0,
    });
    for (const key of [...[...genres].map((g) => `g:${g}`), ...[...cast].map((c) => `c:${c}`)]) {
      const list = byFeature.get(key);
      if (list) list.push(title.titleId);
      else byFeature.set(key, [title.titleId]);
    }
  }
  const neighbours = new Map<string, ReadonlyMap<string, number>>();
  const none: ReadonlyMap<string, number> = new Map();
  return {
    get: (titleId) => features.get(titleId)?.title,
    contentNeighbours(titleId) {
      const cached = neighbours.get(titleId);
      if (cached) return cached;
      const self = features.get(titleId);
      if (!self) return none;
      const others = new Set<string>();
      for (const g of self.genres) for (const id of byFeature.get(`g:${g}`) ?? []) others.add(id);
      for (const c of self.cast) for (const id of byFeature.get(`c:${c}`) ?? []) others.add(id);
      others.delete(titleId);
      const scored: { id: string; sim: number; createdAt: number }[] = [];
      for (const id of others) {
        const other = features.get(id);
        if (other) scored.push({ id, sim: contentSimilarity(self, other), createdAt: other.createdAt });
      }
      // Newest first among equals: a new title is exactly the one content has to bring forward.
      scored.sort((a, b) => b.sim - a.sim || b.createdAt - a.createdAt || compareIds(a.id, b.id));
      const kept = new Map(scored.slice(0, MAX_CONTENT_NEIGHBOURS).map((s) => [s.id, s.sim]));
      neighbours.set(titleId, kept);
      return kept;
    },
  };
}

/** Genres (Jaccard), cast (shared members over the geometric mean of sizes), maturity closeness. */
function contentSimilarity(a: TitleFeatures, b: TitleFeatures): number {
  const sharedGenres = countShared(a.genres, b.genres);
  const genreUnion = a.genres.size + b.genres.size - sharedGenres;
  const genres = genreUnion > 0 ? sharedGenres / genreUnion : 0;
  const castProduct = a.cast.size * b.cast.size;
  const cast = castProduct > 0 ? countShared(a.cast, b.cast) / Math.sqrt(castProduct) : 0;
  const levels = MATURITY_LEVELS.length - 1;
  const maturity = a.maturity < 0 || b.maturity < 0 ? 0 : 1 - Math.abs(a.maturity - b.maturity) / levels;
  return GENRE_WEIGHT * genres + CAST_WEIGHT * cast + MATURITY_WEIGHT * maturity;
}

function countShared(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n += 1;
  return n;
}

export interface RecommendInput {
  /** The profile's likes (any order; the most recent `LIKES_CONSIDERED` are read). */
  readonly likes: readonly Like[];
  /** Titles the profile finished: never recommended. */
  readonly finished: ReadonlySet<string>;
  /** How many profiles liked both `titleId` and each other title (asked for the profile's likes only). */
  readonly coOccurrence: (titleId: string) => ReadonlyMap<string, number>;
  /** How many profiles liked each title. */
  readonly likeCounts: ReadonlyMap<string, number>;
  /** Plays per title (recent): the prior, and the whole answer for a profile with no likes. */
  readonly popularity: ReadonlyMap<string, number>;
  readonly catalog: RecommendCatalog;
  /** Whether the profile may be shown the title now (availability in its country, maturity). */
  readonly eligible: (titleId: string) => boolean;
  readonly limit: number;
  readonly tuning?: Partial<RecommendTuning>;
}

interface Accumulated {
  cf: number;
  content: number;
  /** The named like that added most to each part, and how much. */
  cfBy?: string;
  cfTop: number;
  contentBy?: string;
  contentTop: number;
}

interface PopularityRanking {
  readonly ranked: readonly string[];
  readonly logMax: number;
}

// Popularity is the same map for every profile of a batch: rank it once per map.
const rankings = new WeakMap<ReadonlyMap<string, number>, PopularityRanking>();

function rankingOf(popularity: ReadonlyMap<string, number>): PopularityRanking {
  const cached = rankings.get(popularity);
  if (cached) return cached;
  const entries = [...popularity].filter(([, plays]) => plays > 0);
  entries.sort((a, b) => b[1] - a[1] || compareIds(a[0], b[0]));
  const ranking = { ranked: entries.map(([id]) => id), logMax: Math.log1p(entries[0]?.[1] ?? 0) };
  rankings.set(popularity, ranking);
  return ranking;
}

/**
 * The profile's recommendations, best first, at most `limit`, each with the reason that weighed
 * most: `BECAUSE_YOU_WATCHED` the liked title whose co-occurrence added most, `SIMILAR_TO` the one
 * whose content similarity did (when content outweighs co-occurrence), or `POPULAR`.
 *
 * Score of a candidate c, over the profile's likes l with recency weights w(l) (Σw = 1):
 * - CF: Σ w(l) · cos(l, c) · n(l,c) / (n(l,c) + shrinkage), cos = n(l,c) / (n(l)^a · n(c)^(1−a)),
 *   the cosine for the default a = 0.5 (n(l,c): profiles that liked both, n(x): that liked x);
 * - content: Σ w(l) · sim(l, c) · contentScale;
 * - blended with β = 1 − (1 − βp)(1 − βc), βp = kp / (kp + likes), βc = kc / (kc + n(c)):
 *   (1 − β) · CF + β · content, plus popularityWeight · log(1 + plays(c)) / log(1 + most plays).
 */
export function recommend(input: RecommendInput): Recommendation[] {
  const tuning = { ...DEFAULT_TUNING, ...input.tuning };
  const { catalog, likeCounts } = input;
  const popularity = rankingOf(input.popularity);
  const likes = dedupe([...input.likes].sort(byRecency)).slice(0, LIKES_CONSIDERED);
  const excluded = new Set([...input.finished, ...likes.map((l) => l.titleId)]);
  const weights = likes.map(
    (like, rank) =>
      0.5 ** (rank / tuning.recencyHalfLifeLikes) * (like.finished ? 1 : tuning.partialWatchWeight),
  );
  const totalWeight = weights.reduce((a, b) => a + b, 0);

  const accumulated = new Map<string, Accumulated>();
  const entry = (titleId: string): Accumulated => {
    let acc = accumulated.get(titleId);
    if (!acc) {
      acc = { cf: 0, content: 0, cfTop: 0, contentTop: 0 };
      accumulated.set(titleId, acc);
    }
    return acc;
  };
  likes.forEach((like, i) => {
    const w = (weights[i] ?? 0) / totalWeight;
    const named = catalog.get(like.titleId) !== undefined;
    const likedBy = Math.max(likeCounts.get(like.titleId) ?? 0, 1);
    for (const [candidate, together] of input.coOccurrence(like.titleId)) {
      if (together <= 0 || excluded.has(candidate)) continue;
      const candidateLikedBy = Math.max(likeCounts.get(candidate) ?? 0, together);
      const cosine = together / (likedBy ** tuning.asymmetry * candidateLikedBy ** (1 - tuning.asymmetry));
      const part = w * cosine * (together / (together + tuning.shrinkage));
      const acc = entry(candidate);
      acc.cf += part;
      if (named && part > acc.cfTop) {
        acc.cfTop = part;
        acc.cfBy = like.titleId;
      }
    }
    for (const [candidate, similarity] of catalog.contentNeighbours(like.titleId)) {
      if (excluded.has(candidate)) continue;
      const part = w * similarity * tuning.contentScale;
      const acc = entry(candidate);
      acc.content += part;
      if (named && part > acc.contentTop) {
        acc.contentTop = part;
        acc.contentBy = like.titleId;
      }
    }
  });

  const profileContent = tuning.profileContentPrior / (tuning.profileContentPrior + likes.length);
  const prior = (titleId: string): number =>
    popularity.logMax > 0
      ? (tuning.popularityWeight * Math.log1p(input.popularity.get(titleId) ?? 0)) / popularity.logMax
      : 0;
  const results: Recommendation[] = [];
  for (const [titleId, acc] of accumulated) {
    if (!input.eligible(titleId)) continue;
    const title = catalog.get(titleId);
    if (!title) continue;
    const support = likeCounts.get(titleId) ?? 0;
    const titleContent = tuning.titleContentPrior / (tuning.titleContentPrior + support);
    const beta = 1 - (1 - profileContent) * (1 - titleContent);
    const cf = (1 - beta) * acc.cf;
    const content = beta * acc.content;
    results.push({
      titleId,
      score: cf + content + prior(titleId),
      reason: reasonFor(acc, cf, content, catalog),
    });
  }

  // Popular titles compete on their prior alone: they fill the list when the profile's likes
  // reach too few titles, and they are the whole list for a profile with none.
  let popularAdded = 0;
  for (const titleId of popularity.ranked) {
    if (popularAdded >= input.limit) break;
    if (excluded.has(titleId) || accumulated.has(titleId) || !input.eligible(titleId)) continue;
    if (!catalog.get(titleId)) continue;
    results.push({ titleId, score: prior(titleId), reason: POPULAR_REASON });
    popularAdded += 1;
  }

  results.sort((a, b) => b.score - a.score || compareIds(a.titleId, b.titleId));
  return results.slice(0, input.limit);
}

const POPULAR_REASON: RecommendationReason = { code: 'POPULAR', text: 'Popular on Showrunner' };

function reasonFor(
  acc: Accumulated,
  cf: number,
  content: number,
  catalog: RecommendCatalog,
): RecommendationReason {
  const byCf = acc.cfBy !== undefined ? catalog.get(acc.cfBy) : undefined;
  const byContent = acc.contentBy !== undefined ? catalog.get(acc.contentBy) : undefined;
  if (byCf && (cf >= content || !byContent)) {
    return { code: 'BECAUSE_YOU_WATCHED', titleId: byCf.titleId, text: `Because you watched ${byCf.name}` };
  }
  if (byContent)
    return { code: 'SIMILAR_TO', titleId: byContent.titleId, text: `Similar to ${byContent.name}` };
  // Only likes that have left the catalog reached it: no name to give.
  return { code: 'BECAUSE_YOU_WATCHED', text: 'Because of what you watched' };
}

/** The first of each title id (the list is sorted most recent first). */
function dedupe(likes: readonly Like[]): Like[] {
  const seen = new Set<string>();
  return likes.filter((l) => {
    if (seen.has(l.titleId)) return false;
    seen.add(l.titleId);
    return true;
  });
}
