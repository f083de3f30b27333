/** Admin edits: create a movie, series or episode; change a title's fields and windows. */
import type { AdminTitle, CreateTitleRequest } from '#contracts/api/catalog.ts';
import { BadRequestError, ConflictError, NotFoundError } from '#shared/errors.ts';
import type { TitleChanges, TitlesRepository } from './ports.ts';
import { type TitleRecord, toAdminTitle } from './titles.ts';

export interface AdminDeps {
  readonly titles: TitlesRepository;
  /** Mints title ids (UUIDs in production). */
  readonly ids: () => string;
}

/**
 * `POST /v1/admin/titles`. An episode needs an existing series and a free (season, episode)
 * slot; both are checked in the same atomic write that stores it.
 */
export async function createTitle(
  deps: AdminDeps,
  request: CreateTitleRequest,
  now: Date,
): Promise<{ titleId: string }> {
  const at = now.toISOString();
  const title: TitleRecord = {
    titleId: deps.ids(),
    kind: request.kind,
    name: request.name,
    synopsis: request.synopsis,
    genres: request.genres,
    cast: request.cast,
    maturity: request.maturity,
    artwork: request.artwork,
    availability: request.availability,
    createdAt: at,
    updatedAt: at,
  };
  if (request.releaseYear !== undefined) title.releaseYear = request.releaseYear;
  if (request.kind !== 'episode') {
    await deps.titles.create(title);
    return { titleId: title.titleId };
  }
  title.seriesId = request.seriesId;
  title.seasonNumber = request.seasonNumber;
  title.episodeNumber = request.episodeNumber;
  const outcome = await deps.titles.createEpisode(title);
  if (outcome === 'SERIES_NOT_FOUND') {
    throw new BadRequestError('SERIES_NOT_FOUND', `No series ${request.seriesId}.`);
  }
  if (outcome === 'EPISODE_EXISTS') {
    throw new ConflictError(
      'EPISODE_EXISTS',
      `Season ${request.seasonNumber} episode ${request.episodeNumber} of series ${request.seriesId} already exists.`,
    );
  }
  return { titleId: title.titleId };
}

/** `PATCH /v1/admin/titles/{titleId}`: writes only the given fields; `availability` replaces all windows. */
export async function updateTitle(
  deps: Pick<AdminDeps, 'titles'>,
  titleId: string,
  changes: TitleChanges,
  now: Date,
): Promise<AdminTitle> {
  // `kind` never changes, so reading it first cannot race with another edit.
  const existing = await deps.titles.get(titleId);
  const updated = existing && (await deps.titles.update(titleId, existing.kind, changes, now.toISOString()));
  if (!updated) throw new NotFoundError('TITLE_NOT_FOUND', `No title ${titleId}.`);
  return toAdminTitle(updated);
}
