import { readFileSync } from 'node:fs';
import { normalizeHsCode } from './hs-code';

/**
 * A national tariff nomenclature (the EAEU TN VED at 10 digits, or whatever the authority configures): the codes past
 * the six HS digits, which the HS2022 nomenclature cannot check. Loaded from a CSV whose first column is the code
 * (a header row and `#` comment lines are skipped; dots and spaces in codes are ignored).
 */
export interface NationalTariff {
  source: string;
  size: number;
  /** Whether a code of 7 to 10 digits exists: a full code of the file, or the leading digits of one. */
  knows(code: string): boolean;
}

export function parseNationalTariff(text: string, source: string): NationalTariff {
  const known = new Set<string>();
  let size = 0;
  text.split(/\r?\n/).forEach((line, i) => {
    const cell =
      line
        .split(/[,;\t]/)[0]
        ?.replace(/^"|"$/g, '')
        .trim() ?? '';
    if (cell === '' || cell.startsWith('#')) return;
    const code = normalizeHsCode(cell);
    if (!code.ok || code.code.length < 7) {
      if (i === 0 && !/\d/.test(cell)) return; // the header row
      throw new Error(`national tariff file ${source}, line ${i + 1}: "${cell}" is not a 7 to 10 digit code`);
    }
    size += 1;
    for (let n = 7; n <= code.code.length; n++) known.add(code.code.slice(0, n));
  });
  if (size === 0) throw new Error(`national tariff file ${source} holds no codes`);
  return { source, size, knows: (code) => known.has(code) };
}

export function loadNationalTariff(path: string | undefined): NationalTariff | undefined {
  if (!path) return undefined;
  return parseNationalTariff(readFileSync(path, 'utf8'), path);
}
