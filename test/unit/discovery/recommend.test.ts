import { describe, expect, it } from 'vitest';
import { type Maturity, maturityAllows } from '#contracts/api/common.ts';
import { POSITIVE_WATCH_RATIO } from '#contracts/discovery.ts';
import type { SnapshotTitle } from '#contracts/internal.ts';
import type { Like } from '../../../lambdas/discovery/domain/ports.ts';
import {
  CO_OCCURRENCE_RECENT_LIKES,
  coOccurrenceIncrements,
  isPositive,
  type RecommendInput,
  recommend,
  recommendCatalog,
} from '../../../lambdas/discovery/domain/recommend.ts';

function title(
  titleId: string,
  fields: { genres?: string[]; cast?: string[]; maturity?: Maturity; createdAt?: string } = {},
): SnapshotTitle {
  return {
    titleId,
    kind: 'movie',
    name: `Name of ${titleId}`,
    synopsis: '',
    genres: fields.genres ?? [],
    cast: fields.cast ?? [],
    maturity: fields.maturity ?? 'adult',
    availability: [{ countries: ['US'], from: '2026-01-01T00:00:00Z' }],
    artwork: {},
    playable: true,
    createdAt: fields.createdAt ?? '2026-01-01T00:00:00Z',
  };
}

const like = (titleId: string, day: number, finished = true): Like => ({
  titleId,
  likedAt: new Date(Date.UTC(2026, 2, day)).toISOString(),
  finished,
});

/**
 * The counts the stream aggregator would hold after these profiles' likes (each list in the order
 * liked): `coOccurrenceIncrements` replayed, as the aggregator and the bench do.
 */
function aggregate(profiles: readonly (readonly string[])[]) {
  const coOccurrence = new Map<string, Map<string, number>>();
  const likeCounts = new Map<string, number>();
  for (const titles of profiles) {
    const liked: Like[] = [];
    titles.forEach((titleId, i) => {
      for (const { a, b } of coOccurrenceIncrements(titleId, liked)) {
        const row = coOccurrence.get(a) ?? new Map<string, number>();
        row.set(b, (row.get(b) ?? 0) + 1);
        coOccurrence.set(a, row);
      }
      likeCounts.set(titleId, (likeCounts.get(titleId) ?? 0) + 1);
      liked.push(like(titleId, i + 1));
    });
  }
  return { coOccurrence, likeCounts };
}

function input(
  titles: readonly SnapshotTitle[],
  counts: ReturnType<typeof aggregate>,
  fields: Partial<RecommendInput> = {},
): RecommendInput {
  const none = new Map<string, number>();
  return {
    likes: [],
    finished: new Set(),
    coOccurrence: (titleId) => counts.coOccurrence.get(titleId) ?? none,
    likeCounts: counts.likeCounts,
    popularity: new Map(),
    catalog: recommendCatalog(titles),
    eligible: () => true,
    limit: 10,
    ...fields,
  };
}

const repeat = <T>(n: number, item: T): T[] => Array.from({ length: n }, () => item);

describe('isPositive', () => {
  it('counts a title watched at least half as liked, and less than half as not', () => {
    expect(POSITIVE_WATCH_RATIO).toBe(0.5);
    expect(isPositive(1800, 3600, false)).toBe(true);
    expect(isPositive(1799, 3600, false)).toBe(false);
  });

  it('counts a finished title as liked wherever the position is', () => {
    expect(isPositive(0, 3600, true)).toBe(true);
  });

  it('does not count a position without a known duration', () => {
    expect(isPositive(100, 0, false)).toBe(false);
  });
});

describe('coOccurrenceIncrements', () => {
  it('pairs the new like with each earlier one, in both directions', () => {
    const increments = coOccurrenceIncrements('c', [like('a', 1), like('b', 2)]);

    expect(increments).toEqual([
      { a: 'b', b: 'c' },
      { a: 'c', b: 'b' },
      { a: 'a', b: 'c' },
      { a: 'c', b: 'a' },
    ]);
  });

  it('pairs only the most recent earlier likes, up to the cap', () => {
    const earlier = Array.from({ length: CO_OCCURRENCE_RECENT_LIKES + 5 }, (_, i) => like(`t${i}`, i + 1));

    const increments = coOccurrenceIncrements('new', earlier);
    const paired = new Set(increments.map((i) => (i.a === 'new' ? i.b : i.a)));

    expect(increments).toHaveLength(2 * CO_OCCURRENCE_RECENT_LIKES);
    expect(paired.has(`t${CO_OCCURRENCE_RECENT_LIKES + 4}`)).toBe(true);
    expect(paired.has('t0')).toBe(false);
    expect(paired.has('t4')).toBe(false);
    expect(paired.has('t5')).toBe(true);
  });

  it('compares like times as instants, not as text', () => {
    // 23:30 at -03:00 is 02:30 UTC the next day: later than 01:00 UTC that day.
    const earlier = [
      { titleId: 'utc', likedAt: '2026-03-02T01:00:00Z' },
      { titleId: 'offset', likedAt: '2026-03-01T23:30:00-03:00' },
    ];

    expect(coOccurrenceIncrements('new', earlier, 1)).toEqual([
      { a: 'offset', b: 'new' },
      { a: 'new', b: 'offset' },
    ]);
  });

  it('ignores the liked title itself and repeated ids', () => {
    const increments = coOccurrenceIncrements('c', [like('c', 1), like('a', 2), like('a', 3)]);

    expect(increments).toEqual([
      { a: 'a', b: 'c' },
      { a: 'c', b: 'a' },
    ]);
  });

  it('gives nothing for a first like', () => {
    expect(coOccurrenceIncrements('a', [])).toEqual([]);
  });
});

describe('recommend', () => {
  // Viewers who liked "anchor" mostly went on to "strong", a few to "weak"; "other" is liked apart.
  const catalog = ['anchor', 'strong', 'weak', 'other', 'x'].map((id) => title(id));
  const counts = aggregate([
    ...repeat(8, ['anchor', 'strong']),
    ...repeat(2, ['anchor', 'weak']),
    ...repeat(10, ['other', 'weak']),
  ]);

  it('ranks what viewers of a liked title liked most, because of that title', () => {
    const recs = recommend(input(catalog, counts, { likes: [like('anchor', 1)] }));

    expect(recs.map((r) => r.titleId)).toEqual(['strong', 'weak']);
    expect(recs[0]?.reason).toEqual({
      code: 'BECAUSE_YOU_WATCHED',
      titleId: 'anchor',
      text: 'Because you watched Name of anchor',
    });
  });

  it('names the liked title that contributed most', () => {
    // Either like may be read first: the most recent one is.
    for (const likes of [
      [like('anchor', 2), like('other', 1)],
      [like('anchor', 1), like('other', 2)],
    ]) {
      const recs = recommend(input(catalog, counts, { likes }));

      const weak = recs.find((r) => r.titleId === 'weak');
      const strong = recs.find((r) => r.titleId === 'strong');
      expect(weak?.reason).toEqual({
        code: 'BECAUSE_YOU_WATCHED',
        titleId: 'other',
        text: 'Because you watched Name of other',
      });
      expect(strong?.reason.titleId).toBe('anchor');
    }
  });

  it('weighs a recent like more than an old one', () => {
    const recentAnchor = recommend(input(catalog, counts, { likes: [like('anchor', 20), like('other', 1)] }));
    const recentOther = recommend(input(catalog, counts, { likes: [like('anchor', 1), like('other', 20)] }));

    const score = (recs: typeof recentAnchor, id: string) => recs.find((r) => r.titleId === id)?.score ?? 0;
    expect(score(recentAnchor, 'strong')).toBeGreaterThan(score(recentOther, 'strong'));
  });

  it('never recommends a title the profile liked or finished', () => {
    const recs = recommend(
      input(catalog, counts, { likes: [like('anchor', 1)], finished: new Set(['strong', 'x']) }),
    );

    const ids = recs.map((r) => r.titleId);
    expect(ids).not.toContain('anchor');
    expect(ids).not.toContain('strong');
    expect(ids).not.toContain('x');
    expect(ids[0]).toBe('weak');
  });

  it('answers a profile with no likes with the most played titles, POPULAR', () => {
    const popularity = new Map([
      ['weak', 50],
      ['x', 900],
      ['other', 50],
      ['strong', 300],
    ]);

    const recs = recommend(input(catalog, counts, { popularity, limit: 3 }));

    expect(recs.map((r) => r.titleId)).toEqual(['x', 'strong', 'other']);
    expect(recs.every((r) => r.reason.code === 'POPULAR' && r.reason.titleId === undefined)).toBe(true);
    expect(recs[0]?.reason.text).toBe('Popular on Showrunner');
  });

  it('reaches a new title nobody liked yet through its genres and cast', () => {
    const titles = [
      title('liked', { genres: ['thriller', 'crime'], cast: ['ana', 'bo'] }),
      title('usual', { genres: ['comedy'] }),
      title('new', { genres: ['thriller', 'crime'], cast: ['ana'], createdAt: '2026-06-01T00:00:00Z' }),
    ];
    const cf = aggregate(repeat(5, ['liked', 'usual']));

    const recs = recommend(input(titles, cf, { likes: [like('liked', 1)] }));

    const fresh = recs.find((r) => r.titleId === 'new');
    expect(fresh?.reason).toEqual({ code: 'SIMILAR_TO', titleId: 'liked', text: 'Similar to Name of liked' });
    expect(recs.find((r) => r.titleId === 'usual')?.reason.code).toBe('BECAUSE_YOU_WATCHED');
  });

  it('never yields a title the eligibility rule refuses (a kids profile gets no adult title)', () => {
    const maturities: Maturity[] = ['kids', 'teen', 'adult'];
    const titles = Array.from({ length: 30 }, (_, i) =>
      title(`t${String(i).padStart(2, '0')}`, {
        genres: [`g${i % 3}`],
        cast: [`c${i % 5}`],
        maturity: maturities[i % 3] as Maturity,
      }),
    );
    const ids = titles.map((t) => t.titleId);
    const cf = aggregate(
      ids.map((_, i) => [ids[i] as string, ids[(i + 1) % 30] as string, ids[(i + 7) % 30] as string]),
    );
    const byId = new Map(titles.map((t) => [t.titleId, t]));
    const kidsOnly = (titleId: string) => {
      const t = byId.get(titleId);
      return t !== undefined && maturityAllows('kids', t.maturity);
    };
    const popularity = new Map(ids.map((id, i) => [id, 100 - i]));

    const recs = recommend(
      input(titles, cf, {
        likes: [like('t02', 1), like('t05', 2)],
        eligible: kidsOnly,
        popularity,
        limit: 30,
      }),
    );

    expect(recs.length).toBeGreaterThan(0);
    expect(recs.every((r) => byId.get(r.titleId)?.maturity === 'kids')).toBe(true);
  });

  it('returns at most `limit` items', () => {
    const popularity = new Map(catalog.map((t, i) => [t.titleId, i + 1]));

    expect(
      recommend(input(catalog, counts, { likes: [like('anchor', 1)], popularity, limit: 2 })),
    ).toHaveLength(2);
  });

  it('breaks ties by title id and answers the same whatever order the counts arrive in', () => {
    const titles = ['b', 'a', 'c', 'seed'].map((id) => title(id));
    const forward = aggregate([
      ['seed', 'b'],
      ['seed', 'a'],
      ['seed', 'c'],
    ]);
    const reversed = {
      likeCounts: new Map([...forward.likeCounts].reverse()),
      coOccurrence: new Map(
        [...forward.coOccurrence].map(([k, row]) => [k, new Map([...row].reverse())] as const).reverse(),
      ),
    };
    const likes = [like('seed', 1)];

    const one = recommend(input(titles, forward, { likes }));
    const two = recommend(input(titles, reversed, { likes }));

    expect(one.map((r) => r.titleId)).toEqual(['a', 'b', 'c']);
    expect(two).toEqual(one);
  });
});
