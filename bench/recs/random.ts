/** The recommendations bench's randomness: one seeded PRNG and the draws the simulation makes from it. */

/** A seeded PRNG (mulberry32, as bench:edge): the same seed gives the same population and run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A standard normal draw (Box–Muller). */
export function normal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** An integer in [0, n). */
export const below = (random: () => number, n: number): number => Math.floor(random() * n);

/** A Fisher–Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = below(random, i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** `k` distinct items (fewer when there are fewer). */
export const sample = <T>(items: readonly T[], k: number, random: () => number): T[] =>
  shuffled(items, random).slice(0, k);

/** An index drawn with probability ∝ `weights[i]` (non-negative); -1 when they add up to 0. */
export function weightedIndex(weights: ArrayLike<number>, random: () => number): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i] as number;
  if (total <= 0) return -1;
  let u = random() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i] as number;
    if (u < 0) return i;
  }
  for (let i = weights.length - 1; i >= 0; i--) if ((weights[i] as number) > 0) return i;
  return -1;
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
