/**
 * Mines the free-text Remarks of an OFAC SDN row. OFAC writes a `;`-separated list of facts there
 * ("DOB 17 Apr 1993; nationality Russia; Passport 2018278055 (Russia); Tax ID No. 366110340670 (Russia);
 * a.k.a. 'LOCKBITSUPP'"), and the identifiers in it matter more for screening than the names.
 */
import { countryToIso2 } from '../../identifiers/countries';
import { matchIdentifierLabel } from '../../identifiers/labels';
import type { IdentifierType } from '../../domain/list-entry';

export interface RemarkIdentifier {
  type: IdentifierType;
  value: string;
  country?: string;
  label: string;
}

export interface MinedRemarks {
  aliases: string[];
  birthDates: string[];
  /** ISO codes from "nationality X" and "citizen X". */
  countries: string[];
  identifiers: RemarkIdentifier[];
}

const MONTHS: Record<string, string> = {
  jan: '01',
  feb: '02',
  mar: '03',
  apr: '04',
  may: '05',
  jun: '06',
  jul: '07',
  aug: '08',
  sep: '09',
  oct: '10',
  nov: '11',
  dec: '12',
};

/** "01 Jan 1960" -> 1960-01-01, "Jan 1960" -> 1960-01, "1960" -> 1960; undefined for anything else. */
export function ofacDateToIso(text: string): string | undefined {
  const m = /^(?:(\d{1,2})\s+)?(?:([A-Za-z]{3})[a-z]*\.?\s+)?(\d{4})$/.exec(text.trim());
  if (!m) return undefined;
  const [, day, mon, year] = m;
  if (!mon) return day ? undefined : year;
  const month = MONTHS[mon.toLowerCase()];
  if (!month) return undefined;
  return day ? `${year}-${month}-${day.padStart(2, '0')}` : `${year}-${month}`;
}

/** "DOB circa 1951", "DOB 1955 to 1958", "DOB 01 Jan 1960 to 31 Dec 1962" -> each end as ISO. */
function parseDob(text: string): string[] {
  const cleaned = text.replace(/^circa\s+/i, '');
  return cleaned
    .split(/\s+to\s+/i)
    .map(ofacDateToIso)
    .filter((d): d is string => d !== undefined);
}

const ALIAS = /^(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s*'(.+)'$/i;
const DOB = /^DOB\s+(.+)$/i;
const NATIONALITY = /^(?:nationality|citizen)\s+(.+)$/i;
// A value ends where OFAC's qualifiers start: "(Country)", "issued 14 Dec 2005", "expires ...", ", Doc. 694710".
const VALUE_END = /\s*(?:\(|\bissued\b|\bexpires\b|\bIssue Date\b|,\s)/i;

/**
 * Values may contain spaces ("RL 1794375", "HRB 26136"), but prose can follow them without punctuation
 * ("Passport OR801168 and Kuwaiti National ID No. ..."): the value ends at the first plain word after a number.
 */
function valueTokens(text: string): string {
  const kept: string[] = [];
  let seenDigit = false;
  for (const token of text.split(/\s+/)) {
    if (seenDigit && /^[A-Za-z]{3,}\.?$/.test(token)) break;
    kept.push(token);
    if (/\d/.test(token)) seenDigit = true;
  }
  return kept.join(' ');
}

function parseIdentifier(item: string): RemarkIdentifier | undefined {
  const hit = matchIdentifierLabel(item);
  if (!hit) return undefined;
  const end = hit.rest.search(VALUE_END);
  const value = valueTokens((end < 0 ? hit.rest : hit.rest.slice(0, end)).trim());
  // A number is required ("Passport details withheld" is prose), except for SWIFT codes, which can be all letters.
  if (!value || (!/\d/.test(value) && hit.type !== 'SWIFT')) return undefined;
  // Several parentheses may follow ("0582030 (Connecticut) (United States)"): the last country-like one counts.
  let country: string | undefined;
  for (const m of hit.rest.matchAll(/\(([^()]+)\)/g)) country = countryToIso2(m[1]) ?? country;
  return { type: hit.type, value, label: hit.label, ...(country ? { country } : {}) };
}

/** Splits Remarks into items; `;` inside an a.k.a. quote does not split. */
export function splitRemarks(remarks: string): string[] {
  const items: string[] = [];
  let current = '';
  let inAlias = false;
  for (let i = 0; i < remarks.length; i++) {
    const c = remarks[i];
    if (!inAlias && c === "'" && /(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s*$/i.test(current)) inAlias = true;
    else if (inAlias && c === "'" && /^\s*(?:;|\.?\s*$)/.test(remarks.slice(i + 1))) inAlias = false;
    if (c === ';' && !inAlias) {
      items.push(current);
      current = '';
    } else current += c;
  }
  items.push(current);
  return items.map((s) => s.trim().replace(/\.$/, '').trim()).filter((s) => s.length > 0);
}

export function mineRemarks(remarks: string | undefined): MinedRemarks {
  const mined: MinedRemarks = { aliases: [], birthDates: [], countries: [], identifiers: [] };
  if (!remarks) return mined;
  for (const raw of splitRemarks(remarks)) {
    const item = raw.replace(/^alt\.\s+/i, '');
    const alias = ALIAS.exec(raw);
    if (alias) {
      mined.aliases.push(alias[1]);
      continue;
    }
    const dob = DOB.exec(item);
    if (dob) {
      mined.birthDates.push(...parseDob(dob[1]));
      continue;
    }
    const nat = NATIONALITY.exec(item);
    if (nat) {
      const code = countryToIso2(nat[1]);
      if (code) mined.countries.push(code);
      continue;
    }
    const id = parseIdentifier(item);
    if (id) mined.identifiers.push(id);
  }
  return mined;
}
