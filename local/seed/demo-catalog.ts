/**
 * The demo catalog `npm start` seeds into a fresh data directory: invented films and series,
 * chosen so a newcomer sees what the catalog and discovery can do. Genres come from one small
 * vocabulary and actors appear in several titles, so genre rows and "similar to" recommendations
 * have something to compare; names carry accents (Café Lumière, Élodie’s Garden) for
 * accent-insensitive search. Most titles are live in six countries; some in one or two only (a
 * viewer elsewhere never sees them); one opens in a few weeks (listed nowhere yet); one leaves in
 * a few months. Ratings go from kids (enough for a kids profile's home page) to adult.
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

/**
 * Every genre the demo catalog uses, each by at least two titles. One spelling per idea
 * (`sci-fi`, never `science fiction`): discovery compares genres as words.
 */
export const DEMO_GENRES = [
  'action',
  'adventure',
  'animation',
  'comedy',
  'crime',
  'documentary',
  'drama',
  'family',
  'fantasy',
  'food',
  'horror',
  'music',
  'mystery',
  'romance',
  'sci-fi',
  'sports',
  'thriller',
] as const;

const EVERYWHERE: readonly DemoWindow[] = [{ countries: DEMO_COUNTRIES, fromDays: -365 }];

/** What a series and its episodes share. */
interface SeriesDefaults {
  readonly seriesKey: string;
  readonly genres: readonly string[];
  readonly cast: readonly string[];
  readonly maturity: Maturity;
  readonly availability: readonly DemoWindow[];
}

const ROBOT_GARDEN: SeriesDefaults = {
  seriesKey: 'robot-garden',
  genres: ['animation', 'family', 'sci-fi'],
  cast: ['Mina Okafor', 'Leo Brandt', 'Sakura Ito'],
  maturity: 'kids',
  availability: EVERYWHERE,
};

const DEEP_SIGNAL: SeriesDefaults = {
  seriesKey: 'deep-signal',
  genres: ['sci-fi', 'thriller', 'drama'],
  cast: ['Hana Kowalczyk', 'Samuel Osei', 'Marcus Webb'],
  maturity: 'adult',
  availability: EVERYWHERE,
};

const CASA_BAGUNCA: SeriesDefaults = {
  seriesKey: 'casa-bagunca',
  genres: ['comedy', 'family'],
  cast: ['Beatriz Amaral', 'Jorge Batista', 'Luana Prado'],
  maturity: 'teen',
  availability: EVERYWHERE,
};

const MARLOWE_FILES: SeriesDefaults = {
  seriesKey: 'the-marlowe-files',
  genres: ['crime', 'mystery'],
  cast: ['Callum Reid', 'Agnes Thornbury', 'Arjun Mehta'],
  maturity: 'adult',
  availability: EVERYWHERE,
};

/**
 * 38 films and four series (Robot Garden: two seasons of two episodes; the others one season of
 * two or three): 42 browsable titles, 49 clips.
 */
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
  // Added for discovery: enough titles per genre for genre rows and similar-title
  // recommendations, actors shared across titles, more for kids, and a few regional licences.
  {
    kind: 'movie',
    key: 'the-cold-equation',
    name: 'The Cold Equation',
    synopsis:
      'A cargo pilot finds a stowaway aboard a ship fuelled for exactly one passenger, and has forty hours to find any answer but the obvious one.',
    genres: ['sci-fi', 'thriller'],
    cast: ['Hana Kowalczyk', 'Dominic Hale', 'Marcus Webb'],
    maturity: 'adult',
    releaseYear: 2021,
    availability: EVERYWHERE,
    card: { color: '#0b132b', toneHz: 220 },
  },
  {
    kind: 'movie',
    key: 'glass-harbour',
    name: 'Glass Harbour',
    synopsis:
      'A harbour master’s daughter agrees to testify against the smugglers who run her town, then learns who has been assigned to protect her.',
    genres: ['thriller', 'crime'],
    cast: ['Greta Hoffmann', 'Yuki Tanabe', 'Marcus Webb'],
    maturity: 'adult',
    releaseYear: 2020,
    availability: EVERYWHERE,
    card: { color: '#1c2541', toneHz: 233 },
  },
  {
    kind: 'movie',
    key: 'the-ninth-moon',
    name: 'The Ninth Moon',
    synopsis:
      'A survey probe photographs a moon that should not exist, and the only ship close enough to look is crewed by cadets on their first flight.',
    genres: ['sci-fi', 'adventure'],
    cast: ['Samuel Osei', 'Leila Haddad', 'Tomás Ferreira'],
    maturity: 'teen',
    releaseYear: 2024,
    availability: EVERYWHERE,
    card: { color: '#3a506b', toneHz: 247 },
  },
  {
    kind: 'movie',
    key: 'quiet-hours',
    name: 'Quiet Hours',
    synopsis:
      'A night nurse on a closed hospital ward keeps answering the call bell of a room that has stood empty for thirty years.',
    genres: ['horror', 'thriller'],
    cast: ['Sofia Lindqvist', 'Callum Reid'],
    maturity: 'adult',
    releaseYear: 2022,
    availability: EVERYWHERE,
    card: { color: '#370617', toneHz: 208 },
  },
  {
    kind: 'movie',
    key: 'the-hollow-pines',
    name: 'The Hollow Pines',
    synopsis:
      'Five friends rent a cabin for a hiking weekend and find the previous guests’ photographs still developing in the darkroom.',
    genres: ['horror', 'mystery'],
    cast: ['Ines Moreau', 'Dominic Hale', 'Leila Haddad'],
    maturity: 'adult',
    releaseYear: 2019,
    // Licensed for two countries.
    availability: [{ countries: ['US', 'GB'], fromDays: -150 }],
    card: { color: '#283618', toneHz: 196 },
  },
  {
    kind: 'movie',
    key: 'runaway-circuit',
    name: 'Runaway Circuit',
    synopsis:
      'A bike courier with a stolen prototype in her backpack has one night to cross a city whose every traffic light is hunting her.',
    genres: ['action', 'sci-fi'],
    cast: ['Femi Adeyemi', 'Leila Haddad', 'Kai Nakashima'],
    maturity: 'teen',
    releaseYear: 2023,
    availability: EVERYWHERE,
    card: { color: '#ff006e', toneHz: 277 },
  },
  {
    kind: 'movie',
    key: 'iron-tide',
    name: 'Iron Tide',
    synopsis:
      'A salvage diver and a disgraced navy captain race a typhoon to the wreck of a freighter that was never on any manifest.',
    genres: ['action', 'adventure'],
    cast: ['Femi Adeyemi', 'Lukas Berg', 'Rafael Duarte'],
    maturity: 'teen',
    releaseYear: 2018,
    availability: EVERYWHERE,
    card: { color: '#005f73', toneHz: 311 },
  },
  {
    kind: 'movie',
    key: 'zero-hour',
    name: 'Zero Hour',
    synopsis:
      'Four retired safecrackers come back for one last job: breaking into the vault they designed themselves.',
    genres: ['action', 'crime'],
    cast: ['Marcus Webb', 'Yuki Tanabe', 'Kai Nakashima'],
    maturity: 'adult',
    releaseYear: 2025,
    // Licensed for the United States only.
    availability: [{ countries: ['US'], fromDays: -30 }],
    card: { color: '#9d0208', toneHz: 370 },
  },
  {
    kind: 'movie',
    key: 'cafe-lumiere',
    name: 'Café Lumière',
    synopsis:
      'A Lisbon café that opens only after midnight plays matchmaker for its regulars, whether they like it or not.',
    genres: ['romance', 'comedy'],
    cast: ['Beatriz Amaral', 'Ines Moreau', 'Théo Lambert'],
    maturity: 'teen',
    releaseYear: 2019,
    availability: EVERYWHERE,
    card: { color: '#bc6c25', toneHz: 415 },
  },
  {
    kind: 'movie',
    key: 'elodies-garden',
    name: 'Élodie’s Garden',
    synopsis:
      'A botanist inherits a walled garden in Provence and, with it, the gardener who refuses to leave.',
    genres: ['romance', 'drama'],
    cast: ['Ines Moreau', 'Théo Lambert', 'Agnes Thornbury'],
    maturity: 'teen',
    releaseYear: 2016,
    availability: EVERYWHERE,
    card: { color: '#6a994e', toneHz: 440 },
  },
  {
    kind: 'movie',
    key: 'samba-for-two',
    name: 'Samba for Two',
    synopsis:
      'Two rival dance teachers are forced to share one studio, one ballroom competition and, eventually, one dance.',
    genres: ['romance', 'comedy', 'music'],
    cast: ['Caio Nogueira', 'Luana Prado', 'Nora Castellanos'],
    maturity: 'teen',
    releaseYear: 2021,
    // Licensed for two countries.
    availability: [{ countries: ['BR', 'US'], fromDays: -60 }],
    card: { color: '#e76f51', toneHz: 466 },
  },
  {
    kind: 'movie',
    key: 'best-man-down',
    name: 'Best Man Down',
    synopsis:
      'On the morning of the wedding the best man loses the groom, the rings and his voice, in that order.',
    genres: ['comedy'],
    cast: ['Femi Adeyemi', 'Otto Kasprzak', 'Caio Nogueira'],
    maturity: 'teen',
    releaseYear: 2022,
    availability: EVERYWHERE,
    card: { color: '#ffb703', toneHz: 494 },
  },
  {
    kind: 'movie',
    key: 'senora-tempestad',
    name: 'Señora Tempestad',
    synopsis:
      'A retired weather presenter in Valparaíso starts forecasting her neighbours’ love lives, with unsettling accuracy.',
    genres: ['comedy', 'drama'],
    cast: ['Nora Castellanos', 'Rafael Duarte', 'Jorge Batista'],
    maturity: 'teen',
    releaseYear: 2023,
    availability: EVERYWHERE,
    card: { color: '#219ebc', toneHz: 523 },
  },
  {
    kind: 'movie',
    key: 'sao-paulo-blues',
    name: 'São Paulo Blues',
    synopsis:
      'A jazz pianist who stopped playing after a scandal takes a night job in a hotel bar where nobody knows his name.',
    genres: ['music', 'drama'],
    cast: ['Beatriz Amaral', 'Caio Nogueira', 'Jorge Batista'],
    maturity: 'adult',
    releaseYear: 2018,
    // Licensed for Brazil only.
    availability: [{ countries: ['BR'], fromDays: -100 }],
    card: { color: '#023047', toneHz: 554 },
  },
  {
    kind: 'movie',
    key: 'love-in-aisle-nine',
    name: 'Love in Aisle Nine',
    synopsis:
      'Two night-shift supermarket workers carry on a secret courtship through the way they stack the tinned tomatoes.',
    genres: ['romance', 'comedy'],
    cast: ['Luana Prado', 'Théo Lambert', 'Priya Raman'],
    maturity: 'teen',
    releaseYear: 2024,
    availability: EVERYWHERE,
    card: { color: '#fb8500', toneHz: 587 },
  },
  {
    kind: 'movie',
    key: 'beneath-the-ice',
    name: 'Beneath the Ice',
    synopsis:
      'Divers and scientists spend a polar winter under the sea ice to film the creatures that live in the dark.',
    genres: ['documentary', 'adventure'],
    cast: ['Ingrid Solberg', 'Pemba Sherpa'],
    maturity: 'kids',
    releaseYear: 2020,
    availability: EVERYWHERE,
    card: { color: '#48cae4', toneHz: 622 },
  },
  {
    kind: 'movie',
    key: 'bread-of-the-world',
    name: 'Bread of the World',
    synopsis:
      'Sourdough in San Francisco, injera in Addis Ababa, naan in Delhi: a baker follows bread around the world and home again.',
    genres: ['documentary', 'food'],
    cast: ['Anjali Menon-Ruiz', 'Otto Kasprzak'],
    maturity: 'kids',
    releaseYear: 2022,
    availability: EVERYWHERE,
    card: { color: '#dda15e', toneHz: 659 },
  },
  {
    kind: 'movie',
    key: 'the-quiet-champion',
    name: 'The Quiet Champion',
    synopsis:
      'A deaf sprinter takes on her own federation for the right to start her races on a light instead of a pistol.',
    genres: ['sports', 'drama'],
    cast: ['Lukas Berg', 'Nora Castellanos', 'Arjun Mehta'],
    maturity: 'teen',
    releaseYear: 2019,
    availability: EVERYWHERE,
    card: { color: '#8338ec', toneHz: 698 },
  },
  {
    kind: 'movie',
    key: 'monsoon-letters',
    name: 'Monsoon Letters',
    synopsis:
      'Letters held up forty years by a flooded post office finally reach a Kerala village and rearrange three marriages.',
    genres: ['drama', 'romance'],
    cast: ['Arjun Mehta', 'Priya Raman', 'Anjali Menon-Ruiz'],
    maturity: 'teen',
    releaseYear: 2017,
    // Licensed for India only.
    availability: [{ countries: ['IN'], fromDays: -180 }],
    card: { color: '#588157', toneHz: 233 },
  },
  {
    kind: 'movie',
    key: 'uber-den-wolken',
    name: 'Über den Wolken',
    synopsis:
      'A glider pilot grounded by failing eyesight teaches her grandson to fly before she forgets the way herself.',
    genres: ['drama', 'family'],
    cast: ['Greta Hoffmann', 'Lukas Berg', 'Bram de Vries'],
    maturity: 'teen',
    releaseYear: 2021,
    // Licensed for two countries.
    availability: [{ countries: ['DE', 'GB'], fromDays: -75 }],
    card: { color: '#90e0ef', toneHz: 262 },
  },
  {
    kind: 'movie',
    key: 'the-kyoto-timetable',
    name: 'The Kyoto Timetable',
    synopsis:
      'A railway enthusiast notices a train that runs once a year, stops nowhere and carries no passengers on its list.',
    genres: ['mystery', 'thriller'],
    cast: ['Yuki Tanabe', 'Kenji Mori', 'Aoi Nakamura'],
    maturity: 'teen',
    releaseYear: 2022,
    availability: EVERYWHERE,
    card: { color: '#432818', toneHz: 294 },
  },
  {
    kind: 'movie',
    key: 'the-lantern-fox',
    name: 'The Lantern Fox',
    synopsis:
      'A fox made of paper lanterns guides a lost boy home through the festival night before the last candle burns out.',
    genres: ['animation', 'fantasy', 'family'],
    cast: ['Aoi Nakamura', 'Kenji Mori', 'Elsie Marchetti'],
    maturity: 'kids',
    releaseYear: 2018,
    availability: EVERYWHERE,
    card: { color: '#f77f00', toneHz: 330 },
  },
  {
    kind: 'movie',
    key: 'pip-and-the-pirate-moon',
    name: 'Pip and the Pirate Moon',
    synopsis:
      'A harbour mouse who has never left the quay stows away on a pirate ship sailing for the moon’s reflection.',
    genres: ['animation', 'adventure', 'family'],
    cast: ['Juniper Vale', 'Mina Okafor', 'Bram de Vries'],
    maturity: 'kids',
    releaseYear: 2023,
    availability: EVERYWHERE,
    card: { color: '#4361ee', toneHz: 349 },
  },
  {
    kind: 'movie',
    key: 'zoe-and-the-comet-club',
    name: 'Zoë and the Comet Club',
    synopsis:
      'Zoë’s astronomy club has three members, one telescope and a comet that nobody else believes is coming.',
    genres: ['family', 'comedy', 'sci-fi'],
    cast: ['Juniper Vale', 'Priya Raman', 'Leo Brandt'],
    maturity: 'kids',
    releaseYear: 2024,
    availability: EVERYWHERE,
    card: { color: '#7209b7', toneHz: 392 },
  },
  {
    kind: 'movie',
    key: 'nino-and-the-dragon',
    name: 'Niño and the Dragon',
    synopsis:
      'A shy boy in a mountain village hatches a dragon’s egg and learns that dragons are afraid of the dark too.',
    genres: ['animation', 'fantasy', 'family'],
    cast: ['Tomás Ferreira', 'Sakura Ito', 'Elsie Marchetti'],
    maturity: 'kids',
    releaseYear: 2020,
    availability: EVERYWHERE,
    card: { color: '#c1121f', toneHz: 440 },
  },
  {
    kind: 'movie',
    key: 'snowball-express',
    name: 'Snowball Express',
    synopsis:
      'Three siblings turn a shopping trolley into a sledge to deliver the school’s Christmas post through a blizzard.',
    genres: ['family', 'comedy', 'adventure'],
    cast: ['Leo Brandt', 'Mina Okafor'],
    maturity: 'kids',
    releaseYear: 2017,
    availability: EVERYWHERE,
    card: { color: '#a8dadc', toneHz: 494 },
  },
  {
    kind: 'movie',
    key: 'bumbleton-bakes',
    name: 'Bumbleton Bakes',
    synopsis:
      'When Bumbleton’s only baker catches a cold, every animal in the village tries to bake the king’s birthday cake.',
    genres: ['animation', 'comedy', 'family'],
    cast: ['Juniper Vale', 'Sakura Ito', 'Otto Kasprzak'],
    maturity: 'kids',
    releaseYear: 2021,
    availability: EVERYWHERE,
    card: { color: '#ffafcc', toneHz: 523 },
  },
  seriesOf(
    ROBOT_GARDEN,
    'Robot Garden',
    'A small gardening robot and the children next door grow something new on the roof of their apartment block every week.',
    2022,
  ),
  episode(
    ROBOT_GARDEN,
    1,
    1,
    'Seeds of Tomorrow',
    'Bolt plants its first seed and waits. And waits.',
    2022,
    '#52b788',
    330,
  ),
  episode(
    ROBOT_GARDEN,
    1,
    2,
    'The Rusty Gate',
    'A squeaky gate, a runaway tomato and a very oily solution.',
    2022,
    '#40916c',
    349,
  ),
  episode(
    ROBOT_GARDEN,
    2,
    1,
    'Winter Sprouts',
    'Snow on the roof: the garden moves into the stairwell.',
    2023,
    '#74c69d',
    392,
  ),
  episode(
    ROBOT_GARDEN,
    2,
    2,
    'Lanterns in the Greenhouse',
    'The neighbours light up the garden for the longest night.',
    2023,
    '#2d6a4f',
    440,
  ),
  seriesOf(
    DEEP_SIGNAL,
    'Deep Signal',
    'A radio astronomer picks up a message addressed to her by name, sent eleven years before she was born.',
    2024,
  ),
  episode(
    DEEP_SIGNAL,
    1,
    1,
    'Carrier Wave',
    'The dish hears a voice; the observatory hears nothing.',
    2024,
    '#14213d',
    277,
  ),
  episode(
    DEEP_SIGNAL,
    1,
    2,
    'Static',
    'The second message is a warning, and it arrives early.',
    2024,
    '#1b263b',
    311,
  ),
  episode(
    DEEP_SIGNAL,
    1,
    3,
    'The Reply',
    'Answering means telling someone where Earth is.',
    2024,
    '#0d1b2a',
    349,
  ),
  seriesOf(
    CASA_BAGUNCA,
    'Casa Bagunça',
    'Three generations, two dogs and one bathroom: the Bagunça family’s house in Recife is never quiet for long.',
    2023,
  ),
  episode(
    CASA_BAGUNCA,
    1,
    1,
    'The Wedding Cake',
    'Grandma bakes the cake; everyone else has to get it to the church.',
    2023,
    '#f4a259',
    392,
  ),
  episode(
    CASA_BAGUNCA,
    1,
    2,
    'Grandpa’s Girlfriend',
    'Grandpa is dating again, and the whole street has an opinion.',
    2023,
    '#f25c54',
    415,
  ),
  seriesOf(
    MARLOWE_FILES,
    'The Marlowe Files',
    'A retired Scotland Yard archivist reopens the cold cases that nobody else remembers were ever opened.',
    2021,
  ),
  episode(
    MARLOWE_FILES,
    1,
    1,
    'The Vanishing Organist',
    'A church organ plays every Sunday; its organist died in 1962.',
    2021,
    '#3d405b',
    466,
  ),
  episode(
    MARLOWE_FILES,
    1,
    2,
    'Ashes at Alder Hall',
    'A fire, a will and a portrait that was painted after the fire.',
    2021,
    '#5f0f40',
    494,
  ),
];

/** A series entry, sharing genres, cast, rating and windows with its episodes. */
function seriesOf(series: SeriesDefaults, name: string, synopsis: string, releaseYear: number): DemoSeries {
  return {
    kind: 'series',
    key: series.seriesKey,
    name,
    synopsis,
    genres: [...series.genres],
    cast: [...series.cast],
    maturity: series.maturity,
    releaseYear,
    availability: series.availability,
  };
}

function episode(
  series: SeriesDefaults,
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
    key: `${series.seriesKey}-s${seasonNumber}e${episodeNumber}`,
    seriesKey: series.seriesKey,
    seasonNumber,
    episodeNumber,
    name,
    synopsis,
    genres: [...series.genres],
    cast: [...series.cast],
    maturity: series.maturity,
    releaseYear,
    availability: series.availability,
    card: { color, toneHz },
  };
}

/** Movies and series: what viewers browse (episodes are listed under their series). */
export function browsableTitles(titles: readonly DemoTitle[]): (DemoMovie | DemoSeries)[] {
  return titles.filter((t): t is DemoMovie | DemoSeries => t.kind !== 'episode');
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
