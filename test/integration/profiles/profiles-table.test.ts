import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PROFILES_PER_ACCOUNT } from '#contracts/api/profiles.ts';
import { documentClient } from '#shared/aws.ts';
import { dynamoProfileStore, META_PROFILE_ID } from '../../../lambdas/profiles/adapters/profiles-table.ts';
import type { ProfileRecord, ProfileStore } from '../../../lambdas/profiles/domain/profiles.ts';
import { startTestDynamo, type TestDynamo } from '../../support/dynamo.ts';

let dynamo: TestDynamo;
let table: string;
let store: ProfileStore;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  table = await dynamo.createTable('profiles');
  store = dynamoProfileStore(table);
});

afterAll(async () => {
  await dynamo?.stop();
});

function profile(accountId: string, overrides: Partial<ProfileRecord> = {}): ProfileRecord {
  return {
    accountId,
    profileId: randomUUID(),
    name: 'Ana',
    maturity: 'adult',
    language: 'en',
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

async function counter(accountId: string): Promise<unknown> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: table, Key: { accountId, profileId: META_PROFILE_ID } }),
  );
  return Item?.profileCount;
}

describe('profiles table', () => {
  it('lets exactly 5 of 8 concurrent creates through', async () => {
    const accountId = randomUUID();

    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.create(profile(accountId, { name: `P${i}` }), MAX_PROFILES_PER_ACCOUNT),
      ),
    );

    expect(outcomes.filter((o) => o === 'created')).toHaveLength(MAX_PROFILES_PER_ACCOUNT);
    expect(outcomes.filter((o) => o === 'limit-reached')).toHaveLength(8 - MAX_PROFILES_PER_ACCOUNT);
    expect(await store.list(accountId)).toHaveLength(MAX_PROFILES_PER_ACCOUNT);
    expect(await counter(accountId)).toBe(MAX_PROFILES_PER_ACCOUNT);
  });

  it('lists the profiles oldest first, without the counter item', async () => {
    const accountId = randomUUID();
    const second = profile(accountId, { name: 'Second', createdAt: '2026-11-21T10:00:01.000Z' });
    const first = profile(accountId, { name: 'First', createdAt: '2026-11-21T10:00:00.000Z' });
    await store.create(second, MAX_PROFILES_PER_ACCOUNT);
    await store.create(first, MAX_PROFILES_PER_ACCOUNT);

    const listed = await store.list(accountId);

    expect(listed).toEqual([first, second]);
  });

  it('frees the slot of a deleted profile, in the same transaction', async () => {
    const accountId = randomUUID();
    const created: ProfileRecord[] = [];
    for (let i = 0; i < MAX_PROFILES_PER_ACCOUNT; i++) {
      const p = profile(accountId);
      await store.create(p, MAX_PROFILES_PER_ACCOUNT);
      created.push(p);
    }

    const removed = await store.remove(accountId, created[0]?.profileId ?? '');
    const countAfterRemove = await counter(accountId);
    const outcome = await store.create(profile(accountId), MAX_PROFILES_PER_ACCOUNT);

    expect(removed).toBe(true);
    expect(countAfterRemove).toBe(MAX_PROFILES_PER_ACCOUNT - 1);
    expect(outcome).toBe('created');
  });

  it('does not lower the counter for a profile that is not there', async () => {
    const accountId = randomUUID();
    await store.create(profile(accountId), MAX_PROFILES_PER_ACCOUNT);

    const removed = await store.remove(accountId, randomUUID());

    expect(removed).toBe(false);
    expect(await counter(accountId)).toBe(1);
  });

  it("cannot touch another account's profile", async () => {
    const owner = randomUUID();
    const theirs = profile(owner);
    await store.create(theirs, MAX_PROFILES_PER_ACCOUNT);
    const intruder = randomUUID();

    const read = await store.get(intruder, theirs.profileId);
    const updated = await store.update(
      intruder,
      theirs.profileId,
      { name: 'Hijacked' },
      new Date().toISOString(),
    );
    const removed = await store.remove(intruder, theirs.profileId);

    expect([read, updated, removed]).toEqual([undefined, undefined, false]);
    expect(await store.get(owner, theirs.profileId)).toEqual(theirs);
  });

  it('updates the given fields and keeps the others', async () => {
    const accountId = randomUUID();
    const p = profile(accountId, { language: 'pt-BR' });
    await store.create(p, MAX_PROFILES_PER_ACCOUNT);

    const updated = await store.update(
      accountId,
      p.profileId,
      { name: 'Bia', maturity: 'kids' },
      p.createdAt,
    );

    expect(updated).toEqual({ ...p, name: 'Bia', maturity: 'kids' });
  });

  it('never treats the counter item as a profile', async () => {
    const accountId = randomUUID();
    await store.create(profile(accountId), MAX_PROFILES_PER_ACCOUNT);

    const read = await store.get(accountId, META_PROFILE_ID);
    const removed = await store.remove(accountId, META_PROFILE_ID);

    expect(read).toBeUndefined();
    expect(removed).toBe(false);
    expect(await counter(accountId)).toBe(1);
  });
});
