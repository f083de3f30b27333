/**
 * Title search: typo-tolerant, prefix-aware, accent-insensitive, over names, synopses, cast and
 * genres, ranked by field (a name match first) and popularity. The index is built when the
 * catalog snapshot changes, stored as JSON text, and loaded at the search function's cold start.
 *
 * MiniSearch holds the index (chosen by measurement: docs/search.md); the query policy (typo
 * budget, swapped letters, AND then OR) is `search-ranking.ts`, the text folding `search-text.ts`.
 * Pure: no SDK, no environment, no clock.
 */
import MiniSearch, { type Options } from 'minisearch';
import type { SnapshotTitle } from '#contracts/internal.ts';
import {
  FIELD_BOOSTS,
  type LookupFn,
  type LookupMatch,
  popularityFactor,
  rankTitles,
  SEARCH_FIELDS,
  type SearchField,
  type SearchHit,
  type SearchOptions,
  searchableText,
} from './search-ranking.ts';

export type { SearchField, SearchHit, SearchOptions } from './search-ranking.ts';
export { normalizeSearchQuery } from './search-text.ts';

/** Names the serialized format; an index in any other is refused rather than misread. */
export const SEARCH_INDEX_FORMAT = 'showrunner.search.minisearch.v1';

/** The serialized index is not one `buildSearchIndex` wrote in this format: rebuild it. */
export class SearchIndexFormatError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SearchIndexFormatError';
  }
}

/** One title as MiniSearch indexes it: folded text per field, and its popularity factor if any. */
interface IndexedTitle extends Record<SearchField, string> {
  readonly id: string;
  /** Popularity factor (> 1), absent for titles nobody played: keeps the stored JSON small. */
  readonly p?: number;
}

const ENGINE: unique symbol = Symbol('minisearch');

/** A loaded search index (opaque: use `searchTitles`). */
export interface SearchIndex {
  /** How many titles it holds. */
  readonly titleCount: number;
  readonly [ENGINE]: MiniSearch<IndexedTitle>;
}

/**
 * The same options must build and load an index. Text is folded before it reaches MiniSearch
 * (`searchableText`), so its tokenizer only splits on the spaces folding left.
 */
const MINISEARCH_OPTIONS: Options<IndexedTitle> = {
  idField: 'id',
  fields: [...SEARCH_FIELDS],
  storeFields: ['p'],
  tokenize: (text) => text.split(' '),
  processTerm: (term) => (term === '' ? null : term),
  searchOptions: {
    boost: FIELD_BOOSTS,
    // A completion of what the viewer typed ("lant" → "lantern") must outrank a word one typo
    // away ("lane"): MiniSearch's default prefix weight (0.375) is below its fuzzy one (0.45).
    // 0.7 took 4-letter-prefix recall on the synthetic catalog from 0.63 to 0.77 (docs/search.md).
    weights: { fuzzy: 0.45, prefix: 0.7 },
    boostDocument: (_id, _term, stored) => (typeof stored?.p === 'number' ? stored.p : 1),
  },
};

/**
 * The serialized search index of `titles` (JSON text, for the snapshot bucket). `popularity` is
 * plays over recent days per title id; titles it does not list count as never played. A title id
 * listed twice is indexed once (its first entry).
 */
export function buildSearchIndex(
  titles: readonly SnapshotTitle[],
  popularity: ReadonlyMap<string, number>,
): string {
  const unique = new Map<string, SnapshotTitle>();
  for (const title of titles) if (!unique.has(title.titleId)) unique.set(title.titleId, title);
  let mostPlays = 0;
  for (const titleId of unique.keys()) mostPlays = Math.max(mostPlays, popularity.get(titleId) ?? 0);

  const engine = new MiniSearch<IndexedTitle>(MINISEARCH_OPTIONS);
  engine.addAll(
    [...unique.values()].map((title) => {
      const factor = popularityFactor(popularity.get(title.titleId) ?? 0, mostPlays);
      return { id: title.titleId, ...searchableText(title), ...(factor > 1 ? { p: factor } : {}) };
    }),
  );
  return JSON.stringify({ format: SEARCH_INDEX_FORMAT, index: engine });
}

/**
 * The index `buildSearchIndex` serialized, ready to search (the search function's cold start).
 * Throws `SearchIndexFormatError` when the text is not such an index.
 */
export function loadSearchIndex(serialized: string): SearchIndex {
  let envelope: unknown;
  try {
    envelope = JSON.parse(serialized);
  } catch (error) {
    throw new SearchIndexFormatError('The search index is not JSON.', { cause: error });
  }
  if (typeof envelope !== 'object' || envelope === null || !('format' in envelope) || !('index' in envelope))
    throw new SearchIndexFormatError('The search index has no format or index.');
  if (envelope.format !== SEARCH_INDEX_FORMAT)
    throw new SearchIndexFormatError(
      `The search index is in format ${String(envelope.format)}, not ${SEARCH_INDEX_FORMAT}.`,
    );
  let engine: MiniSearch<IndexedTitle>;
  try {
    engine = MiniSearch.loadJS(envelope.index as Parameters<typeof MiniSearch.loadJS>[0], MINISEARCH_OPTIONS);
  } catch (error) {
    throw new SearchIndexFormatError('The search index cannot be loaded.', { cause: error });
  }
  return { titleCount: engine.documentCount, [ENGINE]: engine };
}

/**
 * Titles matching `query`, best first, at most `options.limit`, only those `options.visible`
 * accepts (filtered before the limit). The query is folded here too (`normalizeSearchQuery`), so
 * any text is safe: one with nothing searchable finds nothing.
 *
 * Each query term matches a title's word exactly, as its prefix (from three letters), or with up to
 * one edit per five letters (`editBudget`: 4–9 letters one, 10 or more two), a swap of two
 * neighbouring letters counting as one edit. A title must match every term; when no visible title
 * does, titles matching some terms are ranked instead.
 */
export function searchTitles(index: SearchIndex, query: string, options: SearchOptions): SearchHit[] {
  return rankTitles(query, lookupIn(index[ENGINE]), options);
}

function lookupIn(engine: MiniSearch<IndexedTitle>): LookupFn {
  return ({ term, fuzzy, prefix, weight }) => {
    const found = new Map<string, LookupMatch>();
    for (const result of engine.search(term, { fuzzy, prefix, boostTerm: () => weight })) {
      const fields = new Set<SearchField>();
      for (const matchedIn of Object.values(result.match))
        for (const field of matchedIn) fields.add(field as SearchField);
      found.set(result.id as string, { score: result.score, fields: [...fields] });
    }
    return found;
  };
}
