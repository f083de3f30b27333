/**
 * The query policy of search, apart from the index library: which lookups a query becomes
 * (typo budget, prefixes, neighbouring-letter swaps), how their matches combine into one ranked
 * list, and where visibility filtering happens. `search.ts` runs it over MiniSearch; the library
 * benchmark runs the same policy over each candidate library.
 */
import type { SnapshotTitle } from '#contracts/internal.ts';
import {
  adjacentTranspositions,
  editBudget,
  foldText,
  foldTitleText,
  queryTerms,
  STOP_WORDS,
} from './search-text.ts';

/** The parts of a title search matches, in the order they are reported. */
export const SEARCH_FIELDS = ['name', 'synopsis', 'cast', 'genres'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

/**
 * How much a match in each field weighs. A name match must outrank a synopsis or cast match of
 * the same word even though synopses are longer (BM25 already favours the shorter field).
 */
export const FIELD_BOOSTS: Readonly<Record<SearchField, number>> = {
  name: 3,
  synopsis: 1,
  cast: 2,
  genres: 1.5,
};

/**
 * The most popularity can multiply a score by (the most played title: × 1.25; never played: × 1).
 * Enough to order titles that match about equally well, not enough to lift a synopsis match
 * over a name match (`FIELD_BOOSTS`).
 */
export const POPULARITY_WEIGHT = 0.25;

/**
 * The title's text per field, folded (`foldTitleText`). The synopsis leaves out `STOP_WORDS`;
 * genres also appear joined ("sci-fi" → "sci fi scifi").
 */
export function searchableText(title: SnapshotTitle): Record<SearchField, string> {
  const genres = title.genres.flatMap((genre) => {
    const folded = foldText(genre);
    return folded.includes(' ') ? [folded, folded.replaceAll(' ', '')] : [folded];
  });
  return {
    name: foldTitleText(title.name),
    synopsis: foldTitleText(title.synopsis)
      .split(' ')
      .filter((word) => !STOP_WORDS.has(word))
      .join(' '),
    cast: title.cast.map(foldTitleText).join(' '),
    genres: genres.join(' '),
  };
}

/**
 * Each title's popularity factor, 1 to 1 + `POPULARITY_WEIGHT`, on a log scale of its plays
 * relative to the most played title (plays are heavy-tailed: the tenth title has a fraction of the
 * first's plays but is not a fraction as relevant). Rounded to 3 decimals: it is stored in the index.
 */
export function popularityFactor(plays: number, mostPlays: number): number {
  if (!(plays > 0) || !(mostPlays > 0)) return 1;
  const share = Math.min(1, Math.log1p(plays) / Math.log1p(mostPlays));
  return Math.round((1 + POPULARITY_WEIGHT * share) * 1000) / 1000;
}

/**
 * A swapped-letters variant that matches counts like one typo, not like the term as typed: its
 * score is scaled by this (MiniSearch's own weight for a fuzzy match).
 */
export const TRANSPOSITION_WEIGHT = 0.45;

/**
 * Shorter terms match whole words only. A two-letter prefix matches half of a large catalog
 * ("ka": 2,492 of 5,000 synthetic titles, ~10 ms a query against ~0.2 ms for most queries) and
 * tells the viewer little; three letters are the shortest prefix that must find titles.
 */
export const MIN_PREFIX_LENGTH = 3;

/** One lookup in the index: a term, how many edits it tolerates, whether it also matches as a prefix. */
export interface TermLookup {
  readonly term: string;
  /** Levenshtein distance tolerated (0: none). */
  readonly fuzzy: number;
  readonly prefix: boolean;
  /** Multiplies the scores of what it finds. */
  readonly weight: number;
}

/** What one lookup found in one title. */
export interface LookupMatch {
  /** Relevance, popularity included; higher is better. */
  readonly score: number;
  readonly fields: readonly SearchField[];
}

/** Runs one lookup against an index: title id → match. */
export type LookupFn = (lookup: TermLookup) => ReadonlyMap<string, LookupMatch>;

/** One search result. */
export interface SearchHit {
  readonly titleId: string;
  /** Relevance (popularity included), only comparable within one answer. */
  readonly score: number;
  /** Where the query matched, in `SEARCH_FIELDS` order. */
  readonly matched: SearchField[];
}

export interface SearchOptions {
  /** At most this many results. */
  readonly limit: number;
  /**
   * Whether the viewer may see the title (availability in their country now, their profile's
   * maturity). Applied before `limit`, so a kids profile still gets up to `limit` results.
   */
  readonly visible: (titleId: string) => boolean;
}

/**
 * The lookups for one query term: the term as typed (with its edit budget, and as a prefix from
 * `MIN_PREFIX_LENGTH` letters), then each neighbouring-letter swap of it with one edit fewer, as
 * a prefix, at `TRANSPOSITION_WEIGHT`. Swaps are tried only when the term may hold a typo at all.
 */
export function lookupsFor(term: string): TermLookup[] {
  const budget = editBudget(term);
  const typed: TermLookup = {
    term,
    fuzzy: budget,
    prefix: Array.from(term).length >= MIN_PREFIX_LENGTH,
    weight: 1,
  };
  if (budget === 0) return [typed];
  return [
    typed,
    ...adjacentTranspositions(term).map((variant) => ({
      term: variant,
      fuzzy: budget - 1,
      prefix: true,
      weight: TRANSPOSITION_WEIGHT,
    })),
  ];
}

interface Accumulated {
  score: number;
  /** Terms matched, and how many of them are required (not stop words). */
  terms: number;
  required: number;
  readonly fields: Set<SearchField>;
}

/**
 * Searches with `lookup` and ranks: for each query term, a title scores the best of that term's
 * lookups, and its score is the sum over the terms. A title must match every term that is not a
 * stop word (AND; stop words only add to the score, unless the query has nothing else); if no
 * visible title does, titles matching any of those terms are ranked instead (OR, scaled by the
 * share of terms they match), so one word mistyped beyond repair does not empty the answer.
 * Invisible titles are dropped before `limit`. Ties go to the smaller title id, so answers are
 * stable. A query with nothing searchable finds nothing.
 */
export function rankTitles(query: string, lookup: LookupFn, options: SearchOptions): SearchHit[] {
  const terms = queryTerms(query);
  if (terms.length === 0 || options.limit <= 0) return [];

  const perTerm = terms.map((term) => {
    const best = new Map<string, { score: number; fields: Set<SearchField> }>();
    for (const spec of lookupsFor(term)) {
      for (const [titleId, match] of lookup(spec)) {
        const seen = best.get(titleId);
        if (seen === undefined) best.set(titleId, { score: match.score, fields: new Set(match.fields) });
        else {
          seen.score = Math.max(seen.score, match.score);
          for (const field of match.fields) seen.fields.add(field);
        }
      }
    }
    return best;
  });

  const stopWordsOnly = terms.every((term) => STOP_WORDS.has(term));
  const isRequired = terms.map((term) => stopWordsOnly || !STOP_WORDS.has(term));
  const requiredCount = isRequired.filter(Boolean).length;
  const combined = new Map<string, Accumulated>();
  for (const [i, matches] of perTerm.entries()) {
    for (const [titleId, match] of matches) {
      const entry = combined.get(titleId) ?? {
        score: 0,
        terms: 0,
        required: 0,
        fields: new Set<SearchField>(),
      };
      entry.score += match.score;
      entry.terms += 1;
      if (isRequired[i]) entry.required += 1;
      for (const field of match.fields) entry.fields.add(field);
      combined.set(titleId, entry);
    }
  }

  const visible = [...combined].filter(([titleId, entry]) => entry.required > 0 && options.visible(titleId));
  const all = visible.filter(([, entry]) => entry.required === requiredCount);
  const ranked =
    all.length > 0
      ? all.map(([titleId, entry]) => hit(titleId, entry.score, entry.fields))
      : visible.map(([titleId, entry]) =>
          hit(titleId, (entry.score * entry.terms) / terms.length, entry.fields),
        );
  // Sorted on the exact scores (popularity may differ in the fourth digit), rounded only for the answer.
  return ranked
    .sort((a, b) => b.score - a.score || (a.titleId < b.titleId ? -1 : a.titleId > b.titleId ? 1 : 0))
    .slice(0, options.limit)
    .map((h) => ({ ...h, score: Math.round(h.score * 1000) / 1000 }));
}

function hit(titleId: string, score: number, fields: ReadonlySet<SearchField>): SearchHit {
  return { titleId, score, matched: SEARCH_FIELDS.filter((field) => fields.has(field)) };
}
