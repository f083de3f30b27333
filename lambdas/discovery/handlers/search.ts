/**
 * GET /v1/search?q=&profileId=: typo-tolerant search over the catalog snapshot. The index is the
 * one the indexer stored in S3, loaded at cold start and refreshed when it changes
 * (`snapshot-bucket.ts`); results are filtered by the viewer's country and the profile's maturity
 * before the limit applies.
 */
import { ENV } from '#contracts/env.ts';
import { viewerCountry } from '#shared/auth.ts';
import { s3Client } from '#shared/aws.ts';
import { requireEnv } from '#shared/env.ts';
import { routeHandler } from '#shared/route-handler.ts';
import { getProfile } from '#shared/services.ts';
import { discoveryContext } from '../adapters/context.ts';
import { searchIndexReader } from '../adapters/snapshot-bucket.ts';
import { banditChooser, segmentOf } from '../domain/artwork.ts';
import { audienceFor } from '../domain/audience.ts';
import { toItem } from '../domain/catalog-view.ts';
import { loadSearchIndex, normalizeSearchQuery, searchTitles } from '../domain/search.ts';

const { table, catalog } = discoveryContext();
const searchIndex = searchIndexReader(s3Client(), requireEnv(ENV.DISCOVERY_BUCKET), loadSearchIndex);

export const handler = routeHandler('searchTitles', async ({ caller, query, event }) => {
  const audience = await audienceFor(
    { getProfile },
    {
      accountId: caller.accountId,
      profileId: query.profileId,
      country: viewerCountry(event, caller),
      now: new Date(),
    },
  );
  const normalized = normalizeSearchQuery(query.q);
  const [index, view] = await Promise.all([searchIndex(), catalog()]);
  if (normalized === undefined || !index) return { query: query.q, items: [] };
  const hits = searchTitles(index, normalized, {
    limit: query.limit,
    visible: (titleId) => view.visible(titleId, audience),
  });
  const found = hits.flatMap((hit) => {
    const title = view.byId.get(hit.titleId);
    return title ? [{ hit, title }] : [];
  });
  // The artwork is personal: only a search as a profile gets the bandit's choice.
  const choose =
    query.profileId === undefined
      ? undefined
      : await banditChooser({
          store: table,
          segment: segmentOf(await table.likesOf(`${caller.accountId}#${query.profileId}`), view),
          random: Math.random,
        })(found.map((f) => f.title));
  return {
    query: query.q,
    items: found.map(({ hit, title }) => ({
      ...toItem(title, choose?.(title.titleId)),
      score: Math.round(hit.score * 1000) / 1000,
      matched: hit.matched,
    })),
  };
});
