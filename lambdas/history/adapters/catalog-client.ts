/** The catalog service, asked through its internal function (`catalogInternal`). */
import { describeTitles, nextEpisode } from '#shared/services.ts';
import type { TitleDirectory } from '../domain/ports.ts';

export function lambdaTitleDirectory(): TitleDirectory {
  return { describeTitles, nextEpisode };
}
