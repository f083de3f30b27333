/**
 * Orama: BM25 over the four fields with the same boosts. Orama has no per-document boost, so the
 * popularity factor rides in the stored document and multiplies the score here; its `tolerance`
 * is a Levenshtein distance and its non-`exact` search also matches prefixes (always: it has no
 * separate switch). It stores every document in the index (`save()` has no option to leave them out).
 */
import { create, insert, load, type Orama, type Results, save, search } from '@orama/orama';
import type { SnapshotTitle } from '#contracts/internal.ts';
import {
  FIELD_BOOSTS,
  type LookupFn,
  type LookupMatch,
  popularityFactor,
  rankTitles,
  searchableText,
} from '../../lambdas/discovery/domain/search-ranking.ts';
import type { Candidate } from './candidate.ts';

const SCHEMA = { name: 'string', synopsis: 'string', cast: 'string', genres: 'string' } as const;
type TitlesDb = Orama<typeof SCHEMA>;
interface Loaded {
  readonly db: TitlesDb;
  readonly count: number;
}

export const candidate: Candidate<Loaded> = {
  name: 'Orama',
  build(titles, popularity) {
    const db = create({ schema: SCHEMA });
    const mostPlays = Math.max(0, ...titles.map((t: SnapshotTitle) => popularity.get(t.titleId) ?? 0));
    for (const title of titles) {
      const p = popularityFactor(popularity.get(title.titleId) ?? 0, mostPlays);
      insert(db, { id: title.titleId, ...searchableText(title), ...(p > 1 ? { p } : {}) });
    }
    return JSON.stringify(save(db));
  },
  load(serialized) {
    const db = create({ schema: SCHEMA });
    load(db, JSON.parse(serialized));
    return { db, count: Object.keys(db.data.docs.docs).length };
  },
  search(index, query, options) {
    const lookup: LookupFn = ({ term, fuzzy, weight }) => {
      const found = new Map<string, LookupMatch>();
      // Every match is needed: visibility is applied after, and before the limit.
      const results = search(index.db, {
        term,
        tolerance: fuzzy,
        boost: FIELD_BOOSTS,
        limit: index.count,
      }) as Results<Record<string, unknown>>;
      for (const hit of results.hits) {
        const p = typeof hit.document.p === 'number' ? hit.document.p : 1;
        found.set(hit.id, { score: hit.score * weight * p, fields: [] });
      }
      return found;
    };
    return rankTitles(query, lookup, options);
  },
};
