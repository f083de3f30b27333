/**
 * Seeds the demo catalog into a running platform through its public API, the way an admin
 * would: create the titles (the series before its episodes), then for every film and episode
 * generate a clip and ingest it (`cli/ingest-client.ts`: presigned upload → the real encode
 * pipeline → READY → the catalog attaches the asset).
 *
 * With `viewing`, demo viewers then watch some of it (`viewing.ts`), so that Top 10 and
 * recommendations have something to show on first start.
 *
 * Once per data directory. Progress is journalled in `<dataDir>/seeding.json` as it happens, so
 * a seed stopped half-way (Ctrl+C) resumes at the next start without duplicating titles,
 * re-encoding what is already READY or watching anything twice; when every clip is READY (and
 * the viewing is done) the journal becomes `<dataDir>/seeded.json`, and from then on seeding is a
 * no-op.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type IngestOptions, ingest } from '../../cli/ingest-client.ts';
import type { JobStatus, JobView } from '../../lambdas/contracts/jobs.ts';
import { ApiClient, SeedApiError, SeedError } from './api.ts';
import { type ClipFormat, makeTitleCardClip } from './clip.ts';
import {
  createTitleBody,
  DEMO_CATALOG,
  DEMO_COUNTRIES,
  type DemoEpisode,
  type DemoMovie,
  type DemoTitle,
  isLiveIn,
  playableTitles,
  titleCardOf,
} from './demo-catalog.ts';
import { eachConcurrently, sleep, untilAborted } from './tasks.ts';
import {
  seedViewing,
  summarizeViewing,
  type ViewingOptions,
  type ViewingRecord,
  type ViewingSummary,
} from './viewing.ts';

export { SeedApiError, SeedError } from './api.ts';

/** Written when every clip is READY: its presence makes seeding a no-op. */
export const SEED_MARKER = 'seeded.json';
/** Progress of a seed under way (or stopped half-way), read back to resume it. */
export const SEED_JOURNAL = 'seeding.json';
/**
 * Most encodes at a time. The local transcoder runs ffmpeg with every core it finds, and a
 * newcomer's laptop also runs DynamoDB Local and the functions: two keeps the gateway responsive.
 */
export const MAX_SEED_CONCURRENCY = 2;

export interface SeedOptions {
  /** The platform's API gateway, e.g. `http://localhost:3000`. */
  readonly apiUrl: string;
  /** An administrator of that platform. */
  readonly admin: { readonly email: string; readonly password: string };
  /** The platform's data directory: the marker and the journal live there. */
  readonly dataDir: string;
  /** Where clips are generated; removed after a complete seed when defaulted. @default `<dataDir>/seed-clips` */
  readonly workDir?: string;
  /** @default DEMO_CATALOG */
  readonly titles?: readonly DemoTitle[];
  /** Clips encoded at a time, 1 to {@link MAX_SEED_CONCURRENCY}. @default 2 */
  readonly concurrency?: number;
  /** Size and length of the generated clips. @default DEFAULT_CLIP_FORMAT (854x480, 6 s, 30 fps) */
  readonly clipFormat?: Partial<ClipFormat>;
  /** Progress lines: `seeding demo catalog: 5/13 ready`. @default silent */
  readonly log?: (line: string) => void;
  /** Stops seeding: no new title, clip or upload starts, and the call rejects with the abort reason. */
  readonly signal?: AbortSignal;
  /** The moment availability windows are counted from (a resumed seed keeps the first one). @default now */
  readonly now?: Date;
  /** Milliseconds between job status polls. @default 500 */
  readonly pollMs?: number;
  /** How long a READY asset may take to show up as playable in the catalog. @default 30 s */
  readonly attachTimeoutMs?: number;
  /**
   * Then seed synthetic viewing (`viewing.ts`): demo viewers sign up, subscribe and watch.
   * Also runs on a data directory whose catalog was seeded without it. @default no viewing
   */
  readonly viewing?: ViewingOptions;
}

/** One demo title as seeded. */
export interface SeededTitle {
  readonly key: string;
  readonly name: string;
  readonly kind: DemoTitle['kind'];
  readonly titleId: string;
  /** The latest encode job of a film or episode. */
  jobId?: string;
  status?: JobStatus;
  /** READY, and seen playable by a viewer (unless live nowhere yet): nothing left to do. */
  complete?: boolean;
}

export interface SeedSummary {
  /** `already-seeded`: the marker was there and nothing was done. */
  readonly outcome: 'seeded' | 'already-seeded';
  readonly titles: readonly SeededTitle[];
  /** Films and episodes, which have clips. */
  readonly clips: number;
  /** Of those, READY and attached to their titles. */
  readonly ready: number;
  /** The viewing seeded by this run, or recorded in the marker. */
  readonly viewing?: ViewingSummary;
  readonly elapsedMs: number;
}

/** The journal and marker file. */
export interface SeedRecord {
  version: 1;
  /** The moment windows are counted from. */
  seededAt: string;
  completedAt?: string;
  titles: SeededTitle[];
  /** Absent in a seed that had no viewing (or predates it). */
  viewing?: ViewingRecord;
}

/** The marker of a completed seed in `dataDir`, if any. */
export function readSeedMarker(dataDir: string): SeedRecord | undefined {
  return readRecord(join(dataDir, SEED_MARKER));
}

/** True when `dataDir` holds a seed that was started and not completed. */
export function hasUnfinishedSeed(dataDir: string): boolean {
  return existsSync(join(dataDir, SEED_JOURNAL)) && !existsSync(join(dataDir, SEED_MARKER));
}

export async function seedDemoCatalog(options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const titles = options.titles ?? DEMO_CATALOG;
  const log = options.log ?? (() => undefined);
  const { signal } = options;
  const playable = playableTitles(titles);
  const done = readSeedMarker(options.dataDir);
  if (done && (options.viewing === undefined || done.viewing?.completedAt !== undefined)) {
    return summarize('already-seeded', done, playable.length, started);
  }
  if (done) {
    // The catalog was seeded without viewing (by an older start, say): add it to the marker.
    const markerPath = join(options.dataDir, SEED_MARKER);
    const viewing = await seedViewingInto(done, () => writeAtomically(markerPath, done));
    return summarize('seeded', done, playable.length, started, viewing);
  }

  const attachTimeoutMs = options.attachTimeoutMs ?? 30_000;
  const concurrency = Math.min(MAX_SEED_CONCURRENCY, Math.max(1, Math.floor(options.concurrency ?? 2)));
  const workDir = options.workDir ?? join(options.dataDir, 'seed-clips');
  const journalPath = join(options.dataDir, SEED_JOURNAL);
  const record: SeedRecord = readRecord(journalPath) ?? {
    version: 1,
    seededAt: (options.now ?? new Date()).toISOString(),
    titles: [],
  };
  mkdirSync(options.dataDir, { recursive: true });
  const save = () => writeAtomically(journalPath, record);
  const api = await AdminApi.login(options.apiUrl, options.admin, signal);

  // 1. Titles, in catalog order: a series gets its id before its episodes name it.
  const seriesIds = new Map<string, string>();
  const entries = new Map<string, SeededTitle>();
  for (const title of titles) {
    signal?.throwIfAborted();
    let entry = record.titles.find((t) => t.key === title.key);
    if (!entry) {
      const body = createTitleBody(title, new Date(record.seededAt), seriesIds);
      const { titleId } = await api.call<{ titleId: string }>('POST', '/v1/admin/titles', body);
      entry = { key: title.key, name: title.name, kind: title.kind, titleId };
      record.titles.push(entry);
      save();
    }
    entries.set(title.key, entry);
    if (title.kind === 'series') seriesIds.set(title.key, entry.titleId);
  }

  // 2. Clips: generate, upload, follow to READY, see the asset attached; a few at a time.
  const seededAt = new Date(record.seededAt);
  const entryOf = (title: DemoTitle) => entries.get(title.key) as SeededTitle;
  let ready = playable.filter((t) => entryOf(t).complete).length;
  const failures: string[] = [];
  const pending = playable.filter((t) => !entryOf(t).complete);
  const clips = `${pending.length} clip${pending.length === 1 ? '' : 's'}`;
  log(
    ready === 0
      ? `seeding demo catalog: ${titles.length} titles, encoding ${clips} (${concurrency} at a time)`
      : `seeding demo catalog: resuming, ${ready}/${playable.length} ready, ${clips} to check or encode`,
  );
  await eachConcurrently(pending, concurrency, signal, async (title) => {
    const entry = entryOf(title);
    // Where a viewer can see the title now, to check that it plays (none for a title coming soon).
    const country = liveCountry(title, seededAt, new Date());
    try {
      // A job of an earlier, interrupted start may have ended READY; it counts only if the
      // catalog also got its asset (the event may have been lost when that process stopped).
      const earlier = entry.jobId ? await api.job(entry.jobId) : undefined;
      const reusable =
        earlier?.status === 'READY' &&
        (country === undefined || (await api.playable(entry.titleId, country)));
      if (!reusable) {
        const job = await encode(title, entry);
        entry.status = job.status;
        save();
        if (job.status !== 'READY') {
          failures.push(`${title.name}: ${job.status} ${job.reasonCode ?? ''} ${job.reason ?? ''}`.trim());
          return;
        }
        if (country !== undefined && !(await api.untilPlayable(entry.titleId, country, attachTimeoutMs))) {
          failures.push(
            `${title.name}: READY, but not playable in the catalog after ${attachTimeoutMs / 1000} s`,
          );
          return;
        }
      }
      entry.status = 'READY';
      entry.complete = true;
      save();
      ready += 1;
      log(`seeding demo catalog: ${ready}/${playable.length} ready`);
    } catch (error) {
      if (signal?.aborted) return;
      failures.push(`${title.name}: ${(error as Error).message}`);
    }
  });
  // Failures are told only once it is clear that stopping did not cause them (Ctrl+C reaches
  // ffmpeg before it reaches this process).
  signal?.throwIfAborted();
  if (failures.length > 0) {
    throw new SeedError(
      `${failures.length} of ${playable.length} demo clips did not become playable; the next start retries them.\n  ` +
        failures.join('\n  '),
    );
  }

  // 3. Viewing, journalled with the rest: the marker is written only once it is done too.
  const viewing = options.viewing === undefined ? undefined : await seedViewingInto(record, save);

  record.completedAt = new Date().toISOString();
  writeAtomically(join(options.dataDir, SEED_MARKER), record);
  rmSync(journalPath, { force: true });
  if (options.workDir === undefined) rmSync(workDir, { recursive: true, force: true });
  return summarize('seeded', record, playable.length, started, viewing);

  /** Demo viewers watch the catalog of `target`, their progress saved with it. */
  function seedViewingInto(target: SeedRecord, saveTarget: () => void): Promise<ViewingSummary> {
    const titleIds = new Map(target.titles.filter((t) => t.complete).map((t) => [t.key, t.titleId]));
    target.viewing ??= { accounts: [] };
    return seedViewing({
      apiUrl: options.apiUrl,
      // Only what this seed made playable can be watched.
      titles: titles.filter((t) => t.kind === 'series' || titleIds.has(t.key)),
      titleIds: new Map(target.titles.map((t) => [t.key, t.titleId])),
      seededAt: new Date(target.seededAt),
      record: target.viewing,
      save: saveTarget,
      options: options.viewing ?? {},
      now: () => new Date(),
      log,
      signal,
    });
  }

  async function encode(title: DemoMovie | DemoEpisode, entry: SeededTitle): Promise<JobView> {
    const file = await makeTitleCardClip(workDir, titleCardOf(title, titles), {
      format: options.clipFormat ?? {},
      signal,
      log,
    });
    signal?.throwIfAborted();
    const ingestOptions: IngestOptions = {
      apiUrl: options.apiUrl,
      admin: options.admin,
      file,
      title: title.name,
      titleId: entry.titleId,
      pollMs: options.pollMs ?? 500,
      timeoutMs: 10 * 60_000,
      onJob(job: JobView) {
        if (entry.jobId === job.jobId) return;
        entry.jobId = job.jobId;
        entry.status = job.status;
        save();
      },
    };
    const job = await untilAborted(ingest(ingestOptions), signal);
    entry.jobId = job.jobId;
    return job;
  }
}

function summarize(
  outcome: SeedSummary['outcome'],
  record: SeedRecord,
  clips: number,
  started: number,
  viewing?: ViewingSummary,
): SeedSummary {
  const recorded =
    record.viewing?.completedAt === undefined
      ? undefined
      : { ...summarizeViewing(record.viewing), apiCalls: 0, elapsedMs: 0 };
  const ofViewing = viewing ?? recorded;
  return {
    outcome,
    titles: record.titles,
    clips,
    ready: record.titles.filter((t) => t.complete).length,
    ...(ofViewing === undefined ? {} : { viewing: ofViewing }),
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** A country where viewers can see the title at `now`, the demo's usual six first. */
function liveCountry(title: DemoTitle, seededAt: Date, now: Date): string | undefined {
  const countries = [...DEMO_COUNTRIES, ...title.availability.flatMap((w) => w.countries)];
  return countries.find((c) => isLiveIn(title, c, seededAt, now));
}

/** The admin side of the API, with one login. */
class AdminApi {
  readonly #client: ApiClient;
  readonly #signal: AbortSignal | undefined;

  private constructor(client: ApiClient, signal: AbortSignal | undefined) {
    this.#client = client;
    this.#signal = signal;
  }

  static async login(
    apiUrl: string,
    admin: { email: string; password: string },
    signal: AbortSignal | undefined,
  ): Promise<AdminApi> {
    return new AdminApi(await ApiClient.login(apiUrl, admin, signal), signal);
  }

  /** True when a viewer in `country` sees the title as playable (its asset is attached). */
  async playable(titleId: string, country: string): Promise<boolean> {
    const view = await this.call<{ playable?: boolean }>(
      'GET',
      `/v1/titles/${encodeURIComponent(titleId)}`,
      undefined,
      { 'x-viewer-country': country },
    );
    return view.playable === true;
  }

  /**
   * The catalog attaches an asset when the pipeline's "Asset Published" event reaches it,
   * moments after the job is READY: polls until then, or `timeoutMs`.
   */
  async untilPlayable(titleId: string, country: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.playable(titleId, country)) return true;
      if (Date.now() > deadline) return false;
      await sleep(200, this.#signal);
    }
  }

  /** An encode job, or `undefined` when it does not exist. */
  async job(jobId: string): Promise<JobView | undefined> {
    try {
      return await this.call<JobView>('GET', `/v1/admin/jobs/${encodeURIComponent(jobId)}`);
    } catch (error) {
      if (error instanceof SeedApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  call<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    return this.#client.call<T>(method, path, body, headers);
  }
}

function readRecord(path: string): SeedRecord | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as SeedRecord;
    return record.version === 1 && Array.isArray(record.titles) ? record : undefined;
  } catch {
    // A record cut short (disk full, killed mid-write despite the rename) is ignored, not fatal.
    return undefined;
  }
}

/** Write to a temporary name, then rename: a reader sees the old file or the new one, never half. */
function writeAtomically(path: string, record: SeedRecord): void {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(partial, path);
}
