/**
 * Synthetic entity lists for the matching benchmark, built from real name parts (name-parts.ts) so that common given
 * names and company words are as common as in the real lists - what stresses the candidate search.
 *
 * `singleNameEntries`: one Latin name per entry (the 1,000,000-name stage, unchanged since it was first measured).
 * `aliasedEntries`: entities shaped like an OpenSanctions collection (over a million entities, several million names):
 * each has a primary name and some aliases - a Cyrillic spelling, another romanisation, the other word order, a legal
 * form written another way - until `nameCount` names are written.
 */
import type { EntityEntry } from '../../src/domain/list-entry';
import { stripLegalForms } from '../../src/screening/matching/legal-forms';
import { companyName, personName, type NameParts } from './name-parts';
import { legalFormSwap, romanisationVariant, swapOrder } from './variants';

export function* singleNameEntries(parts: NameParts, count: number, r: () => number): Generator<EntityEntry> {
  for (let i = 0; i < count; i++) {
    const person = r() < 0.7;
    yield {
      entryId: `S${i}`,
      kind: person ? 'person' : 'organization',
      names: [person ? personName(r, parts) : companyName(r, parts)],
      countries: [],
      programs: ['SYNTHETIC'],
      identifiers: [],
    };
  }
}

/** Romanised Russian back to Cyrillic, digraphs first: how a Russian-language list writes the same person. */
const TO_CYRILLIC: ReadonlyArray<readonly [string, string]> = [
  ['shch', 'щ'],
  ['kh', 'х'],
  ['zh', 'ж'],
  ['ts', 'ц'],
  ['ch', 'ч'],
  ['sh', 'ш'],
  ['yu', 'ю'],
  ['ya', 'я'],
  ['ye', 'е'],
  ['iy', 'ий'],
  ['a', 'а'],
  ['b', 'б'],
  ['v', 'в'],
  ['g', 'г'],
  ['d', 'д'],
  ['e', 'е'],
  ['z', 'з'],
  ['i', 'и'],
  ['y', 'ы'],
  ['k', 'к'],
  ['l', 'л'],
  ['m', 'м'],
  ['n', 'н'],
  ['o', 'о'],
  ['p', 'п'],
  ['r', 'р'],
  ['s', 'с'],
  ['t', 'т'],
  ['u', 'у'],
  ['f', 'ф'],
  ['h', 'х'],
  ['j', 'дж'],
  ['w', 'в'],
  ['x', 'кс'],
  ['c', 'к'],
  ['q', 'к'],
];

export function toCyrillic(latin: string): string {
  let out = '';
  const s = latin.toLowerCase();
  let i = 0;
  while (i < s.length) {
    let matched = false;
    for (const [from, to] of TO_CYRILLIC) {
      if (s.startsWith(from, i)) {
        const upper = latin[i] !== s[i];
        out += upper ? to[0].toUpperCase() + to.slice(1) : to;
        i += from.length;
        matched = true;
        break;
      }
    }
    if (!matched) out += latin[i++];
  }
  return out;
}

const LEGAL_FORMS_RU = ['ООО', 'АО', 'ПАО', 'ТОО'];

export function* aliasedEntries(parts: NameParts, nameCount: number, r: () => number): Generator<EntityEntry> {
  let written = 0;
  for (let i = 0; written < nameCount; i++) {
    const person = r() < 0.7;
    const primary = person ? personName(r, parts) : companyName(r, parts);
    const names = [primary];
    if (r() < 0.45) {
      // Persons in Cyrillic as "Given Surname", companies with a Russian legal form in front.
      const base = person
        ? swapOrder(primary)
        : `${LEGAL_FORMS_RU[Math.floor(r() * LEGAL_FORMS_RU.length)]} ${primary.replace(/\b(LLC|LTD|CO\., LTD\.|GMBH|S\.A\.|JSC|OOO|TOO|AO)\b/g, '').trim()}`;
      names.push(toCyrillic(base));
    }
    if (r() < 0.35)
      names.push(
        person
          ? (romanisationVariant(primary, r) ?? swapOrder(primary))
          : (legalFormSwap(primary, r) ?? `${primary} LLC`),
      );
    if (r() < 0.3)
      names.push(person ? swapOrder(primary) : primary.toLowerCase().replace(/\b\w/g, (c) => c.toUpperCase()));
    if (r() < 0.25) names.push(person ? personName(r, parts) : companyName(r, parts)); // an unrelated-looking a.k.a.
    // An alias that comes to a name already there once normalised and stripped of its legal form is not indexed
    // twice: drop it, so that `nameCount` names are indexed.
    const seen = new Set<string>();
    const distinct = names.filter((n) => {
      const k = stripLegalForms(n).name;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    names.length = 0;
    names.push(...distinct);
    if (names.length > nameCount - written) names.length = nameCount - written;
    written += names.length;
    yield {
      entryId: `A${i}`,
      kind: person ? 'person' : 'organization',
      names,
      countries: [],
      programs: ['SYNTHETIC'],
      identifiers: [],
    };
  }
}
