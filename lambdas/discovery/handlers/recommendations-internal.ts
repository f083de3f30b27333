/**
 * recommendationsInternal: the home page's recommendations (Lambda Invoke, JSON payload). Its own
 * function, so the home page can keep it behind a circuit breaker and fall back when it fails.
 */
import type { Recommendations } from '#contracts/api/discovery.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { discoveryContext } from '../adapters/context.ts';
import { recommendationsFor, recommendContext } from '../domain/recommendations.ts';

const { table, catalog } = discoveryContext();
const ports = { tastes: table, store: table, clock: () => new Date() };

export const handler = functionHandler(
  'recommendationsInternal',
  async (request): Promise<Recommendations> => {
    const context = await recommendContext(ports, await catalog());
    return recommendationsFor(ports, context, {
      profileId: request.profileId,
      profileKey: `${request.accountId}#${request.profileId}`,
      audience: { country: request.country, maturity: request.maturity, now: new Date() },
      limit: request.limit,
    });
  },
);
