/** The subscriptions table adapter against DynamoDB Local, and the renewal job over it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxPayments } from '../../../lambdas/subscriptions/adapters/sandbox-payments.ts';
import { dynamoSubscriptions } from '../../../lambdas/subscriptions/adapters/subscriptions-table.ts';
import { renewDueSubscriptions } from '../../../lambdas/subscriptions/domain/renew-subscriptions.ts';
import {
  addDays,
  type SubscriptionRecord,
  type SubscriptionRepository,
} from '../../../lambdas/subscriptions/domain/subscription.ts';
import { startTestDynamo, type TestDynamo } from '../../support/dynamo.ts';
import { recordingPayments } from '../../unit/subscriptions/fakes.ts';

const T0 = new Date('2026-11-01T10:00:00.000Z');
let dynamo: TestDynamo;
let pmSucceeds: string;
let pmFailsAtRenewal: string;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  const sandbox = sandboxPayments();
  const a = await sandbox.saveCard('any', { number: '4242424242424242' });
  const b = await sandbox.saveCard('any', { number: '4000000000000341' });
  if (a.status !== 'saved' || b.status !== 'saved') throw new Error('sandbox refused its test cards');
  pmSucceeds = a.paymentMethodId;
  pmFailsAtRenewal = b.paymentMethodId;
});

afterAll(async () => {
  await dynamo?.stop();
});

/** A fresh table per test, so each test sees only its own items. */
async function freshTable(options: { pageSize?: number } = {}): Promise<SubscriptionRepository> {
  return dynamoSubscriptions(await dynamo.createTable('subscriptions'), options);
}

function record(accountId: string, overrides: Partial<SubscriptionRecord> = {}): SubscriptionRecord {
  return {
    accountId,
    plan: 'basic',
    status: 'ACTIVE',
    renewsAt: addDays(T0, 30).toISOString(),
    paymentMethodId: pmSucceeds,
    cardLast4: '4242',
    cardBrand: 'visa',
    cardFingerprint: pmSucceeds.slice(-16),
    renewalAttempts: 0,
    createdAt: T0.toISOString(),
    updatedAt: T0.toISOString(),
    version: 1,
    ...overrides,
  };
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('subscriptions table', () => {
  it('reads back what it saved', async () => {
    const table = await freshTable();
    const saved = record('acct-1', { status: 'PAST_DUE', graceUntil: addDays(T0, 37).toISOString() });

    expect(await table.save(saved)).toBe(true);

    expect(await table.get('acct-1')).toEqual(saved);
    expect(await table.get('acct-nobody')).toBeUndefined();
  });

  it('creates a subscription only where there is none', async () => {
    const table = await freshTable();
    await table.save(record('acct-1'));

    const second = await table.save(record('acct-1', { plan: 'premium' }));

    expect(second).toBe(false);
    expect((await table.get('acct-1'))?.plan).toBe('basic');
  });

  it('writes a change only over the version it was made from', async () => {
    const table = await freshTable();
    await table.save(record('acct-1'));

    const first = await table.save(record('acct-1', { plan: 'standard', version: 2 }));
    const stale = await table.save(record('acct-1', { plan: 'premium', version: 2 }));

    expect([first, stale]).toEqual([true, false]);
    expect(await table.get('acct-1')).toMatchObject({ plan: 'standard', version: 2 });
  });

  it('drops a cleared field when the next version leaves it out', async () => {
    const table = await freshTable();
    await table.save(record('acct-1', { status: 'PAST_DUE', graceUntil: addDays(T0, 37).toISOString() }));

    await table.save(record('acct-1', { version: 2 }));

    expect((await table.get('acct-1'))?.graceUntil).toBeUndefined();
  });

  it('lists the subscriptions of one status due by an instant, oldest first, across pages', async () => {
    const table = await freshTable({ pageSize: 2 });
    const dueBy = addDays(T0, 30).toISOString();
    await Promise.all([
      table.save(record('acct-late', { renewsAt: addDays(T0, 31).toISOString() })),
      table.save(record('acct-due-2', { renewsAt: addDays(T0, 29).toISOString() })),
      table.save(record('acct-due-1', { renewsAt: addDays(T0, 28).toISOString() })),
      table.save(record('acct-due-3', { renewsAt: dueBy })),
      table.save(record('acct-past-due', { status: 'PAST_DUE', renewsAt: addDays(T0, 1).toISOString() })),
      table.save(record('acct-canceled', { status: 'CANCELED', renewsAt: addDays(T0, 1).toISOString() })),
    ]);

    const active = await all(table.due('ACTIVE', dueBy));
    const pastDue = await all(table.due('PAST_DUE', dueBy));

    expect(active.map((r) => r.accountId)).toEqual(['acct-due-1', 'acct-due-2', 'acct-due-3']);
    expect(pastDue.map((r) => r.accountId)).toEqual(['acct-past-due']);
  });
});

describe('renewal over DynamoDB', () => {
  it('charges each due subscription once when two runs overlap', async () => {
    const table = await freshTable({ pageSize: 3 });
    const accounts = Array.from({ length: 7 }, (_, i) => `acct-${i}`);
    await Promise.all(accounts.map((a) => table.save(record(a))));
    const payments = recordingPayments(sandboxPayments(), { delayMs: 20 });
    let n = 0;
    const run = () =>
      renewDueSubscriptions(
        { subscriptions: table, payments, ids: () => `claim-${++n}` },
        { now: addDays(T0, 30), graceDays: 7, concurrency: 3 },
      );

    const [first, second] = await Promise.all([run(), run()]);

    expect(payments.charges.map((c) => c.accountId).sort()).toEqual(accounts);
    expect(first.charged + second.charged).toBe(7);
    // How many the second run skipped (claimed by the first) rather than never saw as due depends
    // on how the runs interleave; only "each charged exactly once" is an invariant.
    expect(first.skipped + second.skipped).toBeLessThanOrEqual(7);
    for (const accountId of accounts) {
      expect(await table.get(accountId)).toMatchObject({
        status: 'ACTIVE',
        renewsAt: addDays(T0, 60).toISOString(),
        version: 3,
      });
    }
  });

  it('moves a declined renewal to PAST_DUE, where the next day finds it due again', async () => {
    const table = await freshTable();
    await table.save(record('acct-1', { paymentMethodId: pmFailsAtRenewal, cardLast4: '0341' }));
    const deps = { subscriptions: table, payments: sandboxPayments(), ids: () => crypto.randomUUID() };

    const first = await renewDueSubscriptions(deps, { now: addDays(T0, 30), graceDays: 7 });
    const dueNextDay = await all(table.due('PAST_DUE', addDays(T0, 31).toISOString()));

    expect(first).toEqual({ charged: 0, failed: 1, pastDueExpired: 0, skipped: 0, errors: 0 });
    expect(dueNextDay.map((r) => [r.accountId, r.status, r.graceUntil])).toEqual([
      ['acct-1', 'PAST_DUE', addDays(T0, 37).toISOString()],
    ]);
  });
});
