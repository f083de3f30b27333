/**
 * FlexSearch: a Document index, every field tokenized `forward` (prefixes) with the
 * `LatinBalance` encoder (its typo tolerance is phonetic, not an edit distance), plus the name a
 * second time tokenized `tolerant` (its answer to swapped and missing letters). FlexSearch returns
 * ranked ids without scores, so a score is derived here from the rank in each field (1 / (1 + rank
 * / 10)) times the field boost, the lookup's weight and the popularity factor (kept beside the
 * index: FlexSearch has no per-document boost).
 */
import FlexSearch from 'flexsearch';
import {
  FIELD_BOOSTS,
  type LookupFn,
  type LookupMatch,
  popularityFactor,
  rankTitles,
  type SearchField,
  searchableText,
} from '../../lambdas/discovery/domain/search-ranking.ts';
import type { Candidate } from './candidate.ts';

const { Charset, Document } = FlexSearch;
type TitleDocument = Record<SearchField | 'nameTypos' | 'id', string>;

function emptyIndex() {
  return new Document<TitleDocument>({
    document: {
      id: 'id',
      index: [
        { field: 'name', tokenize: 'forward', encoder: Charset.LatinBalance },
        { field: 'nameTypos', tokenize: 'tolerant', encoder: Charset.LatinBalance },
        { field: 'synopsis', tokenize: 'forward', encoder: Charset.LatinBalance },
        { field: 'cast', tokenize: 'forward', encoder: Charset.LatinBalance },
        { field: 'genres', tokenize: 'forward', encoder: Charset.LatinBalance },
      ],
    },
  });
}

interface Loaded {
  readonly index: ReturnType<typeof emptyIndex>;
  readonly popularity: Readonly<Record<string, number>>;
  readonly count: number;
}

/** Where a FlexSearch field's matches count: the tolerant copy of the name counts as a name match. */
const FIELD_OF: Readonly<Record<string, SearchField>> = {
  name: 'name',
  nameTypos: 'name',
  synopsis: 'synopsis',
  cast: 'cast',
  genres: 'genres',
};

export const candidate: Candidate<Loaded> = {
  name: 'FlexSearch',
  build(titles, popularity) {
    const index = emptyIndex();
    const mostPlays = Math.max(0, ...titles.map((t) => popularity.get(t.titleId) ?? 0));
    const factors: Record<string, number> = {};
    for (const title of titles) {
      const text = searchableText(title);
      index.add({ id: title.titleId, ...text, nameTypos: text.name });
      const p = popularityFactor(popularity.get(title.titleId) ?? 0, mostPlays);
      if (p > 1) factors[title.titleId] = p;
    }
    // Export hands over each part as JSON text; parsed here so it is not escaped twice.
    const parts: Record<string, unknown> = {};
    index.export((key, data) => {
      parts[key] = JSON.parse(data);
    });
    return JSON.stringify({ parts, popularity: factors, count: titles.length });
  },
  load(serialized) {
    const saved = JSON.parse(serialized) as {
      parts: Record<string, unknown>;
      popularity: Record<string, number>;
      count: number;
    };
    const index = emptyIndex();
    // import() takes the parsed value as well as text.
    for (const [key, data] of Object.entries(saved.parts)) index.import(key, data as string);
    return { index, popularity: saved.popularity, count: saved.count };
  },
  search(loaded, query, options) {
    const lookup: LookupFn = ({ term, fuzzy, weight }) => {
      const found = new Map<string, { score: number; fields: Set<SearchField> }>();
      const results = loaded.index.search(term, { limit: loaded.count, suggest: fuzzy > 0 });
      for (const { field, result } of results as { field: string; result: string[] }[]) {
        const searchField = FIELD_OF[field] ?? 'synopsis';
        const boost = FIELD_BOOSTS[searchField] * (field === 'nameTypos' ? 0.45 : 1);
        result.forEach((titleId, rank) => {
          const score = (boost * weight * (loaded.popularity[titleId] ?? 1)) / (1 + rank / 10);
          const seen = found.get(titleId);
          if (seen === undefined) found.set(titleId, { score, fields: new Set([searchField]) });
          else {
            seen.score += score;
            seen.fields.add(searchField);
          }
        });
      }
      return new Map<string, LookupMatch>(
        [...found].map(([id, m]) => [id, { score: m.score, fields: [...m.fields] }]),
      );
    };
    return rankTitles(query, lookup, options);
  },
};
