/**
 * Recommendations workflow, one Distributed Map item: recomputes and stores the lists of every
 * profile in one shard (profiles with likes, `shard#<n>` in the discovery table).
 */
import type { RecommendShardResult } from '#contracts/discovery.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { logger } from '#shared/logger.ts';
import { discoveryContext } from '../adapters/context.ts';
import { recommendContext, refreshProfile } from '../domain/recommendations.ts';

const { table, catalog } = discoveryContext();
const ports = { tastes: table, store: table, clock: () => new Date() };

export const handler = functionHandler('recommendShard', async (event): Promise<RecommendShardResult> => {
  const context = await recommendContext(ports, await catalog());
  let profiles = 0;
  for await (const profileKey of table.profilesInShard(event.shard)) {
    await refreshProfile(ports, context, profileKey);
    profiles += 1;
  }
  logger.info('Shard recomputed', { shard: event.shard, profiles });
  return { shard: event.shard, profiles };
});
