/**
 * Seeds synthetic viewing into a platform whose demo catalog is seeded, through the public API
 * the way players would: each demo viewer signs up in their country, subscribes with the
 * sandbox's test card, adds their profiles, then for every planned title starts playback
 * (`POST /v1/playback` from their country), reports positions (`PUT …/history/{titleId}`) and
 * ends the session (`DELETE /v1/playback/{sessionId}`). Discovery turns the history and playback
 * changes into Top 10 and recommendations; nothing here writes a table.
 *
 * Progress is recorded per account (account id, subscription, watches done) in the seed's
 * journal, so a stopped seed resumes without a second account, profile or watch.
 */

import type { TitleView } from '#contracts/api/catalog.ts';
import type { StartPlaybackResponse } from '#contracts/api/playback.ts';
import type { Profile } from '#contracts/api/profiles.ts';
import { ApiClient, SeedApiError, SeedError } from './api.ts';
import type { DemoTitle } from './demo-catalog.ts';
import {
  DEMO_CARD_NUMBER,
  DEMO_VIEWER_PASSWORD,
  DEMO_VIEWERS,
  type DemoViewer,
  type PlannedWatch,
  planViewing,
} from './demo-viewers.ts';
import { eachConcurrently } from './tasks.ts';

/** What the caller of the viewing seed may change. */
export interface ViewingOptions {
  /** @default DEMO_VIEWERS */
  readonly viewers?: readonly DemoViewer[];
  /** Caps every profile's number of titles (tests watch fewer). @default each profile's own */
  readonly watchesPerProfile?: number;
  /** Seed of the plan's PRNG. @default DEMO_VIEWING_SEED */
  readonly seed?: number;
  /** Accounts watching at once (each watches one title at a time). @default 2 */
  readonly concurrency?: number;
}

/** One demo viewer's account as seeded: kept in the seed's journal and marker. */
export interface SeededViewer {
  readonly key: string;
  readonly email: string;
  readonly country: string;
  accountId?: string;
  subscribed?: boolean;
  /** Profile key → profile id. */
  profiles: Record<string, string>;
  /** Watches planned, and how many of them are done (in plan order). */
  planned?: number;
  watched: number;
}

/** The viewing part of the seed's journal and marker. */
export interface ViewingRecord {
  /**
   * The moment the plan was drawn for (which titles were live): kept, so a resumed seed plans
   * exactly what the first attempt did.
   */
  plannedAt?: string;
  /** Set once every account has watched its plan. */
  completedAt?: string;
  accounts: SeededViewer[];
}

/** What the viewing seed did (or, from a marker, had done). */
export interface ViewingSummary {
  /** Demo viewers' accounts, profiles, and the films and episodes they watched. */
  readonly accounts: number;
  readonly profiles: number;
  readonly watches: number;
  /** Where they watch from, in the order of the viewers. */
  readonly countries: readonly string[];
  /** One of them, to sign in as. */
  readonly signIn?: { readonly email: string; readonly password: string };
  /** API calls this run made, and how long it took (0 when it found everything done). */
  readonly apiCalls: number;
  readonly elapsedMs: number;
}

/** What the viewing step needs from the seed that runs it. */
export interface ViewingRun {
  readonly apiUrl: string;
  /** The catalog the plan draws from, with the title id each key got. */
  readonly titles: readonly DemoTitle[];
  readonly titleIds: ReadonlyMap<string, string>;
  /** The moment the catalog's windows count from. */
  readonly seededAt: Date;
  readonly record: ViewingRecord;
  /** Writes the journal; called after every step worth keeping. */
  readonly save: () => void;
  readonly options: ViewingOptions;
  readonly now: () => Date;
  readonly log: (line: string) => void;
  readonly signal: AbortSignal | undefined;
}

/**
 * Has every demo viewer watch its plan, resuming from `record`; sets `record.completedAt` when
 * all have. Throws {@link SeedError} naming the accounts that failed (the next start retries them).
 */
export async function seedViewing(run: ViewingRun): Promise<ViewingSummary> {
  const started = performance.now();
  const viewers = run.options.viewers ?? DEMO_VIEWERS;
  const { record, signal } = run;
  let apiCalls = 0;
  const countCall = () => {
    apiCalls += 1;
  };
  record.plannedAt ??= run.now().toISOString();
  const when = { seededAt: run.seededAt, now: new Date(record.plannedAt) };
  const plans = new Map(
    viewers.map((viewer) => [
      viewer.key,
      planViewing(viewer, run.titles, when, {
        ...(run.options.seed === undefined ? {} : { seed: run.options.seed }),
        ...(run.options.watchesPerProfile === undefined
          ? {}
          : { watchesPerProfile: run.options.watchesPerProfile }),
      }),
    ]),
  );
  const entries = viewers.map((viewer) => {
    let entry = record.accounts.find((a) => a.key === viewer.key);
    if (!entry) {
      entry = { key: viewer.key, email: viewer.email, country: viewer.country, profiles: {}, watched: 0 };
      record.accounts.push(entry);
    }
    entry.planned = plans.get(viewer.key)?.length ?? 0;
    return { viewer, entry };
  });
  const pending = entries.filter(
    ({ viewer, entry }) =>
      entry.watched < (entry.planned ?? 0) ||
      !entry.subscribed ||
      viewer.profiles.some((p) => entry.profiles[p.key] === undefined),
  );
  const toWatch = pending.reduce((sum, { entry }) => sum + (entry.planned ?? 0) - entry.watched, 0);
  if (pending.length > 0) {
    run.log(
      `seeding demo viewing: ${pending.length} viewer account${pending.length === 1 ? '' : 's'} in ` +
        `${[...new Set(pending.map((p) => p.viewer.country))].join(', ')}, ${toWatch} titles to watch`,
    );
  }

  const durations = new Map<string, Promise<number>>();
  const failures: string[] = [];
  let accountsDone = entries.length - pending.length;
  await eachConcurrently(pending, run.options.concurrency ?? 2, signal, async ({ viewer, entry }) => {
    try {
      await watchAsViewer(viewer, entry, plans.get(viewer.key) ?? []);
      accountsDone += 1;
      run.log(
        `seeding demo viewing: ${accountsDone}/${entries.length} viewers done (${viewer.key}, ${viewer.country})`,
      );
    } catch (error) {
      if (signal?.aborted) return;
      failures.push(`${viewer.email}: ${(error as Error).message}`);
    }
  });
  signal?.throwIfAborted();
  if (failures.length > 0) {
    throw new SeedError(
      `${failures.length} of ${entries.length} demo viewers did not finish watching; the next start resumes them.\n  ` +
        failures.join('\n  '),
    );
  }
  record.completedAt ??= run.now().toISOString();
  run.save();
  return { ...summarizeViewing(record), apiCalls, elapsedMs: Math.round(performance.now() - started) };

  async function watchAsViewer(viewer: DemoViewer, entry: SeededViewer, plan: readonly PlannedWatch[]) {
    const credentials = { email: viewer.email, password: DEMO_VIEWER_PASSWORD };
    if (entry.accountId === undefined) {
      const anonymous = ApiClient.anonymous(run.apiUrl, signal, countCall);
      try {
        const { accountId } = await anonymous.call<{ accountId: string }>('POST', '/v1/auth/signup', {
          ...credentials,
          country: viewer.country,
        });
        entry.accountId = accountId;
        run.save();
      } catch (error) {
        // Signed up by a start stopped before it could note the id: signing in below proves it ours.
        if (!(error instanceof SeedApiError && error.code === 'EMAIL_TAKEN')) throw error;
      }
    }
    const api = await ApiClient.login(run.apiUrl, credentials, signal, countCall);
    if (entry.accountId === undefined) {
      entry.accountId = (await api.call<{ accountId: string }>('GET', '/v1/me')).accountId;
      run.save();
    }
    if (!entry.subscribed) {
      await api.call('PUT', '/v1/subscription', { plan: viewer.plan, card: { number: DEMO_CARD_NUMBER } });
      entry.subscribed = true;
      run.save();
    }
    if (viewer.profiles.some((p) => entry.profiles[p.key] === undefined)) {
      // Profiles are found by name first: a stopped start may have created one without noting it.
      const existing = (await api.call<{ items: Profile[] }>('GET', '/v1/profiles')).items;
      for (const profile of viewer.profiles) {
        if (entry.profiles[profile.key] !== undefined) continue;
        const found = existing.find((p) => p.name === profile.name);
        entry.profiles[profile.key] =
          found?.profileId ??
          (
            await api.call<Profile>('POST', '/v1/profiles', {
              name: profile.name,
              maturity: profile.maturity,
            })
          ).profileId;
        run.save();
      }
    }
    const from = { 'x-viewer-country': viewer.country };
    for (let index = entry.watched; index < plan.length; index++) {
      signal?.throwIfAborted();
      const watch = plan[index] as PlannedWatch;
      const profileId = entry.profiles[watch.profileKey];
      const titleId = run.titleIds.get(watch.titleKey);
      if (profileId === undefined || titleId === undefined) {
        throw new SeedError(`no id for profile ${watch.profileKey} or title ${watch.titleKey}`);
      }
      const durationSec = await durationOf(api, titleId, viewer.country);
      const started = run.now().getTime();
      const session = await api.call<StartPlaybackResponse>(
        'POST',
        '/v1/playback',
        { profileId, titleId },
        from,
      );
      try {
        for (const positionSec of positions(watch.fraction, durationSec)) {
          await api.call(
            'PUT',
            `/v1/profiles/${encodeURIComponent(profileId)}/history/${encodeURIComponent(titleId)}`,
            // The player's clock: as if it reported the position after playing up to it.
            { positionSec, durationSec, clientTs: started + Math.round(positionSec * 1000) },
            from,
          );
        }
      } finally {
        // Always ended, so the stream slot is free for the next title (and the next seed).
        await api.call('DELETE', `/v1/playback/${encodeURIComponent(session.sessionId)}`, undefined, from);
      }
      entry.watched = index + 1;
      run.save();
    }
  }

  /** The title's duration as the catalog has it (its asset's), asked once per title. */
  function durationOf(api: ApiClient, titleId: string, country: string): Promise<number> {
    let duration = durations.get(titleId);
    if (!duration) {
      duration = api
        .call<TitleView>('GET', `/v1/titles/${encodeURIComponent(titleId)}`, undefined, {
          'x-viewer-country': country,
        })
        .then((view) => {
          if (view.durationSec === undefined || view.durationSec <= 0) {
            throw new SeedError(`${view.name} has no duration: is its clip attached?`);
          }
          return view.durationSec;
        });
      // A failed lookup is retried by the next watch of the title rather than remembered.
      duration.catch(() => durations.delete(titleId));
      durations.set(titleId, duration);
    }
    return duration;
  }
}

/**
 * The positions a player reports for `fraction` of a title: halfway and at the end of what was
 * watched, or only where it stopped when that was early.
 */
export function positions(fraction: number, durationSec: number): number[] {
  const at = (share: number) => Math.min(durationSec, Math.round(share * durationSec * 10) / 10);
  return fraction < 0.3 ? [at(fraction)] : [at(fraction / 2), at(fraction)];
}

/** The summary a journal or marker gives: accounts, profiles and watches recorded in it. */
export function summarizeViewing(record: ViewingRecord): Omit<ViewingSummary, 'apiCalls' | 'elapsedMs'> {
  const first = record.accounts[0];
  return {
    accounts: record.accounts.length,
    profiles: record.accounts.reduce((sum, a) => sum + Object.keys(a.profiles).length, 0),
    watches: record.accounts.reduce((sum, a) => sum + a.watched, 0),
    countries: [...new Set(record.accounts.map((a) => a.country))],
    ...(first ? { signIn: { email: first.email, password: DEMO_VIEWER_PASSWORD } } : {}),
  };
}
