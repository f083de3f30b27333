/**
 * The poster each title shows a profile: the artwork bandit's choice among the title's
 * candidates, for the profile's segment, and the impressions it records. The `artworkId` in an
 * answer carries the segment (`<artworkId>__<segment>`): a client that starts playback from it
 * hands it back (`POST /v1/playback` `artworkId`), and the aggregator counts the play for that
 * candidate in that segment and overall.
 */
import type { ChosenArtwork } from '#contracts/api/discovery.ts';
import type { SnapshotTitle } from '#contracts/internal.ts';
import { ARTWORK_SEGMENT_ALL, type ArtworkStats, artworkSegment, chooseArtwork } from './artwork-bandit.ts';
import type { CatalogView } from './catalog-view.ts';
import type { ArtworkCounts, ArtworkStore, Like } from './ports.ts';

export type ArtworkChooser = (
  titles: readonly SnapshotTitle[],
) => Promise<(titleId: string) => ChosenArtwork | undefined>;

const SEPARATOR = '__';

/**
 * The profile's artwork segment (its likes' top genre, `artworkSegment`), reduced to the
 * characters an id may hold so that the token round-trips through `POST /v1/playback`.
 */
export function segmentOf(likes: readonly Like[], catalog: CatalogView): string {
  const genres = likes.flatMap((l) => {
    const title = catalog.browsable(l.titleId);
    return title ? [title.genres] : [];
  });
  const segment = artworkSegment(genres)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 30);
  return segment === '' ? ARTWORK_SEGMENT_ALL : segment;
}

/** `<artworkId>__<segment>`, as answers carry it. */
export function artworkToken(artworkId: string, segment: string): string {
  return `${artworkId}${SEPARATOR}${segment}`;
}

/** The candidate and segment of a token a client handed back (a bare id counts for `all`). */
export function parseArtworkToken(token: string): { artworkId: string; segment: string } {
  const at = token.indexOf(SEPARATOR);
  if (at <= 0) return { artworkId: token, segment: ARTWORK_SEGMENT_ALL };
  return {
    artworkId: token.slice(0, at),
    segment: token.slice(at + SEPARATOR.length) || ARTWORK_SEGMENT_ALL,
  };
}

function statsOf(counts: ArtworkCounts | undefined, segment: string, ids: readonly string[]): ArtworkStats[] {
  return ids.map((artworkId) => {
    const c = counts?.get(`${segment}#${artworkId}`);
    return { artworkId, impressions: c?.impressions ?? 0, plays: c?.plays ?? 0 };
  });
}

/** Chooses for every title with candidates, and records the impressions of what it chose. */
export function banditChooser(deps: {
  readonly store: ArtworkStore;
  readonly segment: string;
  readonly random: () => number;
}): ArtworkChooser {
  return async (titles) => {
    const withCandidates = titles.filter((t) => (t.artworkCandidates ?? []).length > 0);
    if (withCandidates.length === 0) return () => undefined;
    const counts = await deps.store.countsOf(withCandidates.map((t) => t.titleId));
    const chosen = new Map<string, ChosenArtwork>();
    const shown: { titleId: string; segment: string; artworkId: string }[] = [];
    for (const title of withCandidates) {
      const candidates = title.artworkCandidates ?? [];
      const ids = candidates.map((c) => c.artworkId);
      const own = counts.get(title.titleId);
      const choice = chooseArtwork({
        candidates: statsOf(own, deps.segment, ids),
        pooled: statsOf(own, ARTWORK_SEGMENT_ALL, ids),
        random: deps.random,
      });
      const candidate = choice && candidates.find((c) => c.artworkId === choice.artworkId);
      if (!choice || !candidate) continue;
      chosen.set(title.titleId, {
        artworkId: artworkToken(choice.artworkId, deps.segment),
        url: candidate.url,
        reason: choice.reason,
      });
      shown.push({ titleId: title.titleId, segment: deps.segment, artworkId: choice.artworkId });
      if (deps.segment !== ARTWORK_SEGMENT_ALL) {
        shown.push({ titleId: title.titleId, segment: ARTWORK_SEGMENT_ALL, artworkId: choice.artworkId });
      }
    }
    await deps.store.recordImpressions(shown);
    return (titleId) => chosen.get(titleId);
  };
}
