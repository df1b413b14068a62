/**
 * Search keys of a declaration (issue 13): what `GET /v1/declarations` and `GET /v1/cases` filter on, computed once
 * when the declaration is written and stored beside it in `declaration_search`. Names are folded with the matcher's
 * own steps (screening/matching: transliteration, diacritics, case, legal forms, romanisation folds), so "Vostok"
 * finds "ВОСТОК ООО" and "Dmitriy" finds "Dmitry" the way screening would; SQL only compares the stored folds.
 */
import { normalizeIdentifier } from '../identifiers/validate';
import type { IdentifierType } from '../domain/list-entry';
import { normalizeHsCode } from '../screening/hs-code';
import { prepareName } from '../screening/matching/prepared-name';
import { PARTY_ROLES, type DeclarationInput, type PartyInput } from '../screening/declaration-input';

export interface SearchKeys {
  /** Every party's folded name (legal forms removed), one per line: the pg_trgm column. */
  names: string;
  /** `TYPE:VALUE` and the bare `VALUE` (a search without a type), value normalised as the matcher does. */
  identifiers: string[];
  /** Every prefix (2 digits up) of every line's HS code, so a prefix search is an array containment. */
  hsCodes: string[];
  /** Countries of the parties, the route and the goods' origin. */
  countries: string[];
}

/**
 * The folded form of a name: the matcher's fold of each token without legal forms, lower-cased (pg_trgm compares
 * case-insensitively anyway; the fold's capitals only mark sounds such as ш or ч, which stay distinct letters apart).
 */
export function foldedName(name: string): string {
  return prepareName(name).folds.join(' ').toLowerCase();
}

export function identifierKey(type: IdentifierType, value: string): string {
  return `${type}:${normalizeIdentifier(type, value)}`;
}

export function hsPrefixes(code: string): string[] {
  const out: string[] = [];
  for (let n = 2; n <= code.length; n += 1) out.push(code.slice(0, n));
  return out;
}

/**
 * The search keys of a declaration. Also run by the backfill over stored bodies, so a part missing from an old or
 * hand-written row (no lines, no country) leaves its keys out instead of failing the migration.
 */
export function searchKeysOf(d: DeclarationInput): SearchKeys {
  const items = d.items ?? [];
  const parties: PartyInput[] = [];
  for (const role of PARTY_ROLES) if (d[role]) parties.push(d[role]!);
  for (const item of items) if (item.manufacturer) parties.push(item.manufacturer);

  const names = new Set<string>();
  const identifiers = new Set<string>();
  const countries = new Set<string>([d.countryOfDispatch, d.countryOfDestination, ...(d.transitCountries ?? [])]);
  for (const p of parties) {
    const folded = foldedName(p.name);
    if (folded) names.add(folded);
    countries.add(p.country);
    for (const id of p.identifiers ?? []) {
      const key = identifierKey(id.type, id.value);
      identifiers.add(key);
      identifiers.add(key.slice(key.indexOf(':') + 1));
    }
  }
  const hsCodes = new Set<string>();
  for (const item of items) {
    countries.add(item.countryOfOrigin);
    const hs = normalizeHsCode(item.hsCode);
    if (hs.ok) for (const p of hsPrefixes(hs.code)) hsCodes.add(p);
  }
  return {
    names: [...names].join('\n'),
    identifiers: [...identifiers],
    hsCodes: [...hsCodes],
    countries: [...countries].filter(Boolean),
  };
}

/**
 * The declaration's distinct folded names, sorted: the rows of `party_names` and `declaration_party_names`. Sorted so
 * that two submissions adding the same new names insert them in the same order (no deadlock on the dictionary's key).
 */
export function partyNames(k: SearchKeys): string[] {
  return k.names ? [...new Set(k.names.split('\n'))].sort() : [];
}

/** `listId:entryId` of every list entry the screening hit (suppressed hits too: the declaration did hit the entry). */
export function listEntryKeys(hits: ReadonlyArray<{ listId?: string; entryId?: string }>): string[] {
  const keys = new Set<string>();
  for (const h of hits) if (h.listId && h.entryId) keys.add(`${h.listId}:${h.entryId}`);
  return [...keys];
}

/*
 * The exact filters share one text[] column and one GIN index: a tag per kind keeps them apart, and several filters
 * together are one containment (`keys @> ARRAY[...]`). One index costs a submission one GIN insert instead of four.
 */
export const keyOf = {
  identifier: (k: string) => `i:${k}`,
  hsCode: (prefix: string) => `h:${prefix}`,
  country: (code: string) => `c:${code}`,
  listEntry: (k: string) => `e:${k}`,
};
export const LIST_ENTRY_TAG = 'e:';

/** The tagged exact keys of a declaration and its latest screening's list entries. */
export function exactKeys(k: SearchKeys, listEntries: readonly string[]): string[] {
  return [
    ...k.identifiers.map(keyOf.identifier),
    ...k.hsCodes.map(keyOf.hsCode),
    ...k.countries.map(keyOf.country),
    ...listEntries.map(keyOf.listEntry),
  ];
}
