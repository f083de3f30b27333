/**
 * Training and evaluation of the recommender on the synthetic world: each profile's last plays are
 * held out; every other play is replayed in time order through the production aggregation
 * functions (`isPositive`, `coOccurrenceIncrements`), which build the counts `recommend` reads;
 * then the recommender and a most-popular list are scored against the held-out plays.
 */
import type { Like } from '../../lambdas/discovery/domain/ports.ts';
import {
  coOccurrenceIncrements,
  isPositive,
  type RecommendCatalog,
  type RecommendTuning,
  recommend,
} from '../../lambdas/discovery/domain/recommend.ts';
import { choiceWeight, dayToIso, type Play, type SimProfile, type World } from './world.ts';

/** What the stream aggregator would hold after the training plays. */
export interface Trained {
  /** Plays per title, all training plays. */
  readonly plays: Map<string, number>;
  /** Plays per title in the last `popularityDays` of the timeline: the popularity both lists read. */
  readonly recentPlays: Map<string, number>;
  readonly likes: Map<number, Like[]>;
  readonly finished: Map<number, Set<string>>;
  readonly coOccurrence: Map<string, Map<string, number>>;
  readonly likeCounts: Map<string, number>;
  /** Held-out title ids per profile. */
  readonly heldOut: Map<number, string[]>;
  readonly trainingPlays: number;
  readonly positives: number;
  readonly increments: number;
}

export function train(world: World, holdOut: number, popularityDays: number): Trained {
  const events: { profile: SimProfile; play: Play }[] = [];
  const heldOut = new Map<number, string[]>();
  for (const profile of world.profiles) {
    const cut = Math.max(0, profile.plays.length - holdOut);
    profile.plays.slice(0, cut).forEach((play) => {
      events.push({ profile, play });
    });
    heldOut.set(
      profile.index,
      profile.plays
        .slice(cut)
        .map((p) => (world.titles[p.title] as World['titles'][number]).snapshot.titleId),
    );
  }
  events.sort((a, b) => a.play.day - b.play.day || a.profile.index - b.profile.index);

  const trained: Trained = {
    plays: new Map(),
    recentPlays: new Map(),
    likes: new Map(),
    finished: new Map(),
    coOccurrence: new Map(),
    likeCounts: new Map(),
    heldOut,
    trainingPlays: events.length,
    positives: 0,
    increments: 0,
  };
  let positives = 0;
  let increments = 0;
  for (const { profile, play } of events) {
    const titleId = (world.titles[play.title] as World['titles'][number]).snapshot.titleId;
    add(trained.plays, titleId, 1);
    if (play.day >= world.days - popularityDays) add(trained.recentPlays, titleId, 1);
    if (play.finished) getOr(trained.finished, profile.index, () => new Set<string>()).add(titleId);
    if (!isPositive(play.positionSec, play.durationSec, play.finished)) continue;
    const likes = getOr(trained.likes, profile.index, () => [] as Like[]);
    if (likes.some((l) => l.titleId === titleId)) continue;
    for (const { a, b } of coOccurrenceIncrements(titleId, likes)) {
      add(
        getOr(trained.coOccurrence, a, () => new Map<string, number>()),
        b,
        1,
      );
      increments += 1;
    }
    add(trained.likeCounts, titleId, 1);
    likes.push({ titleId, likedAt: dayToIso(play.day), finished: play.finished });
    positives += 1;
  }
  return { ...trained, positives, increments };
}

function add(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

function getOr<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** Hit rate (share of held-out titles in the top k) and NDCG@k, averaged over profiles. */
export interface Scores {
  readonly hitRate: number;
  readonly ndcg: number;
  readonly profiles: number;
}

export class Scorer {
  #hits = 0;
  #ndcg = 0;
  #profiles = 0;

  readonly k: number;

  constructor(k: number) {
    this.k = k;
  }

  add(ranked: readonly string[], relevant: readonly string[]): void {
    if (relevant.length === 0) return;
    const wanted = new Set(relevant);
    let hits = 0;
    let dcg = 0;
    ranked.slice(0, this.k).forEach((id, i) => {
      if (wanted.has(id)) {
        hits += 1;
        dcg += 1 / Math.log2(i + 2);
      }
    });
    let ideal = 0;
    for (let i = 0; i < Math.min(this.k, wanted.size); i++) ideal += 1 / Math.log2(i + 2);
    this.#hits += hits / Math.min(this.k, wanted.size);
    this.#ndcg += dcg / ideal;
    this.#profiles += 1;
  }

  get scores(): Scores {
    const n = Math.max(1, this.#profiles);
    return { hitRate: this.#hits / n, ndcg: this.#ndcg / n, profiles: this.#profiles };
  }
}

export interface Evaluation {
  readonly recs: Scores;
  readonly popular: Scores;
  /** Only the held-out plays of titles released in the last 60 days (cold start). */
  readonly recsNewTitles: Scores;
  readonly popularNewTitles: Scores;
  /** Only profiles with at most 2 training likes. */
  readonly recsFewLikes: Scores;
  readonly popularFewLikes: Scores;
  /** Share of recommended items by reason code. */
  readonly reasons: Record<string, number>;
  /** Recommended items that the profile may not see (must be 0). */
  readonly ineligibleShown: number;
}

export function evaluate(
  world: World,
  trained: Trained,
  catalog: RecommendCatalog,
  eligibleFor: (profile: SimProfile) => (titleId: string) => boolean,
  options: { k: number; tuning?: Partial<RecommendTuning> },
): Evaluation {
  const { k } = options;
  const scorers = {
    recs: new Scorer(k),
    popular: new Scorer(k),
    recsNewTitles: new Scorer(k),
    popularNewTitles: new Scorer(k),
    recsFewLikes: new Scorer(k),
    popularFewLikes: new Scorer(k),
  };
  const newTitles = new Set(world.titles.filter((t) => t.isNew).map((t) => t.snapshot.titleId));
  const popularity = trained.recentPlays;
  const byPlays = [...popularity].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
  const reasons: Record<string, number> = {};
  let items = 0;
  let ineligibleShown = 0;
  const none = new Map<string, number>();
  for (const profile of world.profiles) {
    const relevant = trained.heldOut.get(profile.index) ?? [];
    if (relevant.length === 0) continue;
    const likes = trained.likes.get(profile.index) ?? [];
    const finished = trained.finished.get(profile.index) ?? new Set<string>();
    const eligible = eligibleFor(profile);
    const recs = recommend({
      likes,
      finished,
      coOccurrence: (titleId) => trained.coOccurrence.get(titleId) ?? none,
      likeCounts: trained.likeCounts,
      popularity,
      catalog,
      eligible,
      limit: k,
      ...(options.tuning ? { tuning: options.tuning } : {}),
    });
    for (const r of recs) {
      reasons[r.reason.code] = (reasons[r.reason.code] ?? 0) + 1;
      items += 1;
      if (!eligible(r.titleId)) ineligibleShown += 1;
    }
    // Most popular: the same exclusions and eligibility as the recommender.
    const seen = new Set([...finished, ...likes.map((l) => l.titleId)]);
    const popular: string[] = [];
    for (const id of byPlays) {
      if (popular.length >= k) break;
      if (!seen.has(id) && eligible(id)) popular.push(id);
    }
    const ranked = recs.map((r) => r.titleId);
    scorers.recs.add(ranked, relevant);
    scorers.popular.add(popular, relevant);
    const fresh = relevant.filter((id) => newTitles.has(id));
    scorers.recsNewTitles.add(ranked, fresh);
    scorers.popularNewTitles.add(popular, fresh);
    if (likes.length <= 2) {
      scorers.recsFewLikes.add(ranked, relevant);
      scorers.popularFewLikes.add(popular, relevant);
    }
  }
  for (const code of Object.keys(reasons)) reasons[code] = (reasons[code] ?? 0) / Math.max(1, items);
  return {
    recs: scorers.recs.scores,
    popular: scorers.popular.scores,
    recsNewTitles: scorers.recsNewTitles.scores,
    popularNewTitles: scorers.popularNewTitles.scores,
    recsFewLikes: scorers.recsFewLikes.scores,
    popularFewLikes: scorers.popularFewLikes.scores,
    reasons,
    ineligibleShown,
  };
}

/**
 * The ceiling: each profile's unplayed titles it may see, ranked by the hidden model's own choice
 * weight on the day of its first held-out play. No recommender can know this; it shows how much of
 * the held-out plays is predictable at all in this world.
 */
export function oracleScores(
  world: World,
  trained: Trained,
  eligibleFor: (profile: SimProfile) => (titleId: string) => boolean,
  k: number,
): Scores {
  const scorer = new Scorer(k);
  for (const profile of world.profiles) {
    const relevant = trained.heldOut.get(profile.index) ?? [];
    const cut = profile.plays.length - relevant.length;
    const day = profile.plays[cut]?.day;
    if (relevant.length === 0 || day === undefined) continue;
    const played = new Set(profile.plays.slice(0, cut).map((p) => p.title));
    const eligible = eligibleFor(profile);
    const ranked = world.titles
      .filter((t) => !played.has(t.index) && eligible(t.snapshot.titleId))
      .map((t) => ({ id: t.snapshot.titleId, w: choiceWeight(profile, t, day) }))
      .sort((a, b) => b.w - a.w)
      .map((t) => t.id);
    scorer.add(ranked, relevant);
  }
  return scorer.scores;
}
