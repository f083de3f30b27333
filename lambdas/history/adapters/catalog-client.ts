/** The catalog service, asked through its internal function (`catalogInternal`). */
import { catalogInternalResponseSchema } from '#contracts/internal.ts';
import { invokeInternal } from '#shared/invoke.ts';
import type { TitleDirectory } from '../domain/ports.ts';

export function lambdaTitleDirectory(): TitleDirectory {
  return {
    async describeTitles(titleIds, country, maturity) {
      if (titleIds.length === 0) return [];
      const { titles } = await invokeInternal(
        'catalogInternal',
        { op: 'describeTitles', titleIds, country, maturity },
        catalogInternalResponseSchema,
      );
      return titles;
    },
    async nextEpisode(titleId, country, maturity) {
      const { titles } = await invokeInternal(
        'catalogInternal',
        { op: 'nextEpisode', titleId, country, maturity },
        catalogInternalResponseSchema,
      );
      return titles[0];
    },
  };
}
