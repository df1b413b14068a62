/**
 * Identifier comparison. An identifier match is decisive (DOMAIN.md: "identifiers matter more than names"),
 * so it must be exact on the value and plausible on the type; values are compared as upper-case alphanumerics
 * because declarations and lists format them differently ("7704 484400", "CHE-267.936.404").
 */
import { IDENTIFIER_TYPES, type IdentifierType } from '../../domain/list-entry';
import { normalizeIdentifier as normalizeIdentifierValue } from '../../identifiers/validate';

/** Shorter values (house numbers, "1", "123") match too many things to be decisive. */
export const MIN_IDENTIFIER_LENGTH = 5;

/** The shared normalisation (src/identifiers): upper-case alphanumerics, an IMO number without its "IMO" prefix. */
export function normalizeIdentifier(value: string, type: IdentifierType = 'OTHER'): string {
  return normalizeIdentifierValue(type, value);
}

/**
 * Types that can carry the same number. A list's TAX_ID is the Russian INN or the Kazakh BIN/IIN of a declaration;
 * the Kazakh BIN doubles as registration number and the IIN as national id.
 */
const FAMILIES: ReadonlyArray<ReadonlySet<string>> = [
  new Set(['TAX_ID', 'INN', 'BIN', 'IIN']),
  new Set(['REGISTRATION', 'OGRN', 'BIN']),
  new Set(['NATIONAL_ID', 'IIN', 'PASSPORT']),
];

const KNOWN = new Set<string>(IDENTIFIER_TYPES);

/** The query side is free text from a declaration or an API caller: map common spellings to our types. */
export function normalizeIdentifierType(type: string): IdentifierType {
  const t = type
    .trim()
    .toUpperCase()
    .replace(/[\s.-]+/g, '_');
  if (KNOWN.has(t)) return t as IdentifierType;
  if (t === 'TAXID' || t === 'TAX' || t === 'TIN' || t === 'VAT') return 'TAX_ID';
  if (t === 'REG' || t === 'REGNUMBER' || t === 'REGISTRATION_NUMBER' || t === 'COMPANY_NUMBER') return 'REGISTRATION';
  if (t === 'BIC') return 'SWIFT';
  if (t === 'ID' || t === 'NATIONALID') return 'NATIONAL_ID';
  return 'OTHER';
}

export function identifierTypesCompatible(queryType: IdentifierType, listType: IdentifierType): boolean {
  if (queryType === listType) return true;
  // OTHER means the source had a label we do not map; a long exact value is still very likely the same number.
  if (queryType === 'OTHER' || listType === 'OTHER') return true;
  for (const family of FAMILIES) if (family.has(queryType) && family.has(listType)) return true;
  return false;
}
