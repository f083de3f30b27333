/**
 * The artwork simulation: a stream of impressions (a viewer sees a title in a row), each shown
 * with the poster the bandit chooses for the viewer's segment, or with one fixed poster (the
 * title's first candidate), on the same stream with the same random numbers: an impression
 * becomes a play when its uniform draw is below the viewer's hidden chance of starting that title
 * from that poster.
 *
 * The hidden chance: sigmoid(−2 + 1.5 × (affinity − 0.5) + the poster's quality + the viewer's
 * taste for the poster's style). Each cluster prefers one style (+0.8 log-odds) and every viewer
 * has a personal taste on top (sd 0.3 per style): the viewer's segment (top liked genre) tells a
 * bandit part of that, never all of it.
 */

import { maturityAllows } from '#contracts/api/common.ts';
import {
  ARTWORK_SEGMENT_ALL,
  type ArtworkStats,
  artworkSegment,
  chooseArtwork,
} from '../../lambdas/discovery/domain/artwork-bandit.ts';
import type { Trained } from './evaluate.ts';
import { prng, sigmoid } from './random.ts';
import { affinity, type SimProfile, type SimTitle, type World } from './world.ts';

export interface ArtworkResult {
  readonly impressions: number;
  readonly segments: number;
  /** Plays / impressions over the whole stream (the bandit's learning included). */
  readonly banditRate: number;
  readonly fixedRate: number;
  /** The same over the stream's second half, when the bandit has learnt. */
  readonly banditRateSecondHalf: number;
  readonly fixedRateSecondHalf: number;
  /** Expected rate of the best poster per title in hindsight (one for everybody): not personal. */
  readonly bestPerTitleRate: number;
  /** Expected rate if each viewer saw their own best poster (knows the hidden tastes). */
  readonly oracleRate: number;
  /** Share of choices the bandit explained as `EXPLORE`. */
  readonly exploreShare: number;
  readonly exploreShareSecondHalf: number;
}

interface Counts {
  readonly impressions: number[];
  readonly plays: number[];
}

export function simulateArtwork(
  world: World,
  trained: Trained,
  options: {
    impressions: number;
    seed: number;
    maxExploreShare?: number;
    /** `genre` (production: the profile's top genre) or `all` (one segment: an ablation). */
    segmentation?: 'genre' | 'all';
  },
): ArtworkResult {
  const stream = prng(options.seed * 31 + 7);
  const banditRandom = prng(options.seed * 17 + 3);
  const { titles, profiles } = world;
  const genresOf = new Map(titles.map((t) => [t.snapshot.titleId, t.snapshot.genres]));
  // The segment as production computes it: from the profile's likes (the training ones here).
  const segments = profiles.map((p) =>
    options.segmentation === 'all'
      ? ARTWORK_SEGMENT_ALL
      : artworkSegment((trained.likes.get(p.index) ?? []).map((l) => genresOf.get(l.titleId) ?? [])),
  );
  // Rows show popular titles more: a title is picked by its Zipf popularity among those the viewer may see.
  const cumulative = new Map<string, Float64Array>();
  for (const maturity of ['kids', 'teen', 'adult'] as const) {
    const c = new Float64Array(titles.length);
    let acc = 0;
    titles.forEach((t, i) => {
      acc += maturityAllows(maturity, t.snapshot.maturity) ? t.popularity : 0;
      c[i] = acc;
    });
    cumulative.set(maturity, c);
  }
  const pickTitle = (profile: SimProfile): SimTitle => {
    const c = cumulative.get(profile.maturity) as Float64Array;
    const u = stream() * (c[c.length - 1] as number);
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((c[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    return titles[lo] as SimTitle;
  };

  const bySegment = new Map<string, Counts>();
  const pooled = new Map<number, Counts>();
  const countsOf = <K>(map: Map<K, Counts>, key: K, n: number): Counts => {
    let counts = map.get(key);
    if (!counts) {
      counts = { impressions: new Array<number>(n).fill(0), plays: new Array<number>(n).fill(0) };
      map.set(key, counts);
    }
    return counts;
  };
  const stats = (title: SimTitle, counts: Counts): ArtworkStats[] =>
    title.posters.map((p, i) => ({
      artworkId: p.artworkId,
      impressions: counts.impressions[i] as number,
      plays: counts.plays[i] as number,
    }));

  const half = Math.floor(options.impressions / 2);
  let banditPlays = 0;
  let fixedPlays = 0;
  let banditPlays2 = 0;
  let fixedPlays2 = 0;
  let explored = 0;
  let explored2 = 0;
  let oracle = 0;
  const expectedByPoster = new Map<number, number[]>();
  for (let n = 0; n < options.impressions; n++) {
    const profile = profiles[Math.floor(stream() * profiles.length)] as SimProfile;
    const title = pickTitle(profile);
    const u = stream();
    const base = -2 + 1.5 * (affinity(profile, title) - 0.5);
    const chances = title.posters.map((p) =>
      sigmoid(base + p.quality + (profile.posterTaste[p.style] as number)),
    );
    oracle += Math.max(...chances);
    const expected: number[] = expectedByPoster.get(title.index) ?? new Array<number>(chances.length).fill(0);
    chances.forEach((c, i) => {
      expected[i] = (expected[i] ?? 0) + c;
    });
    expectedByPoster.set(title.index, expected);

    const segment = segments[profile.index] ?? ARTWORK_SEGMENT_ALL;
    const segmentCounts = countsOf(bySegment, `${title.index}|${segment}`, title.posters.length);
    const pooledCounts = countsOf(pooled, title.index, title.posters.length);
    const choice = chooseArtwork({
      candidates: stats(title, segmentCounts),
      pooled: stats(title, pooledCounts),
      random: banditRandom,
      ...(options.maxExploreShare !== undefined ? { maxExploreShare: options.maxExploreShare } : {}),
    });
    const chosen = Math.max(
      0,
      title.posters.findIndex((p) => p.artworkId === choice?.artworkId),
    );
    const banditPlay = u < (chances[chosen] as number);
    const fixedPlay = u < (chances[0] as number);
    for (const counts of [segmentCounts, pooledCounts]) {
      counts.impressions[chosen] = (counts.impressions[chosen] ?? 0) + 1;
      if (banditPlay) counts.plays[chosen] = (counts.plays[chosen] ?? 0) + 1;
    }
    const secondHalf = n >= half;
    if (banditPlay) {
      banditPlays += 1;
      if (secondHalf) banditPlays2 += 1;
    }
    if (fixedPlay) {
      fixedPlays += 1;
      if (secondHalf) fixedPlays2 += 1;
    }
    if (choice?.reason === 'EXPLORE') {
      explored += 1;
      if (secondHalf) explored2 += 1;
    }
  }
  let bestPerTitle = 0;
  for (const expected of expectedByPoster.values()) bestPerTitle += Math.max(...expected);
  const total = options.impressions;
  const second = total - half;
  return {
    impressions: total,
    segments: new Set(segments).size,
    banditRate: banditPlays / total,
    fixedRate: fixedPlays / total,
    banditRateSecondHalf: banditPlays2 / second,
    fixedRateSecondHalf: fixedPlays2 / second,
    bestPerTitleRate: bestPerTitle / total,
    oracleRate: oracle / total,
    exploreShare: explored / total,
    exploreShareSecondHalf: explored2 / second,
  };
}
