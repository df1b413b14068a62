/**
 * Check-digit algorithms of the identifiers that decide matches. Each takes digits only (already normalised)
 * and returns a reason string when the number is wrong, undefined when it is fine.
 */

function digits(value: string): number[] {
  return Array.from(value, (c) => c.charCodeAt(0) - 48);
}

/** Kazakh BIN/IIN check digit (DOMAIN.md): undefined when both weight passes give 10 (no valid number). */
export function kzCheckDigit(first11: number[]): number | undefined {
  let s = first11.reduce((sum, d, i) => sum + d * (i + 1), 0) % 11;
  if (s === 10) {
    const weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
    s = first11.reduce((sum, d, i) => sum + d * weights[i], 0) % 11;
    if (s === 10) return undefined;
  }
  return s;
}

function kzChecksum(value: string): string | undefined {
  if (!/^\d{12}$/.test(value)) return 'must be 12 digits';
  const d = digits(value);
  const check = kzCheckDigit(d.slice(0, 11));
  if (check === undefined) return 'no valid check digit exists for this number';
  return check === d[11] ? undefined : 'check digit mismatch';
}

/** BIN: YYMM of registration, digit 5 type (4 resident, 5 non-resident, 6 individual entrepreneur), digit 6 unit (0-3). */
export function checkKzBin(value: string): string | undefined {
  if (!/^\d{12}$/.test(value)) return 'must be 12 digits';
  const month = Number(value.slice(2, 4));
  if (month < 1 || month > 12) return 'registration month must be 01-12';
  if (!'456'.includes(value[4])) return 'digit 5 (entity type) must be 4, 5 or 6';
  if (!'0123'.includes(value[5])) return 'digit 6 (unit) must be 0-3';
  return kzChecksum(value);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= days[month - 1];
}

/** IIN: YYMMDD birth date, digit 7 century+sex (1-2 19th, 3-4 20th, 5-6 21st century; 0 = century not coded). */
export function checkKzIin(value: string): string | undefined {
  if (!/^\d{12}$/.test(value)) return 'must be 12 digits';
  const yy = Number(value.slice(0, 2));
  const month = Number(value.slice(2, 4));
  const day = Number(value.slice(4, 6));
  const centuryDigit = Number(value[6]);
  if (centuryDigit > 6) return 'digit 7 (century and sex) must be 0-6';
  // With digit 7 = 0 the century is unknown, so the date only has to exist in some century (29 Feb of "00").
  const centuries = centuryDigit === 0 ? [1800, 1900, 2000] : [1800 + 100 * Math.floor((centuryDigit - 1) / 2)];
  if (!centuries.some((c) => validDay(c + yy, month, day))) return 'digits 1-6 are not a valid birth date';
  return kzChecksum(value);
}

function weighted(d: number[], weights: number[]): number {
  return (weights.reduce((sum, w, i) => sum + w * d[i], 0) % 11) % 10;
}

/** Russian INN: 10 digits (organisations) or 12 (individuals), weighted mod 11 mod 10. */
export function checkInn(value: string): string | undefined {
  const d = digits(value);
  if (/^\d{10}$/.test(value)) {
    return weighted(d, [2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[9] ? undefined : 'check digit mismatch';
  }
  if (/^\d{12}$/.test(value)) {
    const c11 = weighted(d, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
    const c12 = weighted(d, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
    return c11 === d[10] && c12 === d[11] ? undefined : 'check digit mismatch';
  }
  return 'must be 10 or 12 digits';
}

/** OGRN (13 digits, first 12 mod 11, then mod 10) and OGRNIP (15 digits, first 14 mod 13, then mod 10). */
export function checkOgrn(value: string): string | undefined {
  let modulus: bigint;
  if (/^\d{13}$/.test(value)) modulus = 11n;
  else if (/^\d{15}$/.test(value)) modulus = 13n;
  else return 'must be 13 digits (OGRN) or 15 digits (OGRNIP)';
  const body = BigInt(value.slice(0, -1));
  const check = Number((body % modulus) % 10n);
  return check === Number(value[value.length - 1]) ? undefined : 'check digit mismatch';
}

/** IMO ship number: 7 digits, first six weighted 7..2, sum mod 10 is the last digit. */
export function checkImo(value: string): string | undefined {
  if (!/^\d{7}$/.test(value)) return 'must be 7 digits';
  const d = digits(value);
  const sum = d.slice(0, 6).reduce((s, x, i) => s + x * (7 - i), 0);
  return sum % 10 === d[6] ? undefined : 'check digit mismatch';
}
