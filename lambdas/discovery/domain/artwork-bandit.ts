/**
 * Which poster candidate a viewer sees for a title: Thompson sampling over the candidates'
 * play-through rates (plays started from a row item / impressions of that poster), per segment of
 * viewers, with exploration bounded twice:
 *
 * 1. **Elimination.** A candidate whose upper credible bound (posterior mean + `ELIMINATION_Z`
 *    standard deviations) is below the best one's lower bound is no longer drawn: once the data
 *    say a poster is worse, it stops costing plays. When every other candidate is eliminated the
 *    choice is the best one, always.
 * 2. **Budget.** Thompson sampling runs for at most `maxExploreShare` of the choices (a uniform
 *    draw decides); the rest show the posterior-mean best. So the share of viewers shown something
 *    other than the current best never exceeds the budget, however close the candidates are.
 *
 * **Segments.** Counts are kept per segment, the profile's top genre (`artworkSegment`), and
 * pooled over all segments. Viewers respond to different posters (a romance fan to the couple, a
 * thriller fan to the weapon), and that preference follows taste; one bandit per profile would
 * never see enough impressions of one title to learn anything, one for everybody would learn
 * only the average viewer. The top genre is the coarsest split that still follows taste, and a
 * segment's posterior starts from the pooled rate (`POOLED_PRIOR_IMPRESSIONS` pseudo-impressions),
 * so a small segment behaves like the whole audience until its own counts say otherwise. (The
 * pooled counts include the segment's own: counted twice, but only up to that prior's weight.) A
 * profile with no likes yet is in segment `all`.
 *
 * Pure: the random source is injected (a seeded PRNG in tests and in the bench).
 */

/** The segment of a profile with no likes yet; also the key of the pooled counts. */
export const ARTWORK_SEGMENT_ALL = 'all';
/** At most this share of choices run Thompson sampling; the rest show the posterior-mean best. */
export const MAX_EXPLORE_SHARE = 0.2;
/** Credible bounds at mean ± this many standard deviations (≈ 99.9 % one-sided for a normal). */
export const ELIMINATION_Z = 3;
/** The pooled rate counts as this many impressions of prior in a segment's posterior. */
export const POOLED_PRIOR_IMPRESSIONS = 20;

/** How often a candidate was shown (in a segment, or pooled), and how often a play started from it. */
export interface ArtworkStats {
  readonly artworkId: string;
  readonly impressions: number;
  readonly plays: number;
}

export type ArtworkReason = 'EXPLORE' | 'BEST_FOR_YOU' | 'ONLY_CANDIDATE';

export interface ArtworkChoice {
  readonly artworkId: string;
  readonly reason: ArtworkReason;
}

export interface ChooseArtworkInput {
  /** The title's candidates, in the pipeline's order (ties go to the earlier one), with the segment's counts. */
  readonly candidates: readonly ArtworkStats[];
  /** The same candidates' counts over all segments: the prior. Absent: the segment's own totals are. */
  readonly pooled?: readonly ArtworkStats[];
  /** Uniform in [0, 1). */
  readonly random: () => number;
  /** @default MAX_EXPLORE_SHARE */
  readonly maxExploreShare?: number;
}

interface Posterior {
  readonly artworkId: string;
  readonly alpha: number;
  readonly beta: number;
  readonly mean: number;
  readonly sd: number;
}

/**
 * The profile's segment: the genre most frequent among the titles it liked (ties: alphabetical),
 * or `all` when it liked none.
 */
export function artworkSegment(likedGenres: readonly (readonly string[])[]): string {
  const counts = new Map<string, number>();
  for (const genres of likedGenres) {
    for (const genre of new Set(genres.map((g) => g.toLowerCase())))
      counts.set(genre, (counts.get(genre) ?? 0) + 1);
  }
  let best: string = ARTWORK_SEGMENT_ALL;
  let bestCount = 0;
  for (const [genre, count] of counts) {
    if (count > bestCount || (count === bestCount && genre < best)) {
      best = genre;
      bestCount = count;
    }
  }
  return best;
}

/** The candidate to show, and why; `undefined` when the title has none. */
export function chooseArtwork(input: ChooseArtworkInput): ArtworkChoice | undefined {
  const { candidates } = input;
  const first = candidates[0];
  if (!first) return undefined;
  if (candidates.length === 1) return { artworkId: first.artworkId, reason: 'ONLY_CANDIDATE' };

  const { best, contenders } = standing(candidates, input.pooled);
  if (contenders.length === 1) return { artworkId: best.artworkId, reason: 'BEST_FOR_YOU' };

  if (input.random() >= (input.maxExploreShare ?? MAX_EXPLORE_SHARE)) {
    return { artworkId: best.artworkId, reason: 'BEST_FOR_YOU' };
  }
  let drawn = best;
  let top = -1;
  for (const p of contenders) {
    const theta = sampleBeta(p.alpha, p.beta, input.random);
    if (theta > top) {
      top = theta;
      drawn = p;
    }
  }
  return { artworkId: drawn.artworkId, reason: drawn === best ? 'BEST_FOR_YOU' : 'EXPLORE' };
}

/**
 * The candidates still explored, best (highest posterior mean) first, then in the given order:
 * those whose upper credible bound reaches the best one's lower bound.
 */
export function stillExplored(
  candidates: readonly ArtworkStats[],
  pooled?: readonly ArtworkStats[],
): string[] {
  if (candidates.length === 0) return [];
  const { best, contenders } = standing(candidates, pooled);
  return [best.artworkId, ...contenders.filter((p) => p !== best).map((p) => p.artworkId)];
}

function standing(
  candidates: readonly ArtworkStats[],
  pooled: readonly ArtworkStats[] | undefined,
): { best: Posterior; contenders: Posterior[] } {
  const all = posteriors(candidates, pooled);
  let best = all[0] as Posterior;
  for (const p of all) if (p.mean > best.mean) best = p;
  const floor = best.mean - ELIMINATION_Z * best.sd;
  return { best, contenders: all.filter((p) => p === best || p.mean + ELIMINATION_Z * p.sd >= floor) };
}

/**
 * Each candidate's posterior: its segment counts on top of a prior worth `POOLED_PRIOR_IMPRESSIONS`
 * impressions, centred on its pooled rate shrunk towards the title's (all candidates pooled). A
 * candidate nobody has seen yet thus starts at the title's rate, not at Beta(1, 1)'s 0.5, which
 * would make every new poster look like the best one. With no impression of the title at all, every
 * candidate is Beta(1, 1) and the first one leads.
 */
function posteriors(
  candidates: readonly ArtworkStats[],
  pooled: readonly ArtworkStats[] | undefined,
): Posterior[] {
  const source = pooled && total(pooled).impressions > 0 ? pooled : candidates;
  const title = total(source);
  const k = POOLED_PRIOR_IMPRESSIONS;
  return candidates.map((candidate) => {
    let alpha = 1;
    let beta = 1;
    if (title.impressions > 0) {
      const own = source.find((p) => p.artworkId === candidate.artworkId);
      const ownImpressions = own ? Math.max(0, own.impressions) : 0;
      const ownPlays = own ? clamp(own.plays, 0, ownImpressions) : 0;
      const titleRate = title.plays / title.impressions;
      // Own pooled rate shrunk towards the title's; kept off 0 and 1 so both shapes stay > 0.
      const mean = clamp((ownPlays + k * titleRate) / (ownImpressions + k), 1 / (2 * k), 1 - 1 / (2 * k));
      alpha = k * mean;
      beta = k * (1 - mean);
    }
    const impressions = Math.max(0, candidate.impressions);
    const plays = clamp(candidate.plays, 0, impressions);
    alpha += plays;
    beta += impressions - plays;
    const n = alpha + beta;
    return {
      artworkId: candidate.artworkId,
      alpha,
      beta,
      mean: alpha / n,
      sd: Math.sqrt((alpha * beta) / (n * n * (n + 1))),
    };
  });
}

function total(stats: readonly ArtworkStats[]): { impressions: number; plays: number } {
  let impressions = 0;
  let plays = 0;
  for (const s of stats) {
    const shown = Math.max(0, s.impressions);
    impressions += shown;
    plays += clamp(s.plays, 0, shown);
  }
  return { impressions, plays };
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/**
 * A draw from Beta(alpha, beta), as X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta).
 *
 * Why our own: `d3-random`'s `randomBeta.source(random)` is the well-kept library for this (the same
 * Marsaglia–Tsang method, with an injectable source), but it is not among the project's
 * dependencies and this change could not add one; these ~30 lines are pinned by a test of the
 * sample mean and variance. Swap them for d3-random when it is added.
 */
export function sampleBeta(alpha: number, beta: number, random: () => number): number {
  const x = sampleGamma(alpha, random);
  const y = sampleGamma(beta, random);
  return x / (x + y);
}

/**
 * A draw from Gamma(shape, 1): Marsaglia & Tsang, "A simple method for generating gamma
 * variables" (ACM TOMS 26(3), 2000); shape < 1 through Gamma(shape + 1) · U^(1/shape).
 */
export function sampleGamma(shape: number, random: () => number): number {
  if (!(shape > 0) || !Number.isFinite(shape)) throw new RangeError(`gamma shape must be > 0, not ${shape}`);
  if (shape < 1) return sampleGamma(shape + 1, random) * (1 - random()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random(); // (0, 1]: log(u) is finite
    // `<=` where the paper has `<` (a difference of measure zero): a degenerate source that always
    // answers 0 then ends at x = 0 instead of looping for ever.
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) <= 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Box–Muller (one of the pair). */
function standardNormal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
