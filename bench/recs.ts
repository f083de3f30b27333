/**
 * Recommendations benchmark: on a synthetic population with hidden taste clusters and Zipf
 * popularity, how much better than "most popular" does the recommender find what each viewer
 * played next? Target: **hit-rate@10 recommender / most popular ≥ 2**. The same run simulates
 * viewers with hidden poster preferences and reports the play-through rate of the artwork bandit
 * against one fixed poster.
 *
 * 1. World (`recs/world.ts`): BENCH_TITLES titles (genres, cast, maturity; 12 % released in the
 *    last 60 days: cold start), BENCH_PROFILES profiles in 10 hidden clusters, each with its plays
 *    over 180 days (Zipf popularity × taste × release buzz), seeded (BENCH_SEED).
 * 2. Training (`recs/evaluate.ts`): each profile's last BENCH_HOLDOUT plays are held out; every
 *    other play is replayed in time order through `isPositive` and `coOccurrenceIncrements`, the
 *    functions the stream aggregator runs, into plays, likes, like counts and co-occurrence counts.
 * 3. Evaluation: `recommend` (top 10, eligibility = the catalog's visibility rule: availability and
 *    maturity) against the top 10 by plays with the same exclusions and eligibility; hit rate =
 *    held-out titles in the top 10 / min(10, held out), NDCG@10 with binary relevance, averaged over
 *    profiles.
 * 4. Artwork (`recs/artwork.ts`): BENCH_IMPRESSIONS impressions, bandit vs the first candidate.
 *
 * Output: progress on stderr; on stdout a table, then one JSON line (last line). Exits 0 whatever
 * the figures (`met` says whether the target was met).
 *
 * Env: BENCH_SEED (default 1), BENCH_PROFILES (2000), BENCH_TITLES (400), BENCH_HOLDOUT (2),
 * BENCH_IMPRESSIONS (400 000).
 */
import { availableParallelism, loadavg } from 'node:os';
import { MAX_EXPLORE_SHARE } from '../lambdas/discovery/domain/artwork-bandit.ts';
import { isVisibleTo } from '../lambdas/discovery/domain/catalog-view.ts';
import {
  CO_OCCURRENCE_RECENT_LIKES,
  type RecommendTuning,
  recommendCatalog,
} from '../lambdas/discovery/domain/recommend.ts';
import { simulateArtwork } from './recs/artwork.ts';
import { type Evaluation, evaluate, oracleScores, type Scores, train } from './recs/evaluate.ts';
import { DAYS, dayToIso, makeWorld, type SimProfile } from './recs/world.ts';
import { positiveIntEnv } from './support/env.ts';
import { printResultLine, progressLog } from './support/output.ts';

const TARGET = 2;
const K = 10;
const SEED = positiveIntEnv('BENCH_SEED', 1);
const PROFILES = positiveIntEnv('BENCH_PROFILES', 2000);
const TITLES = positiveIntEnv('BENCH_TITLES', 400);
const HOLDOUT = positiveIntEnv('BENCH_HOLDOUT', 2);
const IMPRESSIONS = positiveIntEnv('BENCH_IMPRESSIONS', 400_000);
/**
 * Popularity (the recommender's prior and the most-popular list) counts the last 28 days of
 * training plays. Production counts 7 (TOP10_DAYS) over a real audience; here 7 days are ≈ 1 000
 * plays over 400 titles, a noisy list that would flatter the recommender (see bench/README.md).
 */
const POPULARITY_DAYS = 28;

const log = progressLog('recs');

function main(): void {
  const started = performance.now();
  const lap = (() => {
    let last = started;
    return () => {
      const now = performance.now();
      const s = ((now - last) / 1000).toFixed(1);
      last = now;
      return `${s} s`;
    };
  })();
  log(
    `seed ${SEED} (BENCH_SEED to change it); ${PROFILES} profiles, ${TITLES} titles, ${availableParallelism()} cores`,
  );

  const world = makeWorld({ titles: TITLES, profiles: PROFILES, seed: SEED });
  const plays = world.profiles.reduce((n, p) => n + p.plays.length, 0);
  const newTitles = world.titles.filter((t) => t.isNew).length;
  log(`world: ${plays} plays, ${newTitles} titles released in the last 60 days (${lap()})`);

  const trained = train(world, HOLDOUT, POPULARITY_DAYS);
  log(
    `training: ${trained.trainingPlays} plays replayed, ${trained.positives} likes, ` +
      `${trained.increments} co-occurrence increments (cap ${CO_OCCURRENCE_RECENT_LIKES} likes) (${lap()})`,
  );

  const catalog = recommendCatalog(world.titles.map((t) => t.snapshot));
  const now = new Date(dayToIso(DAYS));
  const byId = new Map(world.titles.map((t) => [t.snapshot.titleId, t.snapshot]));
  const eligibleFor = (profile: SimProfile) => (titleId: string) => {
    const title = byId.get(titleId);
    return title !== undefined && isVisibleTo(title, { country: 'US', maturity: profile.maturity, now });
  };
  const run = (tuning?: Partial<RecommendTuning>): Evaluation =>
    evaluate(world, trained, catalog, eligibleFor, { k: K, ...(tuning ? { tuning } : {}) });
  const main = run();
  log(`recommender and most popular scored (${lap()})`);
  // Ablations (information): the blend's two halves alone.
  const cfOnly = run({ profileContentPrior: 0, titleContentPrior: 0 });
  const contentOnly = run({ profileContentPrior: 1e12 });
  const oracle = oracleScores(world, trained, eligibleFor, K);
  log(`ablations and the oracle scored (${lap()})`);

  const artwork = simulateArtwork(world, trained, { impressions: IMPRESSIONS, seed: SEED });
  // Ablations (information): one segment for everybody; Thompson sampling without the budget.
  const oneSegment = simulateArtwork(world, trained, {
    impressions: IMPRESSIONS,
    seed: SEED,
    segmentation: 'all',
  });
  const unbounded = simulateArtwork(world, trained, {
    impressions: IMPRESSIONS,
    seed: SEED,
    maxExploreShare: 1,
  });
  log(`artwork: ${IMPRESSIONS} impressions simulated, 3 policies (${lap()})`);

  const ratio = main.recs.hitRate / main.popular.hitRate;
  const f = (n: number) => n.toFixed(4);
  const line = (name: string, s: Scores, base?: Scores) =>
    `${name.padEnd(34)}${f(s.hitRate).padStart(12)}${f(s.ndcg).padStart(12)}` +
    (base ? `${(s.hitRate / base.hitRate).toFixed(2).padStart(10)}` : '').padEnd(10) +
    `${String(s.profiles).padStart(10)}`;
  const out = [
    '',
    `bench:recs  seed ${SEED}  ${PROFILES} profiles  ${TITLES} titles (${newTitles} new)  ${plays} plays, last ${HOLDOUT} of each held out`,
    `popularity: plays of the last ${POPULARITY_DAYS} days of training`,
    '',
    `${'recommendations'.padEnd(34)}${'hit-rate@10'.padStart(12)}${'NDCG@10'.padStart(12)}${'× popular'.padStart(10)}${'profiles'.padStart(10)}`,
    line('recommender', main.recs, main.popular),
    line('most popular', main.popular),
    line('  oracle (knows the hidden model)', oracle, main.popular),
    line('  CF only (ablation)', cfOnly.recs, main.popular),
    line('  content only (ablation)', contentOnly.recs, main.popular),
    line('held-out new titles: recommender', main.recsNewTitles, main.popularNewTitles),
    line('held-out new titles: most popular', main.popularNewTitles),
    line('profiles ≤ 2 likes: recommender', main.recsFewLikes, main.popularFewLikes),
    line('profiles ≤ 2 likes: most popular', main.popularFewLikes),
    `reasons: ${Object.entries(main.reasons)
      .map(([code, share]) => `${code} ${(share * 100).toFixed(1)} %`)
      .join(', ')}; ineligible titles recommended: ${main.ineligibleShown}`,
    '',
    `artwork (${artwork.impressions} impressions, ${artwork.segments} segments, explore budget ${MAX_EXPLORE_SHARE})`,
    `${''.padEnd(34)}${'plays/impr.'.padStart(12)}${'2nd half'.padStart(12)}`,
    `${'bandit (per segment)'.padEnd(34)}${f(artwork.banditRate).padStart(12)}${f(artwork.banditRateSecondHalf).padStart(12)}`,
    `${'  one segment for all (ablation)'.padEnd(34)}${f(oneSegment.banditRate).padStart(12)}${f(oneSegment.banditRateSecondHalf).padStart(12)}`,
    `${'  no explore budget (ablation)'.padEnd(34)}${f(unbounded.banditRate).padStart(12)}${f(unbounded.banditRateSecondHalf).padStart(12)}`,
    `${'fixed poster (first candidate)'.padEnd(34)}${f(artwork.fixedRate).padStart(12)}${f(artwork.fixedRateSecondHalf).padStart(12)}`,
    `${'best poster per title (hindsight)'.padEnd(34)}${f(artwork.bestPerTitleRate).padStart(12)}`,
    `${"each viewer's best (oracle)".padEnd(34)}${f(artwork.oracleRate).padStart(12)}`,
    `explored: ${(artwork.exploreShare * 100).toFixed(1)} % of choices (${(artwork.exploreShareSecondHalf * 100).toFixed(1)} % in the 2nd half); ` +
      `without the budget ${(unbounded.exploreShare * 100).toFixed(1)} % (${(unbounded.exploreShareSecondHalf * 100).toFixed(1)} %)`,
    '',
    `${((performance.now() - started) / 1000).toFixed(1)} s, load ${loadavg()
      .slice(0, 1)
      .map((l) => l.toFixed(1))
      .join('')}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);

  const round = (n: number) => Math.round(n * 10_000) / 10_000;
  printResultLine({
    bench: 'recs',
    ratio: round(ratio),
    target: TARGET,
    higherIsBetter: true,
    met: ratio >= TARGET,
    hitRateRecs: round(main.recs.hitRate),
    hitRatePopular: round(main.popular.hitRate),
    ndcgRecs: round(main.recs.ndcg),
    ndcgPopular: round(main.popular.ndcg),
    artworkPlayRateBandit: round(artwork.banditRate),
    artworkPlayRateFixed: round(artwork.fixedRate),
    profiles: PROFILES,
    titles: TITLES,
    seed: SEED,
  });
}

main();
