/**
 * The demo catalog `npm start` seeds into a fresh data directory: invented films and one series,
 * chosen so a newcomer sees what the catalog can do. Most titles are live in six countries;
 * some only in one (a viewer elsewhere never sees them); one opens in a few weeks (listed
 * nowhere yet); one leaves in a few months. Ratings go from kids to adult.
 *
 * Windows are given in days relative to the moment of seeding, so the catalog looks the same
 * whenever it is seeded.
 */
import type { CreateTitleRequest, createTitleRequestSchema } from '#contracts/api/catalog.ts';
import type { Maturity } from '#contracts/api/common.ts';
import type * as z from '#contracts/zod.ts';
import type { TitleCard } from './clip.ts';

/** A licensing window in days from the moment of seeding: `fromDays: -30` opened a month ago. */
export interface DemoWindow {
  readonly countries: readonly string[];
  readonly fromDays: number;
  /** Closes this many days from seeding; open-ended when absent. */
  readonly toDays?: number;
}

interface DemoTitleFields {
  /** Stable name of the entry inside the demo catalog (the seed's records key on it). */
  readonly key: string;
  readonly name: string;
  readonly synopsis: string;
  readonly genres: readonly string[];
  readonly cast: readonly string[];
  readonly maturity: Maturity;
  readonly releaseYear: number;
  readonly availability: readonly DemoWindow[];
}

/** A film, or an episode: something with a clip to encode. */
interface Playable {
  /** Title card colour (`#rrggbb`) and tone (Hz) of the generated clip. */
  readonly card: { readonly color: string; readonly toneHz: number };
}

export interface DemoMovie extends DemoTitleFields, Playable {
  readonly kind: 'movie';
}

/** A series is a container: its episodes carry the clips. */
export interface DemoSeries extends DemoTitleFields {
  readonly kind: 'series';
}

export interface DemoEpisode extends DemoTitleFields, Playable {
  readonly kind: 'episode';
  /** `key` of the series, which must come earlier in the list. */
  readonly seriesKey: string;
  readonly seasonNumber: number;
  readonly episodeNumber: number;
}

export type DemoTitle = DemoMovie | DemoSeries | DemoEpisode;

/** Where most titles are live. */
export const DEMO_COUNTRIES = ['US', 'BR', 'GB', 'DE', 'IN', 'JP'] as const;

const EVERYWHERE: readonly DemoWindow[] = [{ countries: DEMO_COUNTRIES, fromDays: -365 }];

const ROBOT_GARDEN = {
  seriesKey: 'robot-garden',
  genres: ['animation', 'family', 'sci-fi'],
  cast: ['Mina Okafor', 'Leo Brandt', 'Sakura Ito'],
  maturity: 'kids',
  availability: EVERYWHERE,
} as const;

/** Eleven films and one series of two seasons of two episodes: 16 titles, 15 clips. */
export const DEMO_CATALOG: readonly DemoTitle[] = [
  {
    kind: 'movie',
    key: 'the-lighthouse-keeper',
    name: 'The Lighthouse Keeper',
    synopsis:
      'On a storm-bound island, a retired keeper finds a logbook that predicts the shipwrecks of a century still to come.',
    genres: ['drama', 'mystery'],
    cast: ['Agnes Thornbury', 'Rafael Duarte', 'Ines Moreau'],
    maturity: 'teen',
    releaseYear: 2019,
    availability: EVERYWHERE,
    card: { color: '#1d3557', toneHz: 262 },
  },
  {
    kind: 'movie',
    key: 'paper-comets',
    name: 'Paper Comets',
    synopsis:
      'Two siblings fold a thousand paper comets to win the school science fair, and one of them will not stop flying.',
    genres: ['animation', 'family', 'comedy'],
    cast: ['Juniper Vale', 'Otto Kasprzak', 'Priya Raman'],
    maturity: 'kids',
    releaseYear: 2022,
    availability: EVERYWHERE,
    card: { color: '#f4a261', toneHz: 294 },
  },
  {
    kind: 'movie',
    key: 'midnight-freight',
    name: 'Midnight Freight',
    synopsis:
      'A night-shift train driver has six hours and four hundred miles to work out which container is ticking.',
    genres: ['thriller', 'crime'],
    cast: ['Dominic Hale', 'Yuki Tanabe', 'Sofia Lindqvist'],
    maturity: 'adult',
    releaseYear: 2018,
    // Leaving soon: the licence ends three months after seeding.
    availability: [{ countries: DEMO_COUNTRIES, fromDays: -365, toDays: 90 }],
    card: { color: '#2b2d42', toneHz: 330 },
  },
  {
    kind: 'movie',
    key: 'salt-and-saffron',
    name: 'Salt and Saffron',
    synopsis:
      'From Kochi to Cádiz, a chef retraces the spice route one market, one family kitchen and one recipe at a time.',
    genres: ['documentary', 'food'],
    cast: ['Anjali Menon-Ruiz'],
    maturity: 'kids',
    releaseYear: 2021,
    availability: EVERYWHERE,
    card: { color: '#e9c46a', toneHz: 349 },
  },
  {
    kind: 'movie',
    key: 'orbit-of-small-things',
    name: 'Orbit of Small Things',
    synopsis:
      'The last engineer on a decommissioned space station has to choose between going home and saving its garden.',
    genres: ['sci-fi', 'drama'],
    cast: ['Hana Kowalczyk', 'Samuel Osei', 'Tomás Ferreira'],
    maturity: 'teen',
    releaseYear: 2023,
    availability: EVERYWHERE,
    card: { color: '#3a0ca3', toneHz: 392 },
  },
  {
    kind: 'movie',
    key: 'second-serve',
    name: 'Second Serve',
    synopsis:
      'A tennis coach who never won a match talks her way into coaching the worst doubles pair at the national championships.',
    genres: ['comedy', 'sports'],
    cast: ['Nora Castellanos', 'Femi Adeyemi', 'Lukas Berg'],
    maturity: 'teen',
    releaseYear: 2024,
    availability: EVERYWHERE,
    card: { color: '#d62828', toneHz: 415 },
  },
  {
    kind: 'movie',
    key: 'the-clockmakers-apprentice',
    name: 'The Clockmaker’s Apprentice',
    synopsis:
      'The town clock has stopped, and with it the town: only the clockmaker’s youngest apprentice can still move.',
    genres: ['fantasy', 'family'],
    cast: ['Elsie Marchetti', 'Bram de Vries'],
    maturity: 'kids',
    releaseYear: 2016,
    availability: EVERYWHERE,
    card: { color: '#7f5539', toneHz: 466 },
  },
  {
    kind: 'movie',
    key: 'carnaval-de-papel',
    name: 'Carnaval de Papel',
    synopsis:
      'A samba school that lost its costumes in a flood rebuilds the whole parade from newspaper in eleven days.',
    genres: ['comedy', 'romance', 'music'],
    cast: ['Beatriz Amaral', 'Caio Nogueira', 'Luana Prado'],
    maturity: 'teen',
    releaseYear: 2020,
    // Licensed for Brazil only.
    availability: [{ countries: ['BR'], fromDays: -200 }],
    card: { color: '#2a9d8f', toneHz: 440 },
  },
  {
    kind: 'movie',
    key: 'the-cloud-road',
    name: 'The Cloud Road',
    synopsis:
      'A girl and her grandfather’s kite follow a road of clouds across the mountains to return a borrowed wind.',
    genres: ['animation', 'adventure', 'family'],
    cast: ['Aoi Nakamura', 'Kenji Mori'],
    maturity: 'kids',
    releaseYear: 2021,
    // Licensed for Japan only.
    availability: [{ countries: ['JP'], fromDays: -120 }],
    card: { color: '#8ecae6', toneHz: 494 },
  },
  {
    kind: 'movie',
    key: 'the-last-ferry',
    name: 'The Last Ferry',
    synopsis:
      'When the final crossing of the season leaves one passenger short, a customs officer has until landfall to find out who.',
    genres: ['thriller', 'mystery'],
    cast: ['Greta Hoffmann', 'Arjun Mehta', 'Callum Reid'],
    maturity: 'adult',
    releaseYear: 2017,
    availability: [{ countries: ['GB', 'DE', 'IN'], fromDays: -90 }],
    card: { color: '#264653', toneHz: 523 },
  },
  {
    kind: 'movie',
    key: 'summit-fever',
    name: 'Summit Fever',
    synopsis:
      'Three generations of climbers, one unclimbed ridge, and the winter that almost ended all of them.',
    genres: ['documentary', 'adventure'],
    cast: ['Pemba Sherpa', 'Ingrid Solberg'],
    maturity: 'teen',
    releaseYear: 2025,
    // Coming soon: encoded and ready, but no country can see it for three more weeks.
    availability: [{ countries: DEMO_COUNTRIES, fromDays: 21 }],
    card: { color: '#6d6875', toneHz: 587 },
  },
  {
    kind: 'series',
    key: ROBOT_GARDEN.seriesKey,
    name: 'Robot Garden',
    synopsis:
      'A small gardening robot and the children next door grow something new on the roof of their apartment block every week.',
    genres: [...ROBOT_GARDEN.genres],
    cast: [...ROBOT_GARDEN.cast],
    maturity: ROBOT_GARDEN.maturity,
    releaseYear: 2022,
    availability: ROBOT_GARDEN.availability,
  },
  episode(
    1,
    1,
    'Seeds of Tomorrow',
    'Bolt plants its first seed and waits. And waits.',
    2022,
    '#52b788',
    330,
  ),
  episode(
    1,
    2,
    'The Rusty Gate',
    'A squeaky gate, a runaway tomato and a very oily solution.',
    2022,
    '#40916c',
    349,
  ),
  episode(
    2,
    1,
    'Winter Sprouts',
    'Snow on the roof: the garden moves into the stairwell.',
    2023,
    '#74c69d',
    392,
  ),
  episode(
    2,
    2,
    'Lanterns in the Greenhouse',
    'The neighbours light up the garden for the longest night.',
    2023,
    '#2d6a4f',
    440,
  ),
];

function episode(
  seasonNumber: number,
  episodeNumber: number,
  name: string,
  synopsis: string,
  releaseYear: number,
  color: string,
  toneHz: number,
): DemoEpisode {
  return {
    kind: 'episode',
    key: `${ROBOT_GARDEN.seriesKey}-s${seasonNumber}e${episodeNumber}`,
    seriesKey: ROBOT_GARDEN.seriesKey,
    seasonNumber,
    episodeNumber,
    name,
    synopsis,
    genres: [...ROBOT_GARDEN.genres],
    cast: [...ROBOT_GARDEN.cast],
    maturity: ROBOT_GARDEN.maturity,
    releaseYear,
    availability: ROBOT_GARDEN.availability,
    card: { color, toneHz },
  };
}

/** Titles that get a clip (films and episodes), in catalog order. */
export function playableTitles(titles: readonly DemoTitle[]): (DemoMovie | DemoEpisode)[] {
  return titles.filter((t): t is DemoMovie | DemoEpisode => t.kind !== 'series');
}

/** The windows as the API takes them, `now` being the moment of seeding. */
export function windowsAt(windows: readonly DemoWindow[], now: Date): CreateTitleRequest['availability'] {
  const day = 86_400_000;
  return windows.map((w) => ({
    countries: [...w.countries],
    from: new Date(now.getTime() + w.fromDays * day).toISOString(),
    ...(w.toDays === undefined ? {} : { to: new Date(now.getTime() + w.toDays * day).toISOString() }),
  }));
}

/** True when a window covers `country` at `now`, for a catalog seeded at `seededAt`. */
export function isLiveIn(title: DemoTitle, country: string, seededAt: Date, now: Date = seededAt): boolean {
  return windowsAt(title.availability, seededAt).some(
    (w) =>
      w.countries.includes(country) &&
      Date.parse(w.from) <= now.getTime() &&
      (w.to === undefined || now.getTime() < Date.parse(w.to)),
  );
}

/**
 * The `POST /v1/admin/titles` body for a demo title; an episode names the id its series got.
 * Throws when an episode's series has no id yet (the series must be created first).
 */
export function createTitleBody(
  title: DemoTitle,
  now: Date,
  seriesIds: ReadonlyMap<string, string>,
): z.input<typeof createTitleRequestSchema> {
  const body: z.input<typeof createTitleRequestSchema> = {
    kind: title.kind,
    name: title.name,
    synopsis: title.synopsis,
    genres: [...title.genres],
    cast: [...title.cast],
    maturity: title.maturity,
    releaseYear: title.releaseYear,
    availability: windowsAt(title.availability, now),
  };
  if (title.kind === 'episode') {
    const seriesId = seriesIds.get(title.seriesKey);
    if (seriesId === undefined)
      throw new Error(`Episode ${title.key} comes before its series ${title.seriesKey}.`);
    return { ...body, seriesId, seasonNumber: title.seasonNumber, episodeNumber: title.episodeNumber };
  }
  return body;
}

/** What the clip of a film or an episode shows. */
export function titleCardOf(title: DemoMovie | DemoEpisode, titles: readonly DemoTitle[]): TitleCard {
  if (title.kind === 'episode') {
    const series = titles.find((t) => t.key === title.seriesKey)?.name ?? '';
    return {
      title: title.name,
      subtitle: `${series} · Season ${title.seasonNumber} · Episode ${title.episodeNumber}`,
      ...title.card,
    };
  }
  const genre = title.genres[0] ?? '';
  return {
    title: title.name,
    subtitle: `${genre.charAt(0).toUpperCase()}${genre.slice(1)} · ${title.releaseYear}`,
    ...title.card,
  };
}
