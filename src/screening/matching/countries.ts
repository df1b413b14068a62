/**
 * Country codes for the country bonus/penalty. Entries carry ISO 3166-1 alpha-2 already (list-entry.ts);
 * queries come from declarations and API callers, which also write alpha-3 codes or English names.
 * An unknown spelling yields undefined so it can never cause a penalty.
 */

const NAMES: Record<string, string> = {
  RUSSIA: 'RU',
  RUSSIANFEDERATION: 'RU',
  RUS: 'RU',
  KAZAKHSTAN: 'KZ',
  KAZ: 'KZ',
  BELARUS: 'BY',
  BLR: 'BY',
  UKRAINE: 'UA',
  UKR: 'UA',
  KYRGYZSTAN: 'KG',
  KGZ: 'KG',
  ARMENIA: 'AM',
  ARM: 'AM',
  UZBEKISTAN: 'UZ',
  UZB: 'UZ',
  TAJIKISTAN: 'TJ',
  TJK: 'TJ',
  TURKMENISTAN: 'TM',
  TKM: 'TM',
  GEORGIA: 'GE',
  GEO: 'GE',
  AZERBAIJAN: 'AZ',
  AZE: 'AZ',
  CHINA: 'CN',
  CHN: 'CN',
  HONGKONG: 'HK',
  HKG: 'HK',
  IRAN: 'IR',
  IRN: 'IR',
  TURKEY: 'TR',
  TURKIYE: 'TR',
  TUR: 'TR',
  UNITEDARABEMIRATES: 'AE',
  UAE: 'AE',
  ARE: 'AE',
  UNITEDSTATES: 'US',
  USA: 'US',
  UNITEDKINGDOM: 'GB',
  GBR: 'GB',
  GERMANY: 'DE',
  DEU: 'DE',
  NORTHKOREA: 'KP',
  PRK: 'KP',
  SYRIA: 'SY',
  SYR: 'SY',
  INDIA: 'IN',
  IND: 'IN',
  SWITZERLAND: 'CH',
  CHE: 'CH',
  CYPRUS: 'CY',
  CYP: 'CY',
  LATVIA: 'LV',
  LITHUANIA: 'LT',
  ESTONIA: 'EE',
  POLAND: 'PL',
  FINLAND: 'FI',
  SERBIA: 'RS',
  MONGOLIA: 'MN',
};

/** ISO alpha-2 (upper case) of a country written as a code or an English name; undefined when unknown. */
export function normalizeCountry(country: string | undefined): string | undefined {
  if (country === undefined) return undefined;
  const key = country
    .normalize('NFKD')
    .replace(/[^A-Za-z]/g, '')
    .toUpperCase();
  if (key.length === 2) return key;
  return NAMES[key];
}

/** Alpha-2 codes of an entry, upper-cased; entries may come from importers that kept lower case (FtM). */
export function entryCountries(countries: readonly string[]): string[] {
  const out: string[] = [];
  for (const c of countries) {
    const n = normalizeCountry(c);
    if (n !== undefined && !out.includes(n)) out.push(n);
  }
  return out;
}
