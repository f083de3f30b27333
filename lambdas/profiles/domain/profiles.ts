/**
 * Profiles: up to `MAX_PROFILES_PER_ACCOUNT` per account, each with a name, a maturity level and
 * a language. Pure: the store, the clock and the id source are ports.
 */
import type { Maturity } from '#contracts/api/common.ts';
import {
  type CreateProfileRequest,
  MAX_PROFILES_PER_ACCOUNT,
  type Profile,
  type UpdateProfileRequest,
} from '#contracts/api/profiles.ts';
import type { ProfilesInternalResponse } from '#contracts/internal.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';

/** Language of a profile created without one. */
export const DEFAULT_LANGUAGE = 'en';

/** A stored profile: the API shape plus the account it belongs to. */
export interface ProfileRecord extends Profile {
  readonly accountId: string;
}

/** The outcome of an atomic create: the limit is the store's to enforce, not a read-then-write. */
export type CreateOutcome = 'created' | 'limit-reached';

export interface ProfileStore {
  /** The account's profiles, oldest first. */
  list(accountId: string): Promise<ProfileRecord[]>;
  get(accountId: string, profileId: string): Promise<ProfileRecord | undefined>;
  /** Adds the profile unless the account already has `max`; atomic under concurrent creates. */
  create(profile: ProfileRecord, max: number): Promise<CreateOutcome>;
  /** Applies the changes to an existing profile; `undefined` when there is no such profile. */
  update(
    accountId: string,
    profileId: string,
    changes: UpdateProfileRequest,
    at: string,
  ): Promise<ProfileRecord | undefined>;
  /** Removes the profile and frees its slot; `false` when there was no such profile. */
  remove(accountId: string, profileId: string): Promise<boolean>;
}

export interface ProfilePorts {
  readonly profiles: ProfileStore;
  readonly clock: () => Date;
  readonly ids: () => string;
}

export async function listProfiles(
  ports: Pick<ProfilePorts, 'profiles'>,
  accountId: string,
): Promise<Profile[]> {
  const records = await ports.profiles.list(accountId);
  return records.map(toProfile);
}

export async function createProfile(
  ports: ProfilePorts,
  accountId: string,
  request: CreateProfileRequest,
): Promise<Profile> {
  const record: ProfileRecord = {
    accountId,
    profileId: ports.ids(),
    name: request.name,
    maturity: request.maturity,
    language: request.language ?? DEFAULT_LANGUAGE,
    createdAt: ports.clock().toISOString(),
  };
  const outcome = await ports.profiles.create(record, MAX_PROFILES_PER_ACCOUNT);
  if (outcome === 'limit-reached') {
    throw new ConflictError(
      'PROFILE_LIMIT_REACHED',
      `An account has at most ${MAX_PROFILES_PER_ACCOUNT} profiles: delete one first.`,
    );
  }
  return toProfile(record);
}

export async function updateProfile(
  ports: Pick<ProfilePorts, 'profiles' | 'clock'>,
  accountId: string,
  profileId: string,
  changes: UpdateProfileRequest,
): Promise<Profile> {
  const updated = await ports.profiles.update(accountId, profileId, changes, ports.clock().toISOString());
  if (!updated) throw profileNotFound(profileId);
  return toProfile(updated);
}

export async function deleteProfile(
  ports: Pick<ProfilePorts, 'profiles'>,
  accountId: string,
  profileId: string,
): Promise<void> {
  if (!(await ports.profiles.remove(accountId, profileId))) throw profileNotFound(profileId);
}

/**
 * What other services may know about a profile: only when it belongs to `accountId`. Another
 * account's profile and a missing one look the same, so ids cannot be probed.
 */
export async function describeProfileForService(
  ports: Pick<ProfilePorts, 'profiles'>,
  accountId: string,
  profileId: string,
): Promise<ProfilesInternalResponse> {
  const record = await ports.profiles.get(accountId, profileId);
  if (!record) return { profile: null };
  const maturity: Maturity = record.maturity;
  return { profile: { profileId: record.profileId, maturity, name: record.name } };
}

/** 404 for a missing profile and for another account's: the two are indistinguishable on purpose. */
export function profileNotFound(profileId: string): NotFoundError {
  return new NotFoundError('PROFILE_NOT_FOUND', `No profile ${profileId} on this account.`);
}

function toProfile(record: ProfileRecord): Profile {
  return {
    profileId: record.profileId,
    name: record.name,
    maturity: record.maturity,
    language: record.language,
    createdAt: record.createdAt,
  };
}
