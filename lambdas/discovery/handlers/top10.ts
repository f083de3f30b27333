/** GET /v1/top10?profileId=: the Top 10 in the viewer's country over the last 7 days. */
import { TOP10_DAYS } from '#contracts/discovery.ts';
import { viewerCountry } from '#shared/auth.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { getProfile } from '#shared/services.ts';
import { discoveryContext } from '../adapters/context.ts';
import { audienceFor } from '../domain/audience.ts';
import { top10 } from '../domain/top10.ts';
import { lastDays } from '../domain/viewing-events.ts';

const { table, catalog } = discoveryContext();

export const handler = routeHandler('getTop10', async ({ caller, query, event }) => {
  const now = new Date();
  const audience = await audienceFor(
    { getProfile },
    { accountId: caller.accountId, profileId: query.profileId, country: viewerCountry(event, caller), now },
  );
  const days = lastDays(now, TOP10_DAYS);
  const [viewing, view] = await Promise.all([table.viewing(audience.country, days), catalog()]);
  return top10(viewing, view, audience, days);
});
