/**
 * Real name parts taken from the lists (OFAC writes persons as "SURNAME, Given Middle"), for synthetic lists and
 * for random non-matching queries. Parts keep their frequency: a sampled synthetic list has as many common given
 * names as the real one, which is what stresses the candidate search.
 */
import type { EntityEntry } from '../../src/domain/list-entry';
import { pick, words } from './variants';

export interface NameParts {
  givenNames: string[];
  surnames: string[];
  companyWords: string[];
}

export function extractNameParts(entries: readonly EntityEntry[]): NameParts {
  const givenNames: string[] = [];
  const surnames: string[] = [];
  const companyWords: string[] = [];
  for (const e of entries) {
    for (const name of e.names) {
      if (e.kind === 'person') {
        const comma = name.indexOf(',');
        if (comma <= 0) continue;
        surnames.push(...words(name.slice(0, comma)).filter((w) => /^[A-Za-z'-]{3,}$/.test(w)));
        const given = words(name.slice(comma + 1))[0];
        if (given !== undefined && /^[A-Za-z'-]{3,}$/.test(given)) givenNames.push(given);
      } else if (e.kind === 'organization' || e.kind === 'unknown') {
        companyWords.push(...words(name).filter((w) => /^[A-Za-z&-]{3,}$/.test(w)));
      }
    }
  }
  return { givenNames, surnames, companyWords };
}

export function personName(r: () => number, p: NameParts): string {
  const form = r();
  if (form < 0.5) return `${pick(r, p.surnames).toUpperCase()}, ${pick(r, p.givenNames)}`;
  if (form < 0.8) return `${pick(r, p.givenNames)} ${pick(r, p.givenNames)} ${pick(r, p.surnames)}`;
  return `${pick(r, p.givenNames)} ${pick(r, p.surnames)}`;
}

export function companyName(r: () => number, p: NameParts): string {
  const n = 2 + Math.floor(r() * 3);
  const w: string[] = [];
  for (let i = 0; i < n; i++) w.push(pick(r, p.companyWords));
  const form = r();
  if (form < 0.3) w.push(pick(r, ['LLC', 'LTD', 'CO., LTD.', 'GMBH', 'S.A.', 'JSC']));
  else if (form < 0.4) w.unshift(pick(r, ['OOO', 'TOO', 'AO']));
  return w.join(' ');
}
