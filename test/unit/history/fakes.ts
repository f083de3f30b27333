/** In-memory stand-ins for the history use cases' ports, with the real ones' semantics. */
import { type Maturity, maturityAllows } from '#contracts/api/common.ts';
import type { TitleFacts } from '#contracts/internal.ts';
import { DomainError } from '#shared/errors.ts';
import type {
  HistoryRecord,
  HistoryStore,
  ProfileDirectory,
  ProfileFacts,
  RecencyKey,
  TitleDirectory,
} from '../../../lambdas/history/domain/ports.ts';

export const ACCOUNT = 'acct-1';
export const OTHER_ACCOUNT = 'acct-2';

export class FakeProfiles implements ProfileDirectory {
  readonly calls: string[] = [];
  readonly #profiles = new Map<string, ProfileFacts>();

  add(accountId: string, profileId: string, maturity: Maturity = 'adult'): ProfileFacts {
    const profile = { profileId, maturity, name: `Profile ${profileId}` };
    this.#profiles.set(`${accountId}#${profileId}`, profile);
    return profile;
  }

  remove(accountId: string, profileId: string): void {
    this.#profiles.delete(`${accountId}#${profileId}`);
  }

  async getProfile(accountId: string, profileId: string): Promise<ProfileFacts | null> {
    this.calls.push(`${accountId}#${profileId}`);
    return this.#profiles.get(`${accountId}#${profileId}`) ?? null;
  }
}

export interface CatalogTitle extends TitleFacts {
  /** Countries where a window is open now. */
  countries: string[];
}

/** A catalog: visibility by country and rating, episodes in season and episode order. */
export class FakeCatalog implements TitleDirectory {
  readonly describeCalls: string[][] = [];
  readonly nextCalls: string[] = [];
  readonly #titles = new Map<string, CatalogTitle>();

  movie(titleId: string, options: Partial<CatalogTitle> = {}): CatalogTitle {
    return this.#put({
      titleId,
      kind: 'movie',
      name: `Movie ${titleId}`,
      maturity: 'kids',
      countries: ['US'],
      ...options,
    });
  }

  series(seriesId: string, options: Partial<CatalogTitle> = {}): CatalogTitle {
    return this.#put({
      titleId: seriesId,
      kind: 'series',
      name: `Series ${seriesId}`,
      maturity: 'kids',
      countries: ['US'],
      ...options,
    });
  }

  episode(
    seriesId: string,
    seasonNumber: number,
    episodeNumber: number,
    options: Partial<CatalogTitle> = {},
  ): CatalogTitle {
    return this.#put({
      titleId: `${seriesId}-s${seasonNumber}e${episodeNumber}`,
      kind: 'episode',
      name: `${seriesId} S${seasonNumber}E${episodeNumber}`,
      maturity: 'kids',
      countries: ['US'],
      seriesId,
      seasonNumber,
      episodeNumber,
      ...options,
    });
  }

  withdraw(titleId: string): void {
    const title = this.#titles.get(titleId);
    if (title) title.countries = [];
  }

  async describeTitles(
    titleIds: readonly string[],
    country: string,
    maturity: Maturity,
  ): Promise<TitleFacts[]> {
    this.describeCalls.push([...titleIds]);
    return titleIds.flatMap((id) => {
      const title = this.#titles.get(id);
      return title && this.#visible(title, country, maturity) ? [facts(title)] : [];
    });
  }

  async nextEpisode(titleId: string, country: string, maturity: Maturity): Promise<TitleFacts | undefined> {
    this.nextCalls.push(titleId);
    const current = this.#titles.get(titleId);
    if (current?.kind !== 'episode') return undefined;
    const order = (t: TitleFacts) => (t.seasonNumber ?? 0) * 10_000 + (t.episodeNumber ?? 0);
    const next = [...this.#titles.values()]
      .filter((t) => t.kind === 'episode' && t.seriesId === current.seriesId && order(t) > order(current))
      .filter((t) => this.#visible(t, country, maturity))
      .sort((a, b) => order(a) - order(b))[0];
    return next ? facts(next) : undefined;
  }

  #visible(title: CatalogTitle, country: string, maturity: Maturity): boolean {
    return title.countries.includes(country) && maturityAllows(maturity, title.maturity);
  }

  #put(title: CatalogTitle): CatalogTitle {
    this.#titles.set(title.titleId, title);
    return title;
  }
}

function facts(title: CatalogTitle): TitleFacts {
  const { countries: _, ...rest } = title;
  return rest;
}

/** The history table: the same conditional write, the same recency order, pages by key. */
export class FakeHistory implements HistoryStore {
  readonly #items = new Map<string, Map<string, HistoryRecord>>();

  async record(profileKey: string, heartbeat: HistoryRecord): Promise<HistoryRecord> {
    const entries = this.#partition(profileKey);
    const stored = entries.get(heartbeat.titleId);
    if (stored && stored.clientTs > heartbeat.clientTs) return stored;
    entries.set(heartbeat.titleId, { ...stored, ...heartbeat });
    return { ...stored, ...heartbeat };
  }

  async recent(
    profileKey: string,
    { limit, after }: { limit: number; after?: RecencyKey },
  ): Promise<{ records: HistoryRecord[]; lastKey?: RecencyKey }> {
    const sorted = [...this.#partition(profileKey).values()].sort(
      (a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.titleId.localeCompare(a.titleId),
    );
    const start = after
      ? sorted.findIndex(
          (r) =>
            r.updatedAt < after.updatedAt || (r.updatedAt === after.updatedAt && r.titleId < after.titleId),
        )
      : 0;
    if (start === -1) return { records: [] };
    const records = sorted.slice(start, start + limit);
    const last = records.at(-1);
    return start + limit < sorted.length && last
      ? { records, lastKey: { titleId: last.titleId, updatedAt: last.updatedAt } }
      : { records };
  }

  async get(profileKey: string, titleId: string): Promise<HistoryRecord | undefined> {
    return this.#partition(profileKey).get(titleId);
  }

  async remove(profileKey: string, titleId: string): Promise<void> {
    this.#partition(profileKey).delete(titleId);
  }

  /** Seeds an entry directly, as an earlier heartbeat would have left it. */
  seed(profileKey: string, record: HistoryRecord): void {
    this.#partition(profileKey).set(record.titleId, record);
  }

  #partition(profileKey: string): Map<string, HistoryRecord> {
    let entries = this.#items.get(profileKey);
    if (!entries) {
      entries = new Map();
      this.#items.set(profileKey, entries);
    }
    return entries;
  }
}

/** A clock the test moves. */
export class FakeClock {
  #now: number;
  constructor(start = Date.parse('2026-11-21T10:00:00.000Z')) {
    this.#now = start;
  }
  readonly now = (): number => this.#now;
  readonly date = (): Date => new Date(this.#now);
  advance(ms: number): void {
    this.#now += ms;
  }
}

/** The typed error a use case rejected with, as `{ code, status }`. */
export async function rejection(promise: Promise<unknown>): Promise<{ code: string; status: number }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return { code: error.code, status: error.status };
}
