/**
 * The two catalogs the search-library benchmark indexes: the demo catalog `npm start` seeds,
 * and a synthetic one of a few thousand titles made by a seeded generator (the same titles on
 * every run), with the popularity discovery would pass.
 */
import { createHash } from 'node:crypto';
import type { Maturity } from '#contracts/api/common.ts';
import type { SnapshotTitle } from '#contracts/internal.ts';
import {
  browsableTitles,
  DEMO_CATALOG,
  DEMO_COUNTRIES,
  DEMO_GENRES,
  windowsAt,
} from '#local/seed/demo-catalog.ts';

/** A catalog as search indexes it. */
export interface BenchCatalog {
  readonly label: string;
  readonly titles: readonly SnapshotTitle[];
  /** Plays over recent days per title id (titles nobody played are absent). */
  readonly popularity: ReadonlyMap<string, number>;
}

/** A UUID-shaped id (what the catalog mints), derived from `seed` so runs are comparable. */
export function uuidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Deterministic 32-bit PRNG (mulberry32): the synthetic catalog is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The demo catalog's movies and series as the catalog's snapshot holds them, at `now`. */
export function demoCatalog(now: Date): BenchCatalog {
  const titles = browsableTitles(DEMO_CATALOG).map(
    (demo): SnapshotTitle => ({
      titleId: uuidFrom(demo.key),
      kind: demo.kind,
      name: demo.name,
      synopsis: demo.synopsis,
      genres: [...demo.genres],
      cast: [...demo.cast],
      maturity: demo.maturity,
      releaseYear: demo.releaseYear,
      availability: windowsAt(demo.availability, now),
      artwork: {},
      playable: true,
      createdAt: now.toISOString(),
    }),
  );
  // Plays fall off with rank, in an order unrelated to the list's: popularity must not simply
  // repeat the catalog order.
  const random = seededRandom(7);
  const shuffled = [...titles].sort(() => random() - 0.5);
  const popularity = new Map(shuffled.map((t, rank) => [t.titleId, Math.round(20_000 / (rank + 1))]));
  return { label: `demo (${titles.length})`, titles, popularity };
}

const SYLLABLES = [
  ...'ba ka ri lo men tar vel sor dun mi ne qua zel pho thr an el is or ul'.split(' '),
  ...'ven gar lis mor ta shi ko bra ste fen hol wyn dra cle mon pe su ria cor lan'.split(' '),
];
/** Some generated names carry accents, as real cast and titles do (folded away at search). */
const ACCENTED: Readonly<Record<string, string>> = { e: 'é', a: 'á', o: 'ö', n: 'ñ', u: 'ü', i: 'í', c: 'ç' };
const STOP_WORDS = [
  'the',
  'a',
  'of',
  'and',
  'to',
  'in',
  'on',
  'with',
  'her',
  'his',
  'who',
  'for',
  'from',
  'is',
];

/** `count` distinct pseudo-words of 2 to 4 syllables; `accentShare` of them with one accented letter. */
function pseudoWords(random: () => number, count: number, accentShare: number): string[] {
  const words = new Set<string>();
  while (words.size < count) {
    const syllables = 2 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < syllables; i += 1) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    if (random() < accentShare) {
      const at = [...word].findIndex((letter) => ACCENTED[letter] !== undefined);
      if (at >= 0) word = word.slice(0, at) + (ACCENTED[word[at] ?? ''] ?? '') + word.slice(at + 1);
    }
    words.add(word);
  }
  return [...words];
}

/** A Zipf-like pick: low indexes are far more frequent, as common words and busy actors are. */
function zipfPick<T>(random: () => number, items: readonly T[]): T {
  const index = Math.floor(items.length * random() ** 2.2);
  return items[Math.min(items.length - 1, index)] as T;
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const MATURITIES: readonly Maturity[] = ['kids', 'teen', 'adult'];

/**
 * `count` generated titles: names of one to four words from a vocabulary of pseudo-words (a
 * third start with "The"), synopses of 18 to 35 words with English stop words, two to six cast
 * members from a pool of actors who appear in several titles, one to three of the demo genres,
 * UUID ids, and Zipf-distributed plays (a third of titles never played).
 */
export function syntheticCatalog(count: number, now: Date, seed = 42): BenchCatalog {
  const random = seededRandom(seed);
  const nameWords = pseudoWords(random, Math.max(400, count), 0.08);
  const synopsisWords = pseudoWords(random, Math.max(800, count * 2), 0.04);
  const firstNames = pseudoWords(random, 400, 0.15).map(capitalize);
  const lastNames = pseudoWords(random, 1200, 0.15).map(capitalize);
  const actors = Array.from(
    { length: Math.max(200, count) },
    (_, i) => `${firstNames[i % firstNames.length]} ${lastNames[Math.floor(random() * lastNames.length)]}`,
  );
  const availability = windowsAt([{ countries: DEMO_COUNTRIES, fromDays: -365 }], now);
  const titles: SnapshotTitle[] = [];
  const popularity = new Map<string, number>();
  for (let i = 0; i < count; i += 1) {
    const wordCount = 1 + Math.floor(random() ** 1.5 * 4);
    const words = Array.from({ length: wordCount }, () => capitalize(zipfPick(random, nameWords)));
    const name = (random() < 0.33 ? ['The', ...words] : words).join(' ');
    const synopsisLength = 18 + Math.floor(random() * 18);
    const synopsis = `${Array.from({ length: synopsisLength }, () =>
      random() < 0.35
        ? STOP_WORDS[Math.floor(random() * STOP_WORDS.length)]
        : zipfPick(random, synopsisWords),
    ).join(' ')}.`;
    const cast = [
      ...new Set(Array.from({ length: 2 + Math.floor(random() * 5) }, () => zipfPick(random, actors))),
    ];
    const genres = [
      ...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => zipfPick(random, DEMO_GENRES))),
    ];
    const titleId = uuidFrom(`synthetic-${seed}-${i}`);
    titles.push({
      titleId,
      kind: random() < 0.8 ? 'movie' : 'series',
      name,
      synopsis,
      genres,
      cast,
      maturity: MATURITIES[Math.floor(random() * MATURITIES.length)] ?? 'teen',
      releaseYear: 1970 + Math.floor(random() * 56),
      availability,
      artwork: {},
      playable: true,
      createdAt: now.toISOString(),
    });
    if (random() > 1 / 3) popularity.set(titleId, Math.max(1, Math.round(50_000 * random() ** 6)));
  }
  return { label: `synthetic (${count})`, titles, popularity };
}
