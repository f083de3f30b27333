import { describe, expect, it } from 'vitest';
import type { UpdateProfileRequest } from '#contracts/api/profiles.ts';
import { MAX_PROFILES_PER_ACCOUNT } from '#contracts/api/profiles.ts';
import { DomainError } from '#shared/errors.ts';
import {
  type CreateOutcome,
  createProfile,
  DEFAULT_LANGUAGE,
  deleteProfile,
  describeProfileForService,
  listProfiles,
  type ProfileRecord,
  type ProfileStore,
  updateProfile,
} from '../../../lambdas/profiles/domain/profiles.ts';

/** The profiles table in memory, with the same limit rule. */
class FakeProfileStore implements ProfileStore {
  readonly records: ProfileRecord[] = [];
  async list(accountId: string) {
    return this.records.filter((r) => r.accountId === accountId);
  }
  async get(accountId: string, profileId: string) {
    return this.records.find((r) => r.accountId === accountId && r.profileId === profileId);
  }
  async create(profile: ProfileRecord, max: number): Promise<CreateOutcome> {
    if ((await this.list(profile.accountId)).length >= max) return 'limit-reached';
    this.records.push(profile);
    return 'created';
  }
  async update(accountId: string, profileId: string, changes: UpdateProfileRequest) {
    const record = await this.get(accountId, profileId);
    if (!record) return undefined;
    const updated = { ...record, ...changes };
    this.records.splice(this.records.indexOf(record), 1, updated);
    return updated;
  }
  async remove(accountId: string, profileId: string) {
    const record = await this.get(accountId, profileId);
    if (!record) return false;
    this.records.splice(this.records.indexOf(record), 1);
    return true;
  }
}

function setup() {
  const profiles = new FakeProfileStore();
  let n = 0;
  return {
    profiles,
    clock: () => new Date('2026-11-21T10:00:00.000Z'),
    ids: () => `profile-${++n}`,
  };
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; status: number }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return { code: error.code, status: error.status };
}

describe('profiles', () => {
  it('creates a profile with a new id, in English unless told otherwise', async () => {
    const ports = setup();

    const kids = await createProfile(ports, 'acct-1', { name: 'Kids', maturity: 'kids' });
    const ana = await createProfile(ports, 'acct-1', { name: 'Ana', maturity: 'adult', language: 'pt-BR' });

    expect(kids).toEqual({
      profileId: 'profile-1',
      name: 'Kids',
      maturity: 'kids',
      language: DEFAULT_LANGUAGE,
      createdAt: '2026-11-21T10:00:00.000Z',
    });
    expect(ana.language).toBe('pt-BR');
  });

  it(`refuses profile number ${MAX_PROFILES_PER_ACCOUNT + 1} with 409 PROFILE_LIMIT_REACHED`, async () => {
    const ports = setup();
    for (let i = 0; i < MAX_PROFILES_PER_ACCOUNT; i++) {
      await createProfile(ports, 'acct-1', { name: `P${i}`, maturity: 'adult' });
    }

    const error = await rejection(
      createProfile(ports, 'acct-1', { name: 'One too many', maturity: 'adult' }),
    );
    const otherAccount = await createProfile(ports, 'acct-2', { name: 'Fine', maturity: 'adult' });

    expect(error).toEqual({ code: 'PROFILE_LIMIT_REACHED', status: 409 });
    expect(otherAccount.name).toBe('Fine');
  });

  it("lists only the account's own profiles", async () => {
    const ports = setup();
    await createProfile(ports, 'acct-1', { name: 'Mine', maturity: 'adult' });
    await createProfile(ports, 'acct-2', { name: 'Theirs', maturity: 'adult' });

    const mine = await listProfiles(ports, 'acct-1');

    expect(mine.map((p) => p.name)).toEqual(['Mine']);
  });

  it('updates only the fields given', async () => {
    const ports = setup();
    const created = await createProfile(ports, 'acct-1', {
      name: 'Ana',
      maturity: 'adult',
      language: 'pt-BR',
    });

    const updated = await updateProfile(ports, 'acct-1', created.profileId, { maturity: 'teen' });

    expect(updated).toEqual({ ...created, maturity: 'teen' });
  });

  it("answers 404 PROFILE_NOT_FOUND when updating or deleting another account's profile", async () => {
    const ports = setup();
    const theirs = await createProfile(ports, 'acct-2', { name: 'Theirs', maturity: 'adult' });

    const update = await rejection(updateProfile(ports, 'acct-1', theirs.profileId, { name: 'Hijacked' }));
    const remove = await rejection(deleteProfile(ports, 'acct-1', theirs.profileId));

    expect(update).toEqual({ code: 'PROFILE_NOT_FOUND', status: 404 });
    expect(remove).toEqual({ code: 'PROFILE_NOT_FOUND', status: 404 });
    expect(await listProfiles(ports, 'acct-2')).toEqual([theirs]);
  });

  it('frees a slot when a profile is deleted', async () => {
    const ports = setup();
    const created = [];
    for (let i = 0; i < MAX_PROFILES_PER_ACCOUNT; i++) {
      created.push(await createProfile(ports, 'acct-1', { name: `P${i}`, maturity: 'adult' }));
    }

    await deleteProfile(ports, 'acct-1', created[0]?.profileId ?? '');
    const replacement = await createProfile(ports, 'acct-1', { name: 'New', maturity: 'kids' });

    expect(replacement.name).toBe('New');
  });

  it('tells other services about a profile of the account, and nothing about one of another', async () => {
    const ports = setup();
    const kids = await createProfile(ports, 'acct-1', { name: 'Kids', maturity: 'kids' });

    const own = await describeProfileForService(ports, 'acct-1', kids.profileId);
    const foreign = await describeProfileForService(ports, 'acct-2', kids.profileId);
    const missing = await describeProfileForService(ports, 'acct-1', 'nope');

    expect(own).toEqual({ profile: { profileId: kids.profileId, maturity: 'kids', name: 'Kids' } });
    expect(foreign).toEqual({ profile: null });
    expect(missing).toEqual({ profile: null });
  });
});
