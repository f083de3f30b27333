/**
 * Labelled queries: what a viewer types, and the title they mean. Hand-written for the demo
 * catalog; generated from the titles for the synthetic one (each kind of mistake applied to a
 * word of the title's name). `find` queries must return the title; `top` queries must return it
 * first (ranking); `miss` queries carry more typos than the budget allows and must NOT return it.
 */
import type { SnapshotTitle } from '#contracts/internal.ts';
import { editBudget, foldText } from '../../lambdas/discovery/domain/search-text.ts';
import { seededRandom } from './catalogs.ts';

export type QueryKind =
  | 'exact'
  | 'prefix'
  | 'substitution'
  | 'deletion'
  | 'insertion'
  | 'transposition'
  | 'accent'
  | 'cast'
  | 'genre'
  | 'ranking'
  | 'too-far';

export interface LabelledQuery {
  readonly query: string;
  readonly kind: QueryKind;
  /** `find`: one of `titleIds` is in the top k; `top`: one of them is first; `miss`: none is returned. */
  readonly expect: 'find' | 'top' | 'miss';
  readonly titleIds: readonly string[];
}

type DemoLabel = readonly [query: string, kind: QueryKind, expect: LabelledQuery['expect'], names: string];

/** Demo catalog: `names` is one title name, or several separated by `|` (any of them will do). */
const DEMO_LABELS: readonly DemoLabel[] = [
  ['the lighthouse keeper', 'exact', 'find', 'The Lighthouse Keeper'],
  ['midnight freight', 'exact', 'find', 'Midnight Freight'],
  ['lig', 'prefix', 'find', 'The Lighthouse Keeper'],
  ['bum', 'prefix', 'find', 'Bumbleton Bakes'],
  ['mar', 'prefix', 'find', 'The Marlowe Files'],
  ['glas', 'prefix', 'find', 'Glass Harbour'],
  ['snowb', 'prefix', 'find', 'Snowball Express'],
  ['kyoto time', 'prefix', 'find', 'The Kyoto Timetable'],
  ['lighthiuse', 'substitution', 'find', 'The Lighthouse Keeper'],
  ['paper comits', 'substitution', 'find', 'Paper Comets'],
  ['summot fever', 'substitution', 'find', 'Summit Fever'],
  ['orbet', 'substitution', 'find', 'Orbit of Small Things'],
  ['tempestod', 'substitution', 'find', 'Señora Tempestad'],
  ['lightouse', 'deletion', 'find', 'The Lighthouse Keeper'],
  ['clokmaker', 'deletion', 'find', 'The Clockmaker’s Apprentice'],
  ['harbor', 'deletion', 'find', 'Glass Harbour'],
  ['saffon', 'deletion', 'find', 'Salt and Saffron'],
  ['midnigt', 'deletion', 'find', 'Midnight Freight'],
  ['lighthoouse', 'insertion', 'find', 'The Lighthouse Keeper'],
  ['lanterrn fox', 'insertion', 'find', 'The Lantern Fox'],
  ['tempestadd', 'insertion', 'find', 'Señora Tempestad'],
  ['kasprzack', 'insertion', 'find', 'Paper Comets'],
  ['lighthuose', 'transposition', 'find', 'The Lighthouse Keeper'],
  ['comtes', 'transposition', 'find', 'Paper Comets'],
  ['freihgt', 'transposition', 'find', 'Midnight Freight'],
  ['safforn', 'transposition', 'find', 'Salt and Saffron'],
  ['frery', 'transposition', 'find', 'The Last Ferry'],
  ['kyoto timetabel', 'transposition', 'find', 'The Kyoto Timetable'],
  ['clockmaekr', 'transposition', 'find', 'The Clockmaker’s Apprentice'],
  ['cafe lumiere', 'accent', 'find', 'Café Lumière'],
  ['elodie', 'accent', 'find', 'Élodie’s Garden'],
  ['senora', 'accent', 'find', 'Señora Tempestad'],
  ['sao paulo', 'accent', 'find', 'São Paulo Blues'],
  ['uber den wolken', 'accent', 'find', 'Über den Wolken'],
  ['nino', 'accent', 'find', 'Niño and the Dragon'],
  ['zoe', 'accent', 'find', 'Zoë and the Comet Club'],
  ['mídnight', 'accent', 'find', 'Midnight Freight'],
  ['sécond sérve', 'accent', 'find', 'Second Serve'],
  ['CAFÉ', 'accent', 'find', 'Café Lumière'],
  ['juniper vale', 'cast', 'find', 'Paper Comets'],
  ['pemba', 'cast', 'find', 'Summit Fever'],
  ['tomas ferreira', 'cast', 'find', 'Orbit of Small Things'],
  ['documentary', 'genre', 'find', 'Salt and Saffron|Summit Fever|Bread of the World'],
  ['horror', 'genre', 'find', 'The Hollow Pines'],
  ['ferry', 'ranking', 'top', 'The Last Ferry'],
  ['signal', 'ranking', 'top', 'Deep Signal'],
  ['ice', 'ranking', 'top', 'Beneath the Ice'],
  ['fox', 'ranking', 'top', 'The Lantern Fox'],
  ['garden', 'ranking', 'top', 'Élodie’s Garden|Robot Garden'],
  ['comet', 'ranking', 'top', 'Zoë and the Comet Club|Paper Comets'],
  ['lixhtxoure', 'too-far', 'miss', 'The Lighthouse Keeper'],
  ['frxxht', 'too-far', 'miss', 'Midnight Freight'],
  ['cpmxts', 'too-far', 'miss', 'Paper Comets'],
  ['safzrn', 'too-far', 'miss', 'Salt and Saffron'],
  ['xrbt', 'too-far', 'miss', 'Orbit of Small Things'],
  ['hxrbxr', 'too-far', 'miss', 'Glass Harbour'],
];

/** The demo labels resolved to title ids; throws when a labelled name is not in the catalog. */
export function demoQueries(titles: readonly SnapshotTitle[]): LabelledQuery[] {
  const idsByName = new Map(titles.map((t) => [t.name, t.titleId]));
  return DEMO_LABELS.map(([query, kind, expect, names]) => ({
    query,
    kind,
    expect,
    titleIds: names.split('|').map((name) => {
      const titleId = idsByName.get(name);
      if (titleId === undefined) throw new Error(`Labelled title "${name}" is not in the demo catalog.`);
      return titleId;
    }),
  }));
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const ACCENTS: Readonly<Record<string, string>> = { a: 'á', e: 'é', i: 'í', o: 'ó', u: 'ú', n: 'ñ', c: 'ç' };

/**
 * `perKind` queries of each kind for titles picked at random: the title's least common name word
 * (of five letters or more) with one mistake of that kind, or beyond its typo budget for `miss`.
 */
export function syntheticQueries(
  titles: readonly SnapshotTitle[],
  perKind: number,
  seed = 9,
): LabelledQuery[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const letter = () => pick([...LETTERS]);
  const documentFrequency = new Map<string, number>();
  for (const title of titles)
    for (const word of new Set(foldText(title.name).split(' ')))
      documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
  const rarestWord = (title: SnapshotTitle): { word: string; raw: string } | undefined => {
    const candidates = title.name
      .split(' ')
      .map((raw) => ({ raw, word: foldText(raw) }))
      .filter(({ word }) => word.length >= 5);
    candidates.sort((a, b) => (documentFrequency.get(a.word) ?? 0) - (documentFrequency.get(b.word) ?? 0));
    return candidates[0];
  };
  const at = (word: string) => 1 + Math.floor(random() * (word.length - 2)); // not the first letter
  const different = (c: string) => {
    let replacement = letter();
    while (replacement === c) replacement = letter();
    return replacement;
  };
  const mistakes: Record<
    Exclude<QueryKind, 'cast' | 'genre' | 'ranking'>,
    (word: string, raw: string) => string | undefined
  > = {
    exact: (word) => word,
    prefix: (word) => word.slice(0, 4),
    substitution: (word) => {
      const i = at(word);
      return word.slice(0, i) + different(word[i] ?? '') + word.slice(i + 1);
    },
    deletion: (word) => {
      const i = at(word);
      return word.slice(0, i) + word.slice(i + 1);
    },
    insertion: (word) => {
      const i = at(word);
      return word.slice(0, i) + letter() + word.slice(i);
    },
    transposition: (word) => {
      const i = at(word);
      const [a, b] = [word[i] ?? '', word[i + 1] ?? ''];
      return a === b ? undefined : word.slice(0, i) + b + a + word.slice(i + 2);
    },
    // An accented name typed plainly, or a plain one typed with an accent.
    accent: (word, raw) => {
      if (raw.toLowerCase() !== word) return word;
      const i = [...word].findIndex((c) => ACCENTS[c] !== undefined);
      return i < 0 ? undefined : word.slice(0, i) + (ACCENTS[word[i] ?? ''] ?? '') + word.slice(i + 1);
    },
    'too-far': (word) => {
      // One substitution more than the budget, at distinct positions: never within reach.
      const positions = new Set<number>();
      while (positions.size < editBudget(word) + 1) positions.add(at(word));
      return [...word].map((c, i) => (positions.has(i) ? different(c) : c)).join('');
    },
  };
  const queries: LabelledQuery[] = [];
  for (const [kind, mistake] of Object.entries(mistakes) as [
    QueryKind,
    (w: string, r: string) => string | undefined,
  ][]) {
    let made = 0;
    for (let attempt = 0; made < perKind && attempt < perKind * 20; attempt += 1) {
      const title = pick(titles);
      const chosen = rarestWord(title);
      const query = chosen && mistake(chosen.word, chosen.raw);
      if (!chosen || query === undefined) continue;
      queries.push({ query, kind, expect: kind === 'too-far' ? 'miss' : 'find', titleIds: [title.titleId] });
      made += 1;
    }
  }
  return queries;
}
