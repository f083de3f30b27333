/**
 * The synthetic viewers `npm start` seeds after the demo catalog, so that Top 10 and
 * recommendations have viewing to work from on first start. Viewers in the United States favour
 * thrillers and science fiction, in Brazil comedy and romance, in Britain mysteries and drama;
 * their kids profiles watch animation. What each profile watches is planned here, purely and
 * deterministically (a seeded PRNG, no clock): the same catalog gives the same plan every time.
 */
import { type Maturity, maturityAllows } from '#contracts/api/common.ts';
import type { PlanId } from '#contracts/api/subscriptions.ts';
import {
  browsableTitles,
  type DemoEpisode,
  type DemoMovie,
  type DemoSeries,
  type DemoTitle,
  isLiveIn,
} from './demo-catalog.ts';

/** One profile of a demo viewer's account. */
export interface DemoViewerProfile {
  /** Stable name of the profile inside its account (the seed's records key on it). */
  readonly key: string;
  readonly name: string;
  readonly maturity: Maturity;
  /** Genres this profile favours, strongest first. */
  readonly likes: readonly string[];
  /** How many titles it watches (a series counts once, however many episodes). */
  readonly watches: number;
}

/** A demo viewer's account: signed up in `country`, and watching from there. */
export interface DemoViewer {
  /** Stable name of the account inside the demo (the seed's records key on it). */
  readonly key: string;
  readonly email: string;
  readonly country: string;
  readonly plan: PlanId;
  readonly profiles: readonly DemoViewerProfile[];
}

/** Every demo viewer's password. */
export const DEMO_VIEWER_PASSWORD = 'showrunner-viewer';

/**
 * Stripe's test card, which the sandbox saves and charges every time (`docs/payments.md`).
 */
export const DEMO_CARD_NUMBER = '4242 4242 4242 4242';

/** The default seed of the viewing plan's PRNG. */
export const DEMO_VIEWING_SEED = 20_260_601;

const email = (key: string) => `${key}@viewers.showrunner.local`;

/**
 * Seven accounts, twelve profiles, in three countries with different tastes. Plans are standard
 * or premium (two or four streams): a session left open by an interrupted seed lapses only after
 * five minutes, and must not block the resumed seed's next playback.
 */
export const DEMO_VIEWERS: readonly DemoViewer[] = [
  {
    key: 'ava',
    email: email('ava'),
    country: 'US',
    plan: 'standard',
    profiles: [
      { key: 'ava', name: 'Ava', maturity: 'adult', likes: ['thriller', 'sci-fi', 'mystery'], watches: 6 },
      { key: 'lily', name: 'Lily', maturity: 'kids', likes: ['animation', 'family'], watches: 5 },
    ],
  },
  {
    key: 'marcus',
    email: email('marcus'),
    country: 'US',
    plan: 'premium',
    profiles: [
      {
        key: 'marcus',
        name: 'Marcus',
        maturity: 'adult',
        likes: ['sci-fi', 'action', 'thriller'],
        watches: 6,
      },
    ],
  },
  {
    key: 'dana',
    email: email('dana'),
    country: 'US',
    plan: 'standard',
    profiles: [
      { key: 'dana', name: 'Dana', maturity: 'adult', likes: ['thriller', 'crime', 'horror'], watches: 5 },
      { key: 'sam', name: 'Sam', maturity: 'teen', likes: ['sci-fi', 'action', 'adventure'], watches: 4 },
    ],
  },
  {
    key: 'bia',
    email: email('bia'),
    country: 'BR',
    plan: 'standard',
    profiles: [
      { key: 'bia', name: 'Bia', maturity: 'adult', likes: ['comedy', 'romance'], watches: 6 },
      { key: 'tico', name: 'Tico', maturity: 'kids', likes: ['animation', 'comedy'], watches: 5 },
    ],
  },
  {
    key: 'joao',
    email: email('joao'),
    country: 'BR',
    plan: 'standard',
    profiles: [
      { key: 'joao', name: 'João', maturity: 'adult', likes: ['romance', 'music', 'comedy'], watches: 6 },
    ],
  },
  {
    key: 'lu',
    email: email('lu'),
    country: 'BR',
    plan: 'premium',
    profiles: [
      { key: 'lu', name: 'Lu', maturity: 'teen', likes: ['comedy', 'romance', 'music'], watches: 5 },
      { key: 'rafa', name: 'Rafa', maturity: 'adult', likes: ['drama', 'romance', 'comedy'], watches: 4 },
    ],
  },
  {
    key: 'oliver',
    email: email('oliver'),
    country: 'GB',
    plan: 'standard',
    profiles: [
      {
        key: 'oliver',
        name: 'Oliver',
        maturity: 'adult',
        likes: ['mystery', 'drama', 'documentary'],
        watches: 5,
      },
      { key: 'maisie', name: 'Maisie', maturity: 'kids', likes: ['animation', 'family'], watches: 4 },
    ],
  },
];

/** How far a profile got into a title. */
export type WatchOutcome = 'finished' | 'most' | 'abandoned';

/** One film or episode a profile watches. */
export interface PlannedWatch {
  readonly profileKey: string;
  /** `key` of a film or an episode in the demo catalog. */
  readonly titleKey: string;
  /** `finished`: to the end; `most`: 50–90 %; `abandoned`: 5–25 %. */
  readonly outcome: WatchOutcome;
  /** Share of the title watched, 0–1. */
  readonly fraction: number;
  /** Whether the title has one of the genres the profile likes. */
  readonly liked: boolean;
}

export interface PlanOptions {
  /** @default DEMO_VIEWING_SEED */
  readonly seed?: number;
  /** Caps every profile's number of titles (tests watch fewer). @default each profile's `watches` */
  readonly watchesPerProfile?: number;
}

/** Odds of each outcome, for a liked title and for any other. */
const OUTCOME_ODDS: Record<'liked' | 'other', readonly [finished: number, most: number]> = {
  liked: [0.6, 0.3],
  other: [0.15, 0.3],
};

/**
 * What each profile of `viewer` watches, in order: titles live in its country at `now` and rated
 * for the profile, drawn without replacement with a strong preference for the genres it likes,
 * then an outcome each (liked titles are mostly finished, others mostly abandoned). A series is
 * watched from its first episode: all of season 1's first two when finished, the first one
 * finished and the second partly when `most`, the first partly when abandoned.
 *
 * Each profile has its own PRNG stream (seeded by the seed, the account and the profile), so
 * planning fewer viewers or titles leaves the others' plans as they were.
 */
export function planViewing(
  viewer: DemoViewer,
  titles: readonly DemoTitle[],
  when: { readonly seededAt: Date; readonly now: Date },
  options: PlanOptions = {},
): PlannedWatch[] {
  const seed = options.seed ?? DEMO_VIEWING_SEED;
  const live = (t: DemoTitle) => isLiveIn(t, viewer.country, when.seededAt, when.now);
  const plan: PlannedWatch[] = [];
  for (const profile of viewer.profiles) {
    const random = mulberry32(hash32(`${seed}/${viewer.key}/${profile.key}`));
    const episodesOf = (series: DemoSeries) =>
      titles
        .filter((t): t is DemoEpisode => t.kind === 'episode' && t.seriesKey === series.key)
        .filter((e) => live(e) && maturityAllows(profile.maturity, e.maturity))
        .sort((a, b) => a.seasonNumber - b.seasonNumber || a.episodeNumber - b.episodeNumber);
    const candidates = browsableTitles(titles).filter(
      (t) =>
        live(t) &&
        maturityAllows(profile.maturity, t.maturity) &&
        (t.kind === 'movie' || episodesOf(t).length > 0),
    );
    const count = Math.min(options.watchesPerProfile ?? profile.watches, profile.watches);
    for (const title of drawWeighted(candidates, count, (t) => affinity(profile, t), random)) {
      const liked = affinity(profile, title) > 1;
      const outcome = drawOutcome(liked, random);
      const watch = (target: DemoMovie | DemoEpisode, watched: WatchOutcome): PlannedWatch => ({
        profileKey: profile.key,
        titleKey: target.key,
        outcome: watched,
        fraction: fractionOf(watched, random),
        liked,
      });
      if (title.kind === 'movie') {
        plan.push(watch(title, outcome));
        continue;
      }
      const [first, second] = episodesOf(title);
      if (first === undefined) continue;
      if (outcome === 'abandoned' || second === undefined) {
        plan.push(watch(first, outcome));
        continue;
      }
      plan.push(watch(first, 'finished'), watch(second, outcome === 'finished' ? 'finished' : 'most'));
    }
  }
  return plan;
}

/**
 * How much a profile wants a title: 1 for a genre it does not care about, far more per liked
 * genre, the strongest like counting most. Squared, so favourites dominate without excluding
 * the rest: viewers still sample the catalog.
 */
export function affinity(
  profile: Pick<DemoViewerProfile, 'likes'>,
  title: Pick<DemoTitle, 'genres'>,
): number {
  let score = 0;
  profile.likes.forEach((genre, index) => {
    if (title.genres.includes(genre)) score += profile.likes.length - index;
  });
  return 1 + score * score * 2;
}

/** `count` items drawn without replacement, each with odds proportional to its weight. */
function drawWeighted<T>(
  items: readonly T[],
  count: number,
  weight: (item: T) => number,
  random: () => number,
): T[] {
  const pool = items.map((item) => ({ item, weight: weight(item) }));
  const drawn: T[] = [];
  while (drawn.length < count && pool.length > 0) {
    const total = pool.reduce((sum, entry) => sum + entry.weight, 0);
    let target = random() * total;
    let index = pool.findIndex((entry) => {
      target -= entry.weight;
      return target < 0;
    });
    if (index < 0) index = pool.length - 1;
    const [picked] = pool.splice(index, 1);
    if (picked) drawn.push(picked.item);
  }
  return drawn;
}

function drawOutcome(liked: boolean, random: () => number): WatchOutcome {
  const [finished, most] = OUTCOME_ODDS[liked ? 'liked' : 'other'];
  const r = random();
  if (r < finished) return 'finished';
  return r < finished + most ? 'most' : 'abandoned';
}

function fractionOf(outcome: WatchOutcome, random: () => number): number {
  const r = random();
  const fraction = outcome === 'finished' ? 1 : outcome === 'most' ? 0.5 + 0.4 * r : 0.05 + 0.2 * r;
  return Math.round(fraction * 100) / 100;
}

/** FNV-1a: a string to 32 bits, to seed one PRNG stream per profile. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Mulberry32: small, fast, good enough to pick demo titles; numbers in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
