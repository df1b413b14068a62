/**
 * The rules that derive labelled cases from the real lists. Each rule names itself in the case it produces,
 * so a miss in the quality report can be traced back to the rule (and to the source entry).
 * Negatives are checked against every listed name by plain token comparison, never by the engine: a query whose
 * tokens are all contained in some listed name is not used as a negative, because flagging it is correct.
 */
import type { EntityEntry } from '../../src/domain/list-entry';
import type { NamedList } from './quality-lists';
import { CYRILLIC, LATIN } from './quality-lists';
import {
  addLegalForm,
  dropPatronymic,
  hasPatronymic,
  legalFormSwap,
  levenshtein,
  pick,
  replacePatronymic,
  romanisationVariant,
  swapOrder,
  typo,
  words,
} from './variants';

export interface QualityCase {
  query: string;
  /** "listId:entryId", null for negatives. */
  expected: string | null;
  label: 'positive' | 'negative';
  rule: string;
  /** Where the case comes from: "listId:entryId" of the source entry, or the parts used. */
  from: string;
}

export interface HeldOut {
  listId: string;
  entryId: string;
  name: string;
}

type Entry = { listId: string; e: EntityEntry };

const RUSSIAN_PROGRAM = /UKRAINE|RUSSIA|CYBER|BELARUS|RUS|BLR|UKR/;

/** Lower-case word set, punctuation removed: the script's own, engine-independent view of a name. */
export function tokenSet(name: string): string[] {
  return words(name.toLowerCase().replace(/[^\p{L}\p{N}\s,]/gu, ' '));
}

/** True when every token of `query` appears in one listed name: such a query is not a safe negative. */
export class ListedNames {
  private readonly sets: Set<string>[] = [];
  constructor(lists: readonly NamedList[]) {
    for (const l of lists) for (const e of l.entries) for (const n of e.names) this.sets.push(new Set(tokenSet(n)));
  }
  /** True when some listed name consists of exactly the query's tokens. */
  isWholeName(query: string): boolean {
    const q = new Set(tokenSet(query));
    return this.sets.some((s) => s.size === q.size && [...q].every((t) => s.has(t)));
  }
  covers(query: string): boolean {
    const q = tokenSet(query);
    return this.sets.some((s) => q.every((t) => s.has(t)));
  }
}

/** Cyrillic names of entities that also have Latin names are held out; each becomes a cross-script query. */
export function crossScript(lists: readonly NamedList[]): { cases: QualityCase[]; heldOut: HeldOut[] } {
  const cases: QualityCase[] = [];
  const heldOut: HeldOut[] = [];
  for (const l of lists.filter((x) => x.listId === 'eu-fsf' || x.listId.startsWith('ftm-'))) {
    for (const e of l.entries) {
      const cyr = e.names.filter((n) => CYRILLIC.test(n));
      const lat = e.names.filter((n) => !CYRILLIC.test(n) && LATIN.test(n));
      if (cyr.length === 0 || lat.length === 0 || !['person', 'organization'].includes(e.kind)) continue;
      for (const name of cyr) {
        heldOut.push({ listId: l.listId, entryId: e.entryId, name });
        const id = `${l.listId}:${e.entryId}`;
        cases.push({
          query: name,
          expected: id,
          label: 'positive',
          rule: 'cross-script (Cyrillic name held out)',
          from: id,
        });
      }
    }
  }
  return { cases, heldOut };
}

function sample<T>(r: () => number, items: readonly T[], n: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

export function allEntries(lists: readonly NamedList[]): Entry[] {
  return lists.flatMap((l) => l.entries.map((e) => ({ listId: l.listId, e })));
}

function positive(x: Entry, query: string, rule: string): QualityCase {
  const id = `${x.listId}:${x.e.entryId}`;
  return { query, expected: id, label: 'positive', rule, from: id };
}

const latinNames = (x: Entry) => x.e.names.filter((n) => !CYRILLIC.test(n) && LATIN.test(n));

/** Aliases as listed (OFAC alt names, UN aliases): every name of an entry must be matched, not only the first. */
export function aliases(lists: readonly NamedList[], r: () => number, n: number): QualityCase[] {
  const pool = allEntries(lists).filter(
    (x) => ['ofac-sdn-2019', 'ofac-2025', 'un'].includes(x.listId) && x.e.names.length > 1,
  );
  return sample(r, pool, n).map((x) => positive(x, pick(r, x.e.names.slice(1)), 'alias as listed'));
}

/** Systematic variants of listed names: word order, dropped patronymic, typo, romanisation, legal form. */
export function variants(lists: readonly NamedList[], r: () => number, perRule: number): QualityCase[] {
  const entries = allEntries(lists).filter((x) => latinNames(x).length > 0);
  const persons = entries.filter((x) => x.e.kind === 'person');
  const orgs = entries.filter((x) => x.e.kind === 'organization' || x.e.kind === 'unknown');
  const russian = persons.filter(
    (x) => latinNames(x).some(hasPatronymic) || x.e.programs.some((p) => RUSSIAN_PROGRAM.test(p)),
  );
  const out: QualityCase[] = [];
  for (const x of sample(
    r,
    persons.filter((p) => latinNames(p).some((nm) => words(nm).length >= 2)),
    perRule,
  )) {
    const name = pick(
      r,
      latinNames(x).filter((nm) => words(nm).length >= 2),
    );
    out.push(positive(x, swapOrder(name), 'word order'));
  }
  for (const x of sample(
    r,
    russian.filter((p) => latinNames(p).some(hasPatronymic)),
    perRule,
  )) {
    const name = pick(r, latinNames(x).filter(hasPatronymic));
    out.push(positive(x, r() < 0.5 ? dropPatronymic(name) : swapOrder(dropPatronymic(name)), 'patronymic dropped'));
  }
  for (const x of sample(r, entries, perRule * 2)) {
    const name = pick(r, latinNames(x));
    const v = typo(name, r);
    if (v !== name && tokenSet(name).length >= 2) out.push(positive(x, v, 'one-letter typo'));
  }
  for (const x of sample(r, russian, perRule * 2)) {
    const name = pick(r, latinNames(x));
    const v = romanisationVariant(name, r);
    if (v !== null && v !== name) out.push(positive(x, v, 'romanisation variant'));
  }
  for (const x of sample(r, orgs, perRule * 6)) {
    const name = pick(r, latinNames(x));
    const v = legalFormSwap(name, r);
    if (v !== null && v !== name) out.push(positive(x, v, 'legal form swapped'));
  }
  for (const x of sample(
    r,
    orgs.filter((o) => latinNames(o).every((nm) => legalFormSwap(nm, r) === null)),
    perRule / 2,
  )) {
    out.push(positive(x, addLegalForm(pick(r, latinNames(x)), r), 'legal form added'));
  }
  return out;
}

interface PersonParts {
  given: string;
  surname: string;
  patronymic?: string;
  x: Entry;
}

/** "SURNAME, Given [Patronymic]" names of persons, split by the comma the lists use. */
function personParts(lists: readonly NamedList[]): PersonParts[] {
  const out: PersonParts[] = [];
  for (const x of allEntries(lists).filter((y) => y.e.kind === 'person')) {
    const name = x.e.names[0];
    const comma = name.indexOf(',');
    if (comma <= 0 || CYRILLIC.test(name)) continue;
    const surname = name.slice(0, comma).trim();
    const rest = words(name.slice(comma + 1));
    if (rest.length === 0 || rest[0].length < 3) continue;
    const patronymic = rest.slice(1).find((w) => hasPatronymic(`X, ${w}`));
    out.push({ given: rest[0], surname, patronymic, x });
  }
  return out;
}

function reallyDifferent(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x[0] !== y[0] && levenshtein(x, y) >= 3;
}

/** Near misses: same surname with another given name, same name with another patronymic, random pairings. */
export function negatives(lists: readonly NamedList[], r: () => number, perRule: number): QualityCase[] {
  const listed = new ListedNames(lists);
  const parts = personParts(lists);
  const givens = parts.map((p) => p.given);
  const patronymics = parts.filter((p) => p.patronymic !== undefined).map((p) => p.patronymic as string);
  const out: QualityCase[] = [];
  const add = (query: string, rule: string, from: string) => {
    if (!listed.covers(query) && !out.some((c) => c.query === query))
      out.push({ query, expected: null, label: 'negative', rule, from });
  };
  for (const p of sample(r, parts, perRule * 2)) {
    const g = pick(r, givens);
    if (reallyDifferent(g, p.given))
      add(`${p.surname}, ${g}`, 'same surname, different given name', `${p.x.listId}:${p.x.e.entryId}`);
  }
  for (const p of sample(
    r,
    parts.filter((y) => y.patronymic !== undefined),
    perRule * 2,
  )) {
    // Same gender as the original (-vna / -vich): a female patronymic on a man would be a different mistake.
    const female = (p.patronymic as string).toLowerCase().endsWith('na');
    const other = pick(
      r,
      patronymics.filter((o) => o.toLowerCase().endsWith('na') === female),
    );
    const name = replacePatronymic(p.x.e.names[0], other);
    if (reallyDifferent(other, p.patronymic as string))
      add(name, 'same name, different patronymic', `${p.x.listId}:${p.x.e.entryId}`);
  }
  for (let i = 0; i < perRule * 2; i++) {
    const a = pick(r, parts);
    const b = pick(r, parts);
    if (a.x === b.x) continue;
    add(`${a.given} ${b.surname}`, 'random given name and surname from two entries', 'parts');
  }
  out.push(...companyNegatives(lists, r, perRule, listed));
  // A lone common token is covered by every name that contains it; it is a negative unless it is a whole name.
  for (const t of commonTokens(lists, 30)) {
    if (!listed.isWholeName(t))
      out.push({ query: t, expected: null, label: 'negative', rule: 'single common token', from: 'token frequency' });
  }
  return out;
}

/** Company names with their rarest word replaced by another company's word: shared generic words only. */
function companyNegatives(lists: readonly NamedList[], r: () => number, n: number, listed: ListedNames): QualityCase[] {
  const orgs = allEntries(lists).filter((x) => x.e.kind === 'organization' && !CYRILLIC.test(x.e.names[0]));
  const freq = new Map<string, number>();
  for (const x of orgs) for (const t of new Set(tokenSet(x.e.names[0]))) freq.set(t, (freq.get(t) ?? 0) + 1);
  const pool = [...freq.keys()].filter((t) => t.length >= 5 && /^[a-z]+$/.test(t));
  const out: QualityCase[] = [];
  for (const x of sample(
    r,
    orgs.filter((o) => tokenSet(o.e.names[0]).length >= 3),
    n * 2,
  )) {
    const w = words(x.e.names[0]);
    let rare = -1;
    for (let i = 0; i < w.length; i++) {
      const f = freq.get(w[i].toLowerCase().replace(/[^\p{L}\p{N}]/gu, ''));
      if (f !== undefined && w[i].length >= 4 && (rare < 0 || f < (freq.get(w[rare].toLowerCase()) ?? 1e9))) rare = i;
    }
    if (rare < 0) continue;
    const replacement = pick(r, pool).toUpperCase();
    if (levenshtein(replacement.toLowerCase(), w[rare].toLowerCase()) < 3) continue;
    const query = [...w.slice(0, rare), replacement, ...w.slice(rare + 1)].join(' ');
    if (!listed.covers(query))
      out.push({
        query,
        expected: null,
        label: 'negative',
        rule: 'company: distinctive word replaced',
        from: `${x.listId}:${x.e.entryId}`,
      });
  }
  return out.slice(0, n);
}

/** The most frequent name tokens across all lists (by entry), which alone must never be a review match. */
function commonTokens(lists: readonly NamedList[], n: number): string[] {
  const freq = new Map<string, number>();
  for (const x of allEntries(lists)) {
    const seen = new Set<string>();
    for (const name of x.e.names) for (const t of tokenSet(name)) if (/^[a-z]+$/.test(t)) seen.add(t);
    for (const t of seen) freq.set(t, (freq.get(t) ?? 0) + 1);
  }
  return [...freq]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([t]) => t);
}
