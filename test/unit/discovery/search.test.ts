import { describe, expect, it } from 'vitest';
import type { SnapshotTitle } from '../../../lambdas/contracts/internal.ts';
import {
  buildSearchIndex,
  loadSearchIndex,
  normalizeSearchQuery,
  SEARCH_INDEX_FORMAT,
  type SearchIndex,
  SearchIndexFormatError,
  searchTitles,
} from '../../../lambdas/discovery/domain/search.ts';
import { adjacentTranspositions, editBudget } from '../../../lambdas/discovery/domain/search-text.ts';

function title(titleId: string, fields: Partial<SnapshotTitle> & { name: string }): SnapshotTitle {
  return {
    titleId,
    kind: 'movie',
    synopsis: '',
    genres: [],
    cast: [],
    maturity: 'teen',
    availability: [{ countries: ['US'], from: '2020-01-01T00:00:00Z' }],
    artwork: {},
    playable: true,
    createdAt: '2020-01-01T00:00:00Z',
    ...fields,
  };
}

const CATALOG: readonly SnapshotTitle[] = [
  title('lighthouse', {
    name: 'The Lighthouse Keeper',
    synopsis: 'On a storm-bound island, a retired keeper finds a logbook that predicts shipwrecks.',
    genres: ['drama', 'mystery'],
    cast: ['Agnes Thornbury', 'Rafael Duarte'],
  }),
  title('amelie-accented', {
    name: 'Amélie',
    synopsis: 'A shy waitress in Montmartre quietly rearranges the lives of her neighbours.',
    genres: ['romance', 'comedy'],
    cast: ['Océane Duval'],
  }),
  title('amelie-plain', {
    name: 'Amelie and the Moon',
    synopsis: 'A girl builds a ladder to the moon out of library books.',
    genres: ['family'],
    cast: ['Tom Reyes'],
  }),
  title('comets', {
    name: 'Paper Comets',
    synopsis: 'Two siblings fold a thousand paper comets to win the school science fair.',
    genres: ['animation', 'family', 'sci-fi'],
    cast: ['Juniper Vale', 'Otto Kasprzak'],
    maturity: 'kids',
  }),
  title('ferry', {
    name: 'The Last Ferry',
    synopsis: 'When the final crossing leaves one passenger short, a customs officer must find out who.',
    genres: ['thriller'],
    cast: ['Greta Hoffmann'],
    maturity: 'adult',
  }),
  title('harbour', {
    name: 'Glass Harbour',
    synopsis: 'Every morning the old ferry brings one more stranger to the glassblowers of the bay.',
    genres: ['drama'],
    cast: ['Ines Moreau'],
  }),
  title('clockmaker', {
    name: 'The Clockmaker’s Apprentice',
    synopsis: 'The town clock has stopped, and with it the town.',
    genres: ['fantasy'],
    cast: ['Elsie Marchetti'],
    maturity: 'kids',
  }),
  title('strasse', {
    name: 'Straße der Träume',
    synopsis: 'A Berlin taxi driver and the dreams of her passengers.',
    genres: ['drama'],
    cast: ['Jürgen Lindqvist'],
  }),
];

const POPULARITY = new Map([
  ['harbour', 90_000],
  ['lighthouse', 1_000],
  ['ferry', 10],
]);

const everyone = () => true;
const index: SearchIndex = loadSearchIndex(buildSearchIndex(CATALOG, POPULARITY));

function ids(query: string, options: { limit?: number; visible?: (id: string) => boolean } = {}): string[] {
  return searchTitles(index, query, { limit: options.limit ?? 10, visible: options.visible ?? everyone }).map(
    (hit) => hit.titleId,
  );
}

describe('search: typing mistakes', () => {
  it('finds a title with one letter substituted', () => {
    expect(ids('lighthiuse')).toEqual(['lighthouse']);
  });

  it('finds a title with one letter left out', () => {
    expect(ids('lightouse')).toEqual(['lighthouse']);
  });

  it('finds a title with one letter too many', () => {
    expect(ids('harbouer')).toEqual(['harbour']);
  });

  it('counts two neighbouring letters swapped as one edit ("lighthuose" → "lighthouse")', () => {
    expect(ids('lighthuose')[0]).toBe('lighthouse');
  });

  it('finds a five-letter word with its letters swapped, which Levenshtein counts as two edits', () => {
    // "frery" is two edits from "ferry" by Levenshtein: over the one-edit budget of five letters.
    expect(ids('frery')[0]).toBe('ferry');
  });

  it('finds a long word with a swap and a substitution (two edits from ten letters)', () => {
    expect(ids('lihgthousr')).toEqual(['lighthouse']);
  });

  it('finds a four-letter term one edit away ("drma" → "drama")', () => {
    expect(ids('drma')).toEqual(expect.arrayContaining(['lighthouse', 'harbour', 'strasse']));
  });
});

describe('search: the typo budget (one edit per five letters)', () => {
  it('allows no edit up to three letters, one from four to nine, two from ten', () => {
    expect(['abc', 'abcd', 'abcdefghi', 'abcdefghij', 'abcdefghijklmnopqrst'].map(editBudget)).toEqual([
      0, 1, 1, 2, 2,
    ]);
  });

  it('does not match a three-letter term one edit away from a word ("fwr" is not "fer…")', () => {
    expect(ids('fwr')).toEqual([]);
  });

  it('does not match an eight-letter term two edits away ("ligtouse")', () => {
    expect(ids('ligtouse')).toEqual([]);
  });

  it('does not match a five-letter term with a swap and a substitution ("frerx")', () => {
    expect(ids('frerx')).toEqual([]);
  });

  it('matches a ten-letter term two substitutions away but not three', () => {
    expect(ids('lixhtxouse')).toEqual(['lighthouse']);
    expect(ids('lixhtxoure')).toEqual([]);
  });

  it('expands a term into its neighbouring-letter swaps, without repeats or the term itself', () => {
    expect(adjacentTranspositions('ferry')).toEqual(['efrry', 'frery', 'feryr']);
  });
});

describe('search: prefixes', () => {
  it('finds a title from the first three letters of its name', () => {
    expect(ids('lig')).toEqual(['lighthouse']);
  });

  it('finds a title from the first three letters of a later word of its name', () => {
    expect(ids('kee')).toEqual(['lighthouse']);
  });

  it('matches terms of one or two letters as whole words only', () => {
    expect(ids('li')).toEqual([]);
    expect(ids('ke')).toEqual([]);
  });

  it('finds a name as it is being typed, word after word', () => {
    expect(ids('the last fer')).toEqual(['ferry']);
  });
});

describe('search: accents, case and punctuation', () => {
  it('finds "Amélie" from "amelie"', () => {
    expect(ids('amelie')).toContain('amelie-accented');
  });

  it('finds "Amelie" from "Amélie"', () => {
    expect(ids('Amélie')).toContain('amelie-plain');
  });

  it('ignores case, and folds letters with no accent to remove ("strasse", "TRAUME")', () => {
    expect(ids('strasse')).toEqual(['strasse']);
    expect(ids('TRAUME')).toEqual(['strasse']);
  });

  it('finds a name with an apostrophe typed with it, without it, or only its first part', () => {
    expect(ids("clockmaker's")).toEqual(['clockmaker']);
    expect(ids('clockmakers')).toEqual(['clockmaker']);
    expect(ids('clockmaker')).toEqual(['clockmaker']);
    expect(ids('clokmaker')).toEqual(['clockmaker']);
  });
});

describe('search: fields', () => {
  it('finds a title by a cast member, and says the match was in the cast', () => {
    expect(searchTitles(index, 'juniper vale', { limit: 10, visible: everyone })).toEqual([
      { titleId: 'comets', score: expect.any(Number), matched: ['cast'] },
    ]);
  });

  it('finds a title by a cast member with an accent typed without it ("oceane")', () => {
    expect(ids('oceane')).toEqual(['amelie-accented']);
  });

  it('finds titles by genre, and says the match was in the genres', () => {
    const hits = searchTitles(index, 'thriller', { limit: 10, visible: everyone });
    expect(hits).toEqual([{ titleId: 'ferry', score: expect.any(Number), matched: ['genres'] }]);
  });

  it('finds a hyphenated genre typed with or without its hyphen', () => {
    expect(ids('sci-fi')).toEqual(['comets']);
    expect(ids('scifi')).toEqual(['comets']);
  });

  it('finds a title by a word of its synopsis, and reports every field that matched', () => {
    const [hit] = searchTitles(index, 'comets', { limit: 10, visible: everyone });
    expect(hit).toEqual({ titleId: 'comets', score: expect.any(Number), matched: ['name', 'synopsis'] });
  });
});

describe('search: several words', () => {
  it('needs every word to match when some title matches them all', () => {
    // "drama" alone finds three titles; only one of them also has a keeper.
    expect(ids('drama')).toHaveLength(3);
    expect(ids('drama keeper')).toEqual(['lighthouse']);
  });

  it('does not need the stop words of the query to match', () => {
    expect(ids('keeper of the lighthouse')).toEqual(['lighthouse']);
  });

  it('falls back to titles that match some words when none matches all, those matching more first', () => {
    expect(ids('lighthouse qwzxv')).toEqual(['lighthouse']);
    expect(ids('glass lighthouse keeper qwzxv')).toEqual(['lighthouse', 'harbour']);
  });
});

describe('search: ranking', () => {
  it('ranks a name match above a synopsis match of the same word, however popular the other title', () => {
    // "Glass Harbour" mentions a ferry in its synopsis and is the most played title by far.
    expect(ids('ferry')).toEqual(['ferry', 'harbour']);
  });

  it('ranks the more popular of two titles that match the same way first', () => {
    const twins = [
      title('storm-front', { name: 'Storm Front', synopsis: 'A front.' }),
      title('storm-watch', { name: 'Storm Watch', synopsis: 'A watch.' }),
    ];
    const frontPopular = loadSearchIndex(buildSearchIndex(twins, new Map([['storm-front', 500]])));
    const watchPopular = loadSearchIndex(buildSearchIndex(twins, new Map([['storm-watch', 500]])));

    const search = (i: SearchIndex) =>
      searchTitles(i, 'storm', { limit: 10, visible: everyone }).map((h) => h.titleId);
    expect(search(frontPopular)).toEqual(['storm-front', 'storm-watch']);
    expect(search(watchPopular)).toEqual(['storm-watch', 'storm-front']);
  });

  it('ranks an exact match above a typo match', () => {
    const close = [title('comet', { name: 'Comet' }), title('comer', { name: 'Comer' })];
    const closeIndex = loadSearchIndex(buildSearchIndex(close, new Map([['comer', 10_000]])));
    expect(searchTitles(closeIndex, 'comet', { limit: 10, visible: everyone }).map((h) => h.titleId)).toEqual(
      ['comet', 'comer'],
    );
  });

  it('ranks a completion of the typed prefix above a word one typo away', () => {
    const titles = [title('lantern', { name: 'The Lantern Fox' }), title('lane', { name: 'Memory Lane' })];
    const laneIsPopular = loadSearchIndex(buildSearchIndex(titles, new Map([['lane', 10_000]])));
    expect(
      searchTitles(laneIsPopular, 'lant', { limit: 10, visible: everyone }).map((h) => h.titleId),
    ).toEqual(['lantern', 'lane']);
  });

  it('answers scores from best to worst', () => {
    const scores = searchTitles(index, 'the', { limit: 10, visible: everyone }).map((hit) => hit.score);
    expect(scores.length).toBeGreaterThan(2);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });
});

describe('search: visibility and limit', () => {
  const many = Array.from({ length: 30 }, (_, i) =>
    title(`dragon-${String(i).padStart(2, '0')}`, {
      name: `Dragon Tale ${i}`,
      maturity: i < 20 ? 'adult' : 'kids',
    }),
  );
  // The adult titles are the popular ones, so they would fill the first page unfiltered.
  const dragons = loadSearchIndex(
    buildSearchIndex(many, new Map(many.filter((t) => t.maturity === 'adult').map((t) => [t.titleId, 1000]))),
  );
  const kidsOnly = (titleId: string) => many.find((t) => t.titleId === titleId)?.maturity === 'kids';

  it('filters before the limit: a kids profile still gets a full page of kids titles', () => {
    const hits = searchTitles(dragons, 'dragon', { limit: 5, visible: kidsOnly });
    expect(hits).toHaveLength(5);
    expect(hits.every((hit) => kidsOnly(hit.titleId))).toBe(true);
  });

  it('answers at most `limit` titles, and none for a limit of 0', () => {
    expect(searchTitles(dragons, 'dragon', { limit: 7, visible: everyone })).toHaveLength(7);
    expect(searchTitles(dragons, 'dragon', { limit: 0, visible: everyone })).toEqual([]);
  });

  it('answers nothing when every match is hidden', () => {
    expect(ids('ferry', { visible: (id) => id !== 'ferry' && id !== 'harbour' })).toEqual([]);
  });
});

describe('search: hostile and odd queries', () => {
  const HOSTILE = [
    '%',
    '%%%',
    '🎬🍿',
    '👩‍👩‍👧',
    'שלום עולם',
    'مرحبا بالعالم',
    '\u202eyrref',
    'a'.repeat(200),
    `${'lighthouse '.repeat(18)}lig`,
    "' OR 1=1 --",
    '.*(',
    '[[[)))\\',
    '\u0000\u0007\u001f',
    '\ud800',
    '__proto__',
    'constructor',
  ];

  it.each(HOSTILE)('never throws for %j', (query) => {
    expect(() => searchTitles(index, query, { limit: 10, visible: everyone })).not.toThrow();
  });

  it('finds nothing for punctuation, emoji, controls or text in another script', () => {
    for (const query of ['%', '%%%', '🎬🍿', '\u0000\u0007\u001f', 'שלום עולם', 'مرحبا بالعالم', '.*(']) {
      expect(ids(query)).toEqual([]);
    }
  });

  it('treats SQL and regex syntax as plain words', () => {
    expect(ids("lighthouse' OR 1=1 --")).toEqual(['lighthouse']);
    expect(ids('lighthouse.*(')).toEqual(['lighthouse']);
  });
});

describe('normalizeSearchQuery', () => {
  it('folds accents and case and trims punctuation', () => {
    expect(normalizeSearchQuery('  Amélie!  ')).toBe('amelie');
    expect(normalizeSearchQuery('ÉLODIE’S GARDEN')).toBe('elodies garden');
    expect(normalizeSearchQuery('Straße')).toBe('strasse');
  });

  it('turns full-width letters into plain ones', () => {
    expect(normalizeSearchQuery('ＡＭＥＬＩＥ')).toBe('amelie');
  });

  it('drops emoji, symbols and controls around the words', () => {
    expect(normalizeSearchQuery('🎬 amélie\u0000 %')).toBe('amelie');
  });

  it('answers undefined when nothing searchable remains', () => {
    for (const raw of ['%', '%%%', '🎬🍿', '👩‍👩‍👧', '\u0000\u001f', '   ', '', '.*(', '\ud800']) {
      expect(normalizeSearchQuery(raw)).toBeUndefined();
    }
  });

  it('keeps letters of right-to-left scripts (they simply find nothing in a Latin catalog)', () => {
    expect(normalizeSearchQuery('שלום')).toBe('שלום');
    expect(normalizeSearchQuery('مرحبا')).toBe('مرحبا');
  });

  it('keeps at most eight distinct terms of at most 24 letters', () => {
    expect(normalizeSearchQuery('a'.repeat(200))).toBe('a'.repeat(24));
    expect(normalizeSearchQuery('one two three four five six seven eight nine ten one')).toBe(
      'one two three four five six seven eight',
    );
  });
});

describe('the serialized index', () => {
  it('is JSON text that names its format', () => {
    expect(JSON.parse(buildSearchIndex(CATALOG, POPULARITY))).toMatchObject({ format: SEARCH_INDEX_FORMAT });
  });

  it('holds each title once, even when the catalog lists it twice', () => {
    const twice = loadSearchIndex(buildSearchIndex([...CATALOG, CATALOG[0] as SnapshotTitle], POPULARITY));
    expect(twice.titleCount).toBe(CATALOG.length);
    expect(searchTitles(twice, 'lighthouse', { limit: 10, visible: everyone })).toHaveLength(1);
  });

  it('of an empty catalog loads and finds nothing', () => {
    const empty = loadSearchIndex(buildSearchIndex([], new Map()));
    expect(empty.titleCount).toBe(0);
    expect(searchTitles(empty, 'lighthouse', { limit: 10, visible: everyone })).toEqual([]);
  });

  it('is refused with SearchIndexFormatError when it is not JSON, not an index, or another format', () => {
    for (const text of ['not json', '{}', JSON.stringify({ format: 'other.v0', index: {} })]) {
      expect(() => loadSearchIndex(text)).toThrow(SearchIndexFormatError);
    }
    expect(() =>
      loadSearchIndex(JSON.stringify({ format: SEARCH_INDEX_FORMAT, index: { bad: true } })),
    ).toThrow(SearchIndexFormatError);
  });
});
