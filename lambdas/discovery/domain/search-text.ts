/**
 * How search reads text, for titles and queries alike: folding (accents, case, punctuation) and
 * the typo budget of a query term. Pure, and independent of the index library, so the library
 * benchmark (`bench/search-libraries.ts`) feeds every candidate exactly the same terms.
 */

/** Query terms past this many are ignored: no title name needs more, and each term costs a lookup. */
export const MAX_QUERY_TERMS = 8;

/**
 * Longer query terms are cut to this many characters (then they are matched as a prefix). It bounds
 * the work of a hostile query (each term is expanded into one variant per neighbouring-letter swap).
 */
export const MAX_TERM_LENGTH = 24;

/**
 * English words so common in synopses that they tell no title apart. Left out of the synopsis
 * index (in a 5,000-title catalog their entries were 14 % of the index), and optional in queries:
 * "keeper of the lighthouse" needs "keeper" and "lighthouse" to match, "of" and "the" only add
 * to the score. Names, cast and genres keep every word ("The Who", "It", "Up").
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  ...'a an and are as at be but by for from has have he her his in into is it its of on or s'.split(' '),
  ...'she that the their them they this to was when who will with'.split(' '),
]);

/**
 * Letters that Unicode does not decompose into a base letter plus a mark, folded the way a
 * reader would type them on a keyboard without them.
 */
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ł: 'l',
  ı: 'i',
  ħ: 'h',
};
const FOLDED_LETTERS = new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'gu');

/** Combining marks left by canonical decomposition: `é` → `e` + U+0301. */
const MARKS = /\p{M}+/gu;

/** Apostrophes inside words are dropped, not split on: "Clockmaker’s" → "clockmakers", "O'Neil" → "oneil". */
const APOSTROPHES = /['’ʼ`´]/gu;

/** Everything that is not a letter or a digit (punctuation, symbols, emoji, controls, spaces) separates terms. */
const SEPARATORS = /[^\p{L}\p{N}]+/gu;

/**
 * Text as the index stores it and queries are matched: compatibility-decomposed (full-width
 * letters and ligatures become plain ones), accents and other marks removed, lower case, letters
 * without a decomposition folded (`ß` → `ss`), apostrophes dropped, anything else that is not a
 * letter or digit turned into one space. Letters of every script are kept, so Arabic or Hebrew text
 * stays searchable text (it finds nothing in a Latin-script catalog, and never throws).
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(FOLDED_LETTERS, (letter) => LETTER_FOLDS[letter] ?? letter)
    .replace(APOSTROPHES, '')
    .replace(SEPARATORS, ' ')
    .trim();
}

/** A word with an apostrophe inside ("Clockmaker’s", "O'Neil"). */
const APOSTROPHE_WORDS = /(\p{L}+)['’ʼ`´](\p{L}+)/gu;

/**
 * A title's text as the index stores it: `foldText`, with each word that holds an apostrophe
 * also indexed as its parts ("Clockmaker’s" → "clockmakers clockmaker s"), so a viewer who types
 * it with the apostrophe, without it, or only the first part ("clockmaker", or "clokmaker" with a
 * typo, one edit from "clockmaker" but two from "clockmakers") finds it.
 */
export function foldTitleText(text: string): string {
  return foldText(text.replace(APOSTROPHE_WORDS, '$1$2 $1 $2'));
}

/**
 * The query as search matches it (see `foldText`), or `undefined` when nothing searchable is
 * left (`%`, emoji, punctuation only): the caller then answers an empty result, not an error.
 * Terms past `MAX_QUERY_TERMS` are dropped and each term is cut to `MAX_TERM_LENGTH`.
 */
export function normalizeSearchQuery(raw: string): string | undefined {
  const terms = queryTerms(raw);
  return terms.length === 0 ? undefined : terms.join(' ');
}

/** The distinct terms of a query, in order, at most `MAX_QUERY_TERMS`, each at most `MAX_TERM_LENGTH` long. */
export function queryTerms(raw: string): string[] {
  const terms = new Set<string>();
  for (const term of foldText(raw).split(' ')) {
    if (term === '') continue;
    terms.add(Array.from(term).slice(0, MAX_TERM_LENGTH).join(''));
    if (terms.size === MAX_QUERY_TERMS) break;
  }
  return [...terms];
}

/**
 * How many typing mistakes a query term of this length may contain and still match: one per five
 * characters, at least one from four characters, at most two.
 *
 * | length | edits |
 * | ------ | ----- |
 * | 1–3    | 0     |
 * | 4–9    | 1     |
 * | 10+    | 2     |
 *
 * Three letters and fewer get none: at that length one edit reaches most short words ("cat" →
 * "car", "hat", "act"), and those terms are prefixes anyway. Four get one, so "drma" finds "drama".
 * The cap of two is where Elasticsearch's `AUTO` fuzziness stops too: beyond it unrelated words match.
 * An edit is a letter substituted, deleted or inserted, or two neighbouring letters swapped.
 */
export function editBudget(term: string): number {
  const length = Array.from(term).length;
  if (length < 4) return 0;
  return Math.min(2, Math.max(1, Math.floor(length / 5)));
}

/**
 * The term with each pair of neighbouring letters swapped ("lighthuose" → "ilghthuose",
 * "lgihthuose", …, "lighthouse"), without duplicates or the term itself. Matching these with one
 * edit fewer makes a swap cost one edit, where Levenshtein distance (what index libraries compute)
 * counts it as two.
 */
export function adjacentTranspositions(term: string): string[] {
  const letters = Array.from(term);
  const variants = new Set<string>();
  for (let i = 0; i + 1 < letters.length; i += 1) {
    const [a, b] = [letters[i], letters[i + 1]];
    if (a === b || a === undefined || b === undefined) continue;
    const swapped = [...letters];
    swapped[i] = b;
    swapped[i + 1] = a;
    variants.add(swapped.join(''));
  }
  variants.delete(term);
  return [...variants];
}
