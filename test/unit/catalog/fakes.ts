/**
 * In-memory stand-ins for the catalog's ports, with the same ordering and atomicity promises as
 * the DynamoDB adapter (checked against DynamoDB Local in test/integration/catalog).
 */

import type {
  AttachAssetOutcome,
  CreateEpisodeOutcome,
  ListingKey,
  ProfileDirectory,
  TitleChanges,
  TitlesRepository,
} from '../../../lambdas/catalog/domain/ports.ts';
import {
  episodeKey,
  isListed,
  listingSortKey,
  supersedes,
  type TitleRecord,
} from '../../../lambdas/catalog/domain/titles.ts';
import type { TitleAsset, TitleKind } from '../../../lambdas/contracts/api/catalog.ts';
import type { Maturity } from '../../../lambdas/contracts/api/common.ts';

export const NOW = new Date('2026-06-15T12:00:00.000Z');

/** Open everywhere that matters to the tests, since long before NOW. */
export const WORLDWIDE = [{ countries: ['US', 'BR', 'DE', 'JP'], from: '2020-01-01T00:00:00Z' }];

let counter = 0;

/** A movie visible worldwide unless overridden. */
export function title(overrides: Partial<TitleRecord> = {}): TitleRecord {
  counter += 1;
  return {
    titleId: `title-${String(counter).padStart(4, '0')}`,
    kind: 'movie',
    name: `Title ${counter}`,
    synopsis: '',
    genres: [],
    cast: [],
    maturity: 'teen',
    artwork: {},
    availability: WORLDWIDE,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function episode(
  series: TitleRecord,
  seasonNumber: number,
  episodeNumber: number,
  overrides: Partial<TitleRecord> = {},
): TitleRecord {
  return title({
    kind: 'episode',
    name: `S${seasonNumber}E${episodeNumber}`,
    seriesId: series.titleId,
    seasonNumber,
    episodeNumber,
    ...overrides,
  });
}

export function asset(titleId: string, overrides: Partial<TitleAsset> = {}): TitleAsset {
  return {
    assetId: 'asset-1',
    titleId,
    manifestKey: `media/${titleId}/asset-1/hls/main.m3u8`,
    durationSec: 596,
    renditions: [
      { name: '720p', width: 1280, height: 720, bandwidth: 3_000_000, playlistKey: 'media/x/720p.m3u8' },
    ],
    audio: true,
    captions: [],
    posterKey: `media/${titleId}/asset-1/poster.jpg`,
    thumbnails: { intervalSec: 10, keys: [] },
    jobId: 'job-1',
    publishedAt: '2026-06-01T00:00:00.000Z',
    ...overrides,
  };
}

export class InMemoryTitles implements TitlesRepository {
  readonly items = new Map<string, TitleRecord>();
  readonly slots = new Set<string>();
  /** Titles handed out by `listing`, so tests can see how far a page read. */
  listed = 0;

  constructor(titles: readonly TitleRecord[] = []) {
    for (const t of titles) {
      this.items.set(t.titleId, t);
      if (t.kind === 'episode') this.slots.add(this.slotOf(t));
    }
  }

  async get(titleId: string) {
    return this.items.get(titleId);
  }

  async getMany(titleIds: readonly string[]) {
    return [...new Set(titleIds)].flatMap((id) => {
      const t = this.items.get(id);
      return t ? [t] : [];
    });
  }

  async *listing({ after }: { after?: ListingKey; pageSize: number }) {
    const listed = [...this.items.values()]
      .filter((t) => isListed(t.kind))
      .map((t) => ({ key: listingSortKey(t.name, t.titleId), t }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const { key, t } of listed) {
      if (after && key <= after.sortKey) continue;
      this.listed += 1;
      yield t;
    }
  }

  async *episodes(seriesId: string, options: { after?: string } = {}) {
    const list = [...this.items.values()]
      .filter((t) => t.kind === 'episode' && t.seriesId === seriesId)
      .map((t) => ({ key: episodeKey(t.seasonNumber ?? 0, t.episodeNumber ?? 0), t }))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    for (const { key, t } of list) {
      if (options.after === undefined || key > options.after) yield t;
    }
  }

  async create(t: TitleRecord) {
    if (this.items.has(t.titleId)) throw new Error(`${t.titleId} exists`);
    this.items.set(t.titleId, t);
  }

  async createEpisode(t: TitleRecord): Promise<CreateEpisodeOutcome> {
    if (this.items.get(t.seriesId ?? '')?.kind !== 'series') return 'SERIES_NOT_FOUND';
    if (this.slots.has(this.slotOf(t))) return 'EPISODE_EXISTS';
    this.slots.add(this.slotOf(t));
    this.items.set(t.titleId, t);
    return 'CREATED';
  }

  async update(titleId: string, kind: TitleKind, changes: TitleChanges, updatedAt: string) {
    const existing = this.items.get(titleId);
    if (!existing || existing.kind !== kind) return undefined;
    const updated = { ...existing, ...changes, updatedAt };
    this.items.set(titleId, updated);
    return updated;
  }

  async attachAsset(titleId: string, incoming: TitleAsset): Promise<AttachAssetOutcome> {
    const existing = this.items.get(titleId);
    if (!existing) return 'TITLE_NOT_FOUND';
    if (!supersedes(incoming, existing.asset)) return 'NEWER_ASSET_KEPT';
    this.items.set(titleId, { ...existing, asset: incoming });
    return 'ATTACHED';
  }

  private slotOf(t: TitleRecord): string {
    return `${t.seriesId}#${episodeKey(t.seasonNumber ?? 0, t.episodeNumber ?? 0)}`;
  }
}

/** Profiles by account: `profiles.add('acct-1', 'kid', 'kids')`. Records every lookup. */
export class FakeProfiles implements ProfileDirectory {
  readonly lookups: { accountId: string; profileId: string }[] = [];
  private readonly byKey = new Map<string, Maturity>();

  add(accountId: string, profileId: string, maturity: Maturity): this {
    this.byKey.set(`${accountId}/${profileId}`, maturity);
    return this;
  }

  async maturityOf(accountId: string, profileId: string) {
    this.lookups.push({ accountId, profileId });
    return this.byKey.get(`${accountId}/${profileId}`);
  }
}
