/**
 * What the benchmark asks of a search library: build a serialized index of a catalog, load it
 * back, and search it with the shipped query policy (`rankTitles`: the same terms, typo budget,
 * swapped-letter variants, AND then OR, visibility before the limit), so the candidates differ only
 * in what the library does: matching, scoring, storage, speed and size.
 */
import type { SnapshotTitle } from '#contracts/internal.ts';
import type { SearchHit, SearchOptions } from '../../lambdas/discovery/domain/search-ranking.ts';

export interface Candidate<I = unknown> {
  readonly name: string;
  build(titles: readonly SnapshotTitle[], popularity: ReadonlyMap<string, number>): string;
  load(serialized: string): I;
  search(index: I, query: string, options: SearchOptions): SearchHit[];
}
