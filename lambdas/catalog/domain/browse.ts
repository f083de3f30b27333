/**
 * What viewers see: one title (a series with its visible episodes) and the browsable list. A
 * title the viewer may not see (out of its windows in their country, or above their profile's
 * maturity) does not exist for them: 404, and never listed.
 */
import type { TitleView } from '#contracts/api/catalog.ts';
import { BadRequestError, NotFoundError } from '#shared/errors.ts';
import { decodeCursor, encodeCursor } from '#shared/pagination.ts';
import type { ListingKey, ProfileDirectory, TitlesRepository } from './ports.ts';
import {
  groupSeasons,
  isVisible,
  LISTING,
  listingSortKey,
  type TitleRecord,
  toTitleView,
  type Viewer,
} from './titles.ts';

export interface BrowseDeps {
  readonly titles: TitlesRepository;
  readonly profiles: ProfileDirectory;
}

/** Who asks, from where, when; `profileId` browses as that profile of the account. */
export interface ViewerRequest {
  readonly accountId: string;
  readonly country: string;
  readonly profileId?: string;
  readonly now: Date;
}

/** The viewer: the country, plus the profile's maturity when browsing as a profile (404 if not the account's). */
export async function resolveViewer(profiles: ProfileDirectory, request: ViewerRequest): Promise<Viewer> {
  if (request.profileId === undefined) return { country: request.country };
  const maturity = await profiles.maturityOf(request.accountId, request.profileId);
  if (maturity === undefined) {
    throw new NotFoundError('PROFILE_NOT_FOUND', `No profile ${request.profileId} in this account.`);
  }
  return { country: request.country, maturity };
}

function titleNotFound(titleId: string): NotFoundError {
  return new NotFoundError('TITLE_NOT_FOUND', `No title ${titleId}.`);
}

/** `GET /v1/titles/{titleId}`: a series comes with its seasons of episodes this viewer may see. */
export async function getTitle(
  deps: BrowseDeps,
  request: ViewerRequest & { readonly titleId: string },
): Promise<TitleView> {
  const viewer = await resolveViewer(deps.profiles, request);
  const title = await deps.titles.get(request.titleId);
  if (!title || !isVisible(title, viewer, request.now)) throw titleNotFound(request.titleId);
  if (title.kind !== 'series') return toTitleView(title);
  const episodes: TitleRecord[] = [];
  for await (const episode of deps.titles.episodes(title.titleId)) {
    if (isVisible(episode, viewer, request.now)) episodes.push(episode);
  }
  return toTitleView(title, groupSeasons(episodes));
}

export interface ListRequest extends ViewerRequest {
  readonly limit: number;
  readonly genre?: string;
  readonly cursor?: string;
}

export interface TitlePage {
  items: TitleView[];
  nextCursor?: string;
}

/**
 * Most titles a single request examines before it answers with what it found so far and a
 * cursor: a catalog where few titles are visible in a country must not turn one page into a
 * scan of the whole table.
 */
export const MAX_EXAMINED_PER_PAGE = 1000;

/**
 * `GET /v1/titles`: movies and series by name. Visibility and the genre are checked after the
 * index is read, so this reads on until it has `limit` titles or the index ends. `nextCursor`
 * is given only when at least one more title follows (it may still turn out invisible).
 */
export async function listTitles(deps: BrowseDeps, request: ListRequest): Promise<TitlePage> {
  const after = parseListingCursor(request.cursor);
  const viewer = await resolveViewer(deps.profiles, request);
  const items: TitleView[] = [];
  let examined = 0;
  let last: ListingKey | undefined;
  // One more than the page, so a full page also tells whether anything follows; a genre filter
  // skips most titles, so it reads in the largest pages a query allows here.
  const pageSize = request.genre === undefined ? Math.min(request.limit + 1, 100) : 100;
  for await (const title of deps.titles.listing({ after, pageSize })) {
    if (items.length === request.limit || examined === MAX_EXAMINED_PER_PAGE) {
      return { items, nextCursor: listingCursor(last) };
    }
    examined += 1;
    last = { titleId: title.titleId, sortKey: listingSortKey(title.name, title.titleId) };
    if (request.genre !== undefined && !title.genres.includes(request.genre)) continue;
    if (isVisible(title, viewer, request.now)) items.push(toTitleView(title));
  }
  return { items };
}

const CURSOR_KEYS = ['titleId', 'listing', 'sortKey'] as const;

/** The cursor is the `byListing` key of the last title examined (as DynamoDB's `LastEvaluatedKey` would be). */
export function listingCursor(key: ListingKey | undefined): string | undefined {
  return key && encodeCursor({ titleId: key.titleId, listing: LISTING, sortKey: key.sortKey });
}

/** A cursor back into a key, or 400 `INVALID_CURSOR` for anything this API did not issue. */
export function parseListingCursor(cursor: string | undefined): ListingKey | undefined {
  const key = decodeCursor(cursor, CURSOR_KEYS);
  if (key === undefined) return undefined;
  const { titleId, listing, sortKey } = key;
  if (
    listing !== LISTING ||
    typeof titleId !== 'string' ||
    typeof sortKey !== 'string' ||
    !sortKey.endsWith(`#${titleId}`)
  ) {
    throw new BadRequestError('INVALID_CURSOR', 'The cursor is not one this API issued.');
  }
  return { titleId, sortKey };
}
