/**
 * GET /v1/profiles/{profileId}/home: the home rows. History, recommendations, Top 10 and the
 * catalog each sit behind a circuit breaker kept in the execution environment (`breakers.ts`).
 */
import { recommendationsInternalResponseSchema, TOP10_DAYS } from '#contracts/discovery.ts';
import { continueWatchingResponseSchema } from '#contracts/internal.ts';
import { viewerCountry } from '#shared/auth.ts';
import { invokeInternal } from '#shared/invoke.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { getProfile } from '#shared/services.ts';
import { breakerGuard } from '../adapters/breakers.ts';
import { discoveryContext } from '../adapters/context.ts';
import { banditChooser, segmentOf } from '../domain/artwork.ts';
import { audienceFor } from '../domain/audience.ts';
import { buildHome } from '../domain/home.ts';
import { top10 } from '../domain/top10.ts';
import { lastDays } from '../domain/viewing-events.ts';

const { table, catalog } = discoveryContext();
const guard = breakerGuard();
/** Recommendations asked for: enough for two because-you-watched rows and a recommended row. */
const RECOMMENDATIONS = 60;

export const handler = routeHandler('getHome', async ({ caller, params, event }) => {
  const now = new Date();
  const country = viewerCountry(event, caller);
  const audience = await audienceFor(
    { getProfile },
    { accountId: caller.accountId, profileId: params.profileId, country, now },
  );
  const maturity = audience.maturity ?? 'adult';
  const who = { accountId: caller.accountId, profileId: params.profileId, country, maturity };
  const profileKey = `${caller.accountId}#${params.profileId}`;
  return buildHome(
    {
      guard,
      catalog,
      continueWatching: () =>
        invokeInternal('historyInternal', { op: 'continueWatching', ...who }, continueWatchingResponseSchema),
      recommendations: () =>
        invokeInternal(
          'recommendationsInternal',
          { op: 'forProfile', ...who, limit: RECOMMENDATIONS },
          recommendationsInternalResponseSchema,
        ),
      top10: async (view) => {
        const days = lastDays(now, TOP10_DAYS);
        return top10(await table.viewing(country, days), view, audience, days);
      },
      artwork: async (titleIds) => {
        const [view, likes] = await Promise.all([catalog(), table.likesOf(profileKey)]);
        const titles = titleIds.flatMap((id) => {
          const title = view.byId.get(id);
          return title ? [title] : [];
        });
        return banditChooser({ store: table, segment: segmentOf(likes, view), random: Math.random })(titles);
      },
    },
    params.profileId,
    audience,
  );
});
