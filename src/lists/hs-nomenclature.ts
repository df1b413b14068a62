/**
 * The HS2022 nomenclature (chapters, headings, subheadings with their descriptions) from the UN Comtrade file in
 * seed-data, to tell whether a declared code exists at all: a code that is not in HS2022 is a typo, an outdated
 * edition (the CHPL uses HS2022 codes such as 880730 that older editions lack), or a deliberately wrong code.
 * The file is small (850 kB) and read once at start-up, synchronously.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { HsLookup, HsNomenclature } from '../screening/hs-lookup';

const FILE = 'harmonized-system.csv';

/** seed-data sits next to this file in src; compiled code runs from dist/src/lists, three levels below the root. */
function defaultPath(): string {
  const candidates = [
    join(__dirname, 'seed-data', FILE),
    join(__dirname, '..', '..', '..', 'src', 'lists', 'seed-data', FILE),
  ];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

/** Builds the lookup from the CSV text (columns section,hscode,description,parent,level). */
export function parseHsNomenclature(csv: string | Buffer): HsNomenclature {
  const rows = parse(csv, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
  const descriptions = new Map<string, string>();
  const counts = { chapters: 0, headings: 0, subheadings: 0 };
  for (const row of rows) {
    const code = (row.hscode ?? '').trim();
    // "TOTAL" rows and chapter 99 ("commodities not specified according to kind") are Comtrade pseudo-codes.
    if (row.section === 'TOTAL' || !/^\d+$/.test(code) || code.startsWith('99')) continue;
    if (code.length === 2) counts.chapters++;
    else if (code.length === 4) counts.headings++;
    else if (code.length === 6) counts.subheadings++;
    else continue;
    descriptions.set(code, (row.description ?? '').trim());
  }
  return {
    counts,
    lookup(code: string): HsLookup {
      if (!/^\d{2,10}$/.test(code)) return { exists: false };
      const level = code.length >= 6 ? 6 : code.length >= 4 ? 4 : 2;
      const hsCode = code.slice(0, level);
      const description = descriptions.get(hsCode);
      return description === undefined
        ? { exists: false, hsCode, level }
        : { exists: true, hsCode, level, description };
    },
  };
}

export function loadHsNomenclature(path: string = defaultPath()): HsNomenclature {
  return parseHsNomenclature(readFileSync(path));
}
