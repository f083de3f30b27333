/** MiniSearch: the shipped module itself (`lambdas/discovery/domain/search.ts`). */
import {
  buildSearchIndex,
  loadSearchIndex,
  type SearchIndex,
  searchTitles,
} from '../../lambdas/discovery/domain/search.ts';
import type { Candidate } from './candidate.ts';

export const candidate: Candidate<SearchIndex> = {
  name: 'MiniSearch',
  build: buildSearchIndex,
  load: loadSearchIndex,
  search: searchTitles,
};
