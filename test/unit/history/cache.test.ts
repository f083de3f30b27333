import { describe, expect, it } from 'vitest';
import {
  CACHE_TTL_MS,
  cachingProfileDirectory,
  cachingTitleDirectory,
  expiringCache,
} from '../../../lambdas/history/domain/cache.ts';
import { ACCOUNT, FakeCatalog, FakeClock, FakeProfiles } from './fakes.ts';

describe('expiringCache', () => {
  it('forgets a value once its time to live has passed', () => {
    const clock = new FakeClock();
    const cache = expiringCache<string>({ now: clock.now, ttlMs: 1000 });
    cache.set('k', 'v');

    clock.advance(999);
    const before = cache.get('k');
    clock.advance(1);
    const after = cache.get('k');

    expect(before).toBe('v');
    expect(after).toBeUndefined();
  });

  it('drops the oldest entries beyond its capacity', () => {
    const cache = expiringCache<number>({ now: new FakeClock().now, maxEntries: 2 });

    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);

    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 2, 3]);
  });
});

describe('cachingProfileDirectory', () => {
  it('asks the profiles service once a minute about a profile it found', async () => {
    const clock = new FakeClock();
    const profiles = new FakeProfiles();
    profiles.add(ACCOUNT, 'p1', 'kids');
    const cached = cachingProfileDirectory(profiles, { now: clock.now });

    await cached.getProfile(ACCOUNT, 'p1');
    clock.advance(CACHE_TTL_MS - 1);
    const stillCached = await cached.getProfile(ACCOUNT, 'p1');
    const callsWithinTtl = profiles.calls.length;
    clock.advance(1);
    await cached.getProfile(ACCOUNT, 'p1');

    expect(stillCached).toEqual({ profileId: 'p1', maturity: 'kids', name: 'Profile p1' });
    expect(callsWithinTtl).toBe(1);
    expect(profiles.calls).toHaveLength(2);
  });

  it('does not remember that a profile was missing', async () => {
    const profiles = new FakeProfiles();
    const cached = cachingProfileDirectory(profiles, { now: new FakeClock().now });

    const missing = await cached.getProfile(ACCOUNT, 'p1');
    profiles.add(ACCOUNT, 'p1');
    const created = await cached.getProfile(ACCOUNT, 'p1');

    expect(missing).toBeNull();
    expect(created?.profileId).toBe('p1');
  });

  it('keeps accounts apart', async () => {
    const profiles = new FakeProfiles();
    profiles.add(ACCOUNT, 'p1');
    const cached = cachingProfileDirectory(profiles, { now: new FakeClock().now });

    await cached.getProfile(ACCOUNT, 'p1');
    const foreign = await cached.getProfile('acct-2', 'p1');

    expect(foreign).toBeNull();
  });
});

describe('cachingTitleDirectory', () => {
  it('asks the catalog only about titles it does not know yet', async () => {
    const catalog = new FakeCatalog();
    catalog.movie('m1');
    catalog.movie('m2');
    const cached = cachingTitleDirectory(catalog, { now: new FakeClock().now });

    await cached.describeTitles(['m1'], 'US', 'adult');
    const both = await cached.describeTitles(['m1', 'm2'], 'US', 'adult');

    expect(both.map((t) => t.titleId)).toEqual(['m1', 'm2']);
    expect(catalog.describeCalls).toEqual([['m1'], ['m2']]);
  });

  it('keeps answers for one country and maturity apart from the others', async () => {
    const catalog = new FakeCatalog();
    catalog.movie('m1', { maturity: 'adult', countries: ['US'] });
    const cached = cachingTitleDirectory(catalog, { now: new FakeClock().now });

    const adultInUs = await cached.describeTitles(['m1'], 'US', 'adult');
    const kidsInUs = await cached.describeTitles(['m1'], 'US', 'kids');
    const adultInBrazil = await cached.describeTitles(['m1'], 'BR', 'adult');

    expect(adultInUs).toHaveLength(1);
    expect(kidsInUs).toEqual([]);
    expect(adultInBrazil).toEqual([]);
  });

  it('asks again once the facts have expired, so a closed window shows within a minute', async () => {
    const clock = new FakeClock();
    const catalog = new FakeCatalog();
    catalog.movie('m1');
    const cached = cachingTitleDirectory(catalog, { now: clock.now });
    await cached.describeTitles(['m1'], 'US', 'adult');
    catalog.withdraw('m1');

    const withinTtl = await cached.describeTitles(['m1'], 'US', 'adult');
    clock.advance(CACHE_TTL_MS);
    const afterTtl = await cached.describeTitles(['m1'], 'US', 'adult');

    expect(withinTtl).toHaveLength(1);
    expect(afterTtl).toEqual([]);
  });
});
