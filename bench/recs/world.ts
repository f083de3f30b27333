/**
 * The recommendations bench's synthetic world: a catalog with genres, cast and maturity; viewers
 * in hidden taste clusters; every viewer's plays over a 180-day timeline; and, for the artwork
 * simulation, each title's poster candidates and each viewer's hidden poster preferences.
 *
 * The taste model (what makes a viewer start and like a title):
 * - each cluster favours a few genres; a title's appeal to a cluster is how much its genres are
 *   favoured plus a hidden per-(title, cluster) part that no metadata shows (only co-viewing
 *   reveals it);
 * - a viewer belongs to one cluster, a third of them to a second one with less weight;
 * - a play picks among the titles released by then, rated for the viewer and not yet played, with
 *   probability ∝ Zipf popularity^0.8 × exp(4 × affinity) × a release buzz (new titles are watched
 *   more in their first weeks);
 * - the play becomes positive (finished, or watched past half) with probability
 *   sigmoid(4 × (affinity − 0.4)); the position and the finished flag are drawn to match, and the
 *   bench decides "positive" from them with the production predicate.
 */
import { type Maturity, maturityAllows } from '#contracts/api/common.ts';
import type { SnapshotTitle } from '#contracts/internal.ts';
import { below, normal, prng, sample, shuffled, sigmoid, weightedIndex } from './random.ts';

export const GENRES = [
  'action',
  'adventure',
  'animation',
  'comedy',
  'crime',
  'documentary',
  'drama',
  'family',
  'fantasy',
  'horror',
  'romance',
  'sci-fi',
  'thriller',
  'western',
] as const;
/** Poster styles: what a candidate frame shows. */
export const POSTER_STYLES = ['face', 'action', 'ensemble', 'landscape', 'text'] as const;

export const DAYS = 180;
const EPOCH_MS = Date.UTC(2026, 0, 1);
const CLUSTERS = 10;
const ACTORS = 350;
const CAST_PER_TITLE = 4;
const ZIPF_S = 1;
const POPULARITY_EXPONENT = 0.8;
const TASTE_TEMPERATURE = 4;
const HIDDEN_APPEAL_SD = 0.45;
/** Share of titles released during the timeline (in its last 60 days): the cold-start titles. */
const NEW_TITLE_SHARE = 0.12;
const NEW_RELEASE_FROM_DAY = 120;
const BUZZ = 3;
const BUZZ_DAYS = 10;
const POSTERS_PER_TITLE = 4;

export interface Poster {
  readonly artworkId: string;
  readonly style: number;
  /** Log-odds added to every viewer's play chance: some frames are simply better. */
  readonly quality: number;
}

export interface SimTitle {
  readonly index: number;
  readonly snapshot: SnapshotTitle;
  /** Day of release (negative: before the timeline). */
  readonly releaseDay: number;
  readonly isNew: boolean;
  readonly popularity: number;
  /** Appeal to each hidden cluster (genre part + hidden part). */
  readonly appeal: Float64Array;
  readonly posters: readonly Poster[];
}

export interface Play {
  readonly title: number;
  readonly day: number;
  readonly positionSec: number;
  readonly durationSec: number;
  readonly finished: boolean;
}

export interface SimProfile {
  readonly index: number;
  readonly profileKey: string;
  readonly maturity: Maturity;
  /** Weight of each hidden cluster. */
  readonly membership: Float64Array;
  /** Hidden log-odds per poster style. */
  readonly posterTaste: Float64Array;
  /** In time order. */
  readonly plays: readonly Play[];
}

export interface World {
  readonly titles: readonly SimTitle[];
  readonly profiles: readonly SimProfile[];
  readonly days: number;
}

/** The instant `day` days into the timeline. */
export const dayToIso = (day: number): string => new Date(EPOCH_MS + day * 86_400_000).toISOString();

/** How much `profile` likes `title` (its clusters' appeal, weighted by membership). */
export function affinity(profile: SimProfile, title: SimTitle): number {
  let a = 0;
  for (let k = 0; k < CLUSTERS; k++) a += (profile.membership[k] as number) * (title.appeal[k] as number);
  return a;
}

/**
 * How likely `profile` is to pick `title` on `day`, up to a constant (0 before its release): the
 * hidden model itself, which the bench's oracle ranks by.
 */
export function choiceWeight(profile: SimProfile, title: SimTitle, day: number): number {
  if (title.releaseDay > day) return 0;
  const buzz = title.isNew ? 1 + BUZZ * Math.exp(-(day - title.releaseDay) / BUZZ_DAYS) : 1;
  return (
    title.popularity ** POPULARITY_EXPONENT * Math.exp(TASTE_TEMPERATURE * affinity(profile, title)) * buzz
  );
}

export function makeWorld(options: { titles: number; profiles: number; seed: number }): World {
  const random = prng(options.seed);

  // Clusters: a favourite genre, a second and a third, with falling weight.
  const clusterGenres: Map<string, number>[] = [];
  for (let k = 0; k < CLUSTERS; k++) {
    const [g1, g2, g3] = sample(GENRES, 3, random);
    clusterGenres.push(
      new Map([
        [g1 as string, 1],
        [g2 as string, 0.6],
        [g3 as string, 0.3],
      ]),
    );
  }
  // Each cluster's preferred poster style (what its members respond to).
  const clusterStyle = Array.from({ length: CLUSTERS }, () => below(random, POSTER_STYLES.length));

  const actorGenre = Array.from({ length: ACTORS }, () => GENRES[below(random, GENRES.length)] as string);
  const actorsOf = new Map<string, number[]>();
  actorGenre.forEach((g, i) => {
    actorsOf.set(g, [...(actorsOf.get(g) ?? []), i]);
  });

  const ranks = shuffled(
    Array.from({ length: options.titles }, (_, i) => i),
    random,
  );
  const titles: SimTitle[] = [];
  for (let i = 0; i < options.titles; i++) {
    const primary = GENRES[below(random, GENRES.length)] as string;
    const extra = sample(
      GENRES.filter((g) => g !== primary),
      below(random, 3),
      random,
    );
    const genres = [primary, ...extra];
    const cast = new Set(sample(actorsOf.get(primary) ?? [], CAST_PER_TITLE - 1, random));
    while (cast.size < CAST_PER_TITLE) cast.add(below(random, ACTORS));
    const familyish = genres.includes('animation') || genres.includes('family');
    const m = random();
    const maturity: Maturity = familyish
      ? m < 0.7
        ? 'kids'
        : 'teen'
      : m < 0.05
        ? 'kids'
        : m < 0.35
          ? 'teen'
          : 'adult';
    const isNew = random() < NEW_TITLE_SHARE;
    const releaseDay = isNew
      ? NEW_RELEASE_FROM_DAY + random() * (DAYS - NEW_RELEASE_FROM_DAY - 5)
      : -30 - random() * 2000;
    const appeal = new Float64Array(CLUSTERS);
    for (let k = 0; k < CLUSTERS; k++) {
      const prefs = clusterGenres[k] as Map<string, number>;
      let genrePart = 2 * (prefs.get(primary) ?? 0);
      for (const g of extra) genrePart += prefs.get(g) ?? 0;
      appeal[k] = genrePart / (2 + extra.length) + HIDDEN_APPEAL_SD * normal(random);
    }
    const titleId = `t${String(i).padStart(4, '0')}`;
    const styles = sample(
      POSTER_STYLES.map((_, s) => s),
      POSTERS_PER_TITLE,
      random,
    );
    const posters = styles.map((style, c) => ({
      artworkId: `${titleId}-a${c}`,
      style,
      quality: 0.2 * normal(random),
    }));
    const createdAt = dayToIso(releaseDay);
    titles.push({
      index: i,
      releaseDay,
      isNew,
      popularity: 1 / ((ranks[i] as number) + 1) ** ZIPF_S,
      appeal,
      posters,
      snapshot: {
        titleId,
        kind: random() < 0.7 ? 'movie' : 'series',
        name: `Title ${i}`,
        synopsis: '',
        genres,
        cast: [...cast].map((a) => `actor-${a}`),
        maturity,
        availability: [{ countries: ['US'], from: createdAt }],
        artwork: {},
        artworkCandidates: posters.map((p) => ({
          artworkId: p.artworkId,
          url: `https://img.example/${p.artworkId}.jpg`,
        })),
        playable: true,
        createdAt,
      },
    });
  }

  const profiles: SimProfile[] = [];
  const weights = new Float64Array(options.titles);
  for (let p = 0; p < options.profiles; p++) {
    const r = random();
    const maturity: Maturity = r < 0.1 ? 'kids' : r < 0.15 ? 'teen' : 'adult';
    const membership = new Float64Array(CLUSTERS);
    const primary = below(random, CLUSTERS);
    membership[primary] = 1;
    if (random() < 0.35) {
      const second = (primary + 1 + below(random, CLUSTERS - 1)) % CLUSTERS;
      membership[primary] = 0.7;
      membership[second] = 0.3;
    }
    const posterTaste = new Float64Array(POSTER_STYLES.length);
    for (let s = 0; s < POSTER_STYLES.length; s++) {
      posterTaste[s] = (s === clusterStyle[primary] ? 0.8 : 0) + 0.3 * normal(random);
    }
    const count = Math.min(80, Math.max(4, Math.round(Math.exp(2.3 + 0.7 * normal(random)))));
    const start = random() * 120;
    const days = Array.from({ length: count }, () => start + random() * (DAYS - start)).sort((a, b) => a - b);
    const profile: SimProfile = {
      index: p,
      profileKey: `acct-${p}#p`,
      maturity,
      membership,
      posterTaste,
      plays: [],
    };
    const played = new Set<number>();
    const plays: Play[] = [];
    for (const day of days) {
      for (const title of titles) {
        const ok = !played.has(title.index) && maturityAllows(maturity, title.snapshot.maturity);
        weights[title.index] = ok ? choiceWeight(profile, title, day) : 0;
      }
      const chosen = weightedIndex(weights, random);
      if (chosen < 0) break;
      played.add(chosen);
      const title = titles[chosen] as SimTitle;
      const durationSec = 1800 + below(random, 5400);
      const liked = random() < sigmoid(4 * (affinity(profile, title) - 0.4));
      const finished = liked && random() < 0.5;
      const share = finished ? 1 : liked ? 0.5 + 0.48 * random() : 0.02 + 0.43 * random();
      plays.push({ title: chosen, day, positionSec: Math.ceil(share * durationSec), durationSec, finished });
    }
    profiles.push({ ...profile, plays });
  }
  return { titles, profiles, days: DAYS };
}
