import { describe, expect, it } from 'vitest';
import {
  ARTWORK_SEGMENT_ALL,
  type ArtworkChoice,
  type ArtworkStats,
  artworkSegment,
  chooseArtwork,
  MAX_EXPLORE_SHARE,
  sampleBeta,
  sampleGamma,
  stillExplored,
} from '../../../lambdas/discovery/domain/artwork-bandit.ts';

/** A seeded PRNG (mulberry32): the same seed, the same draws. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const stats = (artworkId: string, impressions = 0, plays = 0): ArtworkStats => ({
  artworkId,
  impressions,
  plays,
});

/**
 * A stream of `impressions` viewers: each sees the poster the bandit picks and starts a play with
 * that poster's hidden probability; counts are updated as the aggregator would.
 */
function simulate(rates: readonly number[], impressions: number, seed: number, maxExploreShare?: number) {
  const random = seeded(seed);
  const world = seeded(seed + 1000);
  const counts = rates.map((_, i) => ({ artworkId: `a${i}`, impressions: 0, plays: 0 }));
  const choices: ArtworkChoice[] = [];
  let plays = 0;
  for (let n = 0; n < impressions; n++) {
    const choice = chooseArtwork({
      candidates: counts,
      random,
      ...(maxExploreShare !== undefined ? { maxExploreShare } : {}),
    });
    if (!choice) throw new Error('no choice');
    choices.push(choice);
    const i = counts.findIndex((c) => c.artworkId === choice.artworkId);
    const shown = counts[i] as { impressions: number; plays: number };
    shown.impressions += 1;
    if (world() < (rates[i] as number)) {
      shown.plays += 1;
      plays += 1;
    }
  }
  return { choices, counts, playRate: plays / impressions };
}

describe('chooseArtwork', () => {
  it('has nothing to choose for a title without candidates', () => {
    expect(chooseArtwork({ candidates: [], random: seeded(1) })).toBeUndefined();
  });

  it('shows the one candidate there is, as ONLY_CANDIDATE', () => {
    expect(chooseArtwork({ candidates: [stats('only')], random: seeded(1) })).toEqual({
      artworkId: 'only',
      reason: 'ONLY_CANDIDATE',
    });
  });

  it('converges to the poster viewers play most', () => {
    const { choices, playRate } = simulate([0.05, 0.1, 0.15], 20_000, 7);

    const last = choices.slice(-2000);
    const best = last.filter((c) => c.artworkId === 'a2').length / last.length;
    expect(best).toBeGreaterThan(0.95);
    expect(playRate).toBeGreaterThan(0.14);
  });

  it('keeps exploration within its budget when the candidates cannot be told apart', () => {
    const { choices } = simulate([0.1, 0.1, 0.1, 0.1], 10_000, 11);

    const explored = choices.filter((c) => c.reason === 'EXPLORE').length / choices.length;
    // Exploration happens (nothing is eliminated) but never beyond the budget (sd of the share ≈ 0.004).
    expect(explored).toBeGreaterThan(0.05);
    expect(explored).toBeLessThan(MAX_EXPLORE_SHARE + 0.015);
  });

  it('keeps a smaller budget when given one', () => {
    const { choices } = simulate([0.1, 0.1, 0.1, 0.1], 10_000, 11, 0.05);

    const explored = choices.filter((c) => c.reason === 'EXPLORE').length / choices.length;
    expect(explored).toBeLessThan(0.05 + 0.01);
  });

  it('stops exploring a candidate whose best case is below the best one’s worst case', () => {
    const candidates = [stats('worse', 1000, 50), stats('better', 1000, 200)];
    // A source that always asks to explore, and always draws low: only elimination can refuse.
    const alwaysExplore = () => 0;

    const choices = Array.from({ length: 50 }, () => chooseArtwork({ candidates, random: alwaysExplore }));

    expect(choices.every((c) => c?.artworkId === 'better' && c.reason === 'BEST_FOR_YOU')).toBe(true);
    expect(stillExplored(candidates)).toEqual(['better']);
  });

  it('keeps exploring a candidate with too few impressions to rule out', () => {
    const candidates = [stats('worse', 20, 1), stats('better', 1000, 200), stats('untried')];

    expect(stillExplored(candidates)).toEqual(['better', 'worse', 'untried']);
  });

  it('explains a pick that is not the current best as EXPLORE', () => {
    const { choices, counts } = simulate([0.1, 0.1], 2000, 17);

    const explored = choices.filter((c) => c.reason === 'EXPLORE');
    expect(explored.length).toBeGreaterThan(0);
    expect(counts.every((c) => c.impressions > 0)).toBe(true);
  });

  it('starts a segment it knows nothing about from the pooled counts', () => {
    const candidates = [stats('a'), stats('b')];
    const pooled = [stats('a', 500, 20), stats('b', 500, 90)];
    const noExplore = () => 0.99;

    const choice = chooseArtwork({ candidates, pooled, random: noExplore });

    expect(choice).toEqual({ artworkId: 'b', reason: 'BEST_FOR_YOU' });
  });

  it('lets the segment’s own counts outweigh the pooled prior', () => {
    const candidates = [stats('a', 400, 120), stats('b', 400, 20)];
    const pooled = [stats('a', 5000, 200), stats('b', 5000, 900)];

    const choice = chooseArtwork({ candidates, pooled, random: () => 0.99 });

    expect(choice?.artworkId).toBe('a');
  });

  it('does not call a poster nobody has seen yet the best one', () => {
    const candidates = [stats('seen', 1000, 200), stats('unseen')];

    expect(chooseArtwork({ candidates, random: () => 0.99 })).toEqual({
      artworkId: 'seen',
      reason: 'BEST_FOR_YOU',
    });
  });

  it('shows the pipeline’s first candidate while nothing is known', () => {
    const choice = chooseArtwork({ candidates: [stats('first'), stats('second')], random: () => 0.99 });

    expect(choice).toEqual({ artworkId: 'first', reason: 'BEST_FOR_YOU' });
  });

  it('makes the same choices from the same seed', () => {
    const one = simulate([0.05, 0.08, 0.12], 3000, 42).choices;
    const two = simulate([0.05, 0.08, 0.12], 3000, 42).choices;
    const other = simulate([0.05, 0.08, 0.12], 3000, 43).choices;

    expect(two).toEqual(one);
    expect(other).not.toEqual(one);
  });
});

describe('artworkSegment', () => {
  it('is the genre the profile liked most', () => {
    expect(artworkSegment([['drama', 'crime'], ['Crime'], ['comedy', 'crime']])).toBe('crime');
  });

  it('breaks a tie alphabetically', () => {
    expect(artworkSegment([['thriller'], ['drama']])).toBe('drama');
  });

  it('is `all` for a profile that liked nothing yet', () => {
    expect(artworkSegment([])).toBe(ARTWORK_SEGMENT_ALL);
    expect(artworkSegment([[]])).toBe(ARTWORK_SEGMENT_ALL);
  });
});

describe('sampleBeta', () => {
  function moments(draw: () => number, n: number) {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const x = draw();
      sum += x;
      squares += x * x;
    }
    const mean = sum / n;
    return { mean, variance: squares / n - mean * mean };
  }

  it.each([
    [2, 5],
    [30, 170],
    [0.5, 0.5],
  ])('draws Beta(%d, %d) with its mean and variance', (alpha, beta) => {
    const random = seeded(3);
    const mean = alpha / (alpha + beta);
    const variance = (alpha * beta) / ((alpha + beta) ** 2 * (alpha + beta + 1));

    const m = moments(() => sampleBeta(alpha, beta, random), 40_000);

    // Standard error of the mean over 40 000 draws is ≤ 0.0025 here: 0.01 is 4 of them.
    expect(m.mean).toBeCloseTo(mean, 2);
    expect(Math.abs(m.variance - variance) / variance).toBeLessThan(0.05);
  });

  it('stays in [0, 1]', () => {
    const random = seeded(5);
    for (let i = 0; i < 5000; i++) {
      const x = sampleBeta(1, 1000, random);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
    }
  });
});

describe('sampleGamma', () => {
  it('refuses a shape that is not positive', () => {
    expect(() => sampleGamma(0, seeded(1))).toThrow(RangeError);
    expect(() => sampleGamma(Number.NaN, seeded(1))).toThrow(RangeError);
  });
});
