/** GET /v1/profiles/{profileId}/recommendations: the profile's recommendations, with reasons. */
import { viewerCountry } from '#shared/auth.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { getProfile } from '#shared/services.ts';
import { discoveryContext } from '../adapters/context.ts';
import { banditChooser, segmentOf } from '../domain/artwork.ts';
import { audienceFor } from '../domain/audience.ts';
import { recommendationsFor, recommendContext } from '../domain/recommendations.ts';

const { table, catalog } = discoveryContext();
const ports = { tastes: table, store: table, clock: () => new Date() };

/** Titles a recommendations answer lists. */
const LIMIT = 40;

export const handler = routeHandler('getRecommendations', async ({ caller, params, event }) => {
  const now = new Date();
  const audience = await audienceFor(
    { getProfile },
    { accountId: caller.accountId, profileId: params.profileId, country: viewerCountry(event, caller), now },
  );
  const profileKey = `${caller.accountId}#${params.profileId}`;
  const view = await catalog();
  const [context, likes] = await Promise.all([recommendContext(ports, view), table.likesOf(profileKey)]);
  const artwork = banditChooser({ store: table, segment: segmentOf(likes, view), random: Math.random });
  return recommendationsFor(
    ports,
    context,
    { profileId: params.profileId, profileKey, audience, limit: LIMIT },
    artwork,
  );
});
