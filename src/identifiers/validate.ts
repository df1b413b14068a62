/**
 * Identifier normalisation and validation. Lists and declarations write the same number in many ways
 * ("CHE-267.936.404", "IMO 9187629", "7704 681172"), and an identifier hit is decisive, so both sides are
 * reduced to upper-case alphanumerics before comparing.
 */
import type { IdentifierType } from '../domain/list-entry';
import { checkImo, checkInn, checkKzBin, checkKzIin, checkOgrn } from './checksums';
import { isCountryCode } from './countries';

export interface IdentifierValidation {
  valid: boolean;
  reason?: string;
}

/** Upper-case alphanumerics only; an IMO number also loses its "IMO" prefix. Non-Latin letters are kept. */
export function normalizeIdentifier(type: IdentifierType, value: string): string {
  let v = value
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
  if (type === 'IMO' && v.startsWith('IMO')) v = v.slice(3);
  return v;
}

const SWIFT = /^[A-Z]{4}([A-Z]{2})[A-Z0-9]{2}([A-Z0-9]{3})?$/;
const EORI = /^([A-Z]{2})[A-Z0-9]{1,15}$/;
// EORI numbers of Northern Ireland traders start with XI, which is not an ISO country code.
const EORI_PREFIXES = new Set(['XI']);

function result(reason: string | undefined): IdentifierValidation {
  return reason === undefined ? { valid: true } : { valid: false, reason };
}

/**
 * Validates the structure and check digit of the types that have them (BIN, IIN, INN, OGRN, IMO, EORI, SWIFT).
 * Other types (passport, national id, registration, tax id, other) have no common structure: any non-empty value
 * of at most 40 characters passes. The value is normalised first, so formatting never makes a number invalid.
 */
export function validateIdentifier(type: IdentifierType, value: string): IdentifierValidation {
  const v = normalizeIdentifier(type, value);
  if (v.length === 0) return { valid: false, reason: 'empty' };
  switch (type) {
    case 'BIN':
      return result(checkKzBin(v));
    case 'IIN':
      return result(checkKzIin(v));
    case 'INN':
      return result(checkInn(v));
    case 'OGRN':
      return result(checkOgrn(v));
    case 'IMO':
      return result(checkImo(v));
    case 'EORI': {
      const m = EORI.exec(v);
      if (!m) return result('must be a 2-letter country code followed by 1-15 letters or digits');
      return result(isCountryCode(m[1]) || EORI_PREFIXES.has(m[1]) ? undefined : `unknown country code ${m[1]}`);
    }
    case 'SWIFT': {
      const m = SWIFT.exec(v);
      if (!m)
        return result('must be 8 or 11 characters: 4 letters, country, 2 location and optional 3 branch characters');
      return result(isCountryCode(m[1]) ? undefined : `unknown country code ${m[1]}`);
    }
    default:
      return result(v.length <= 40 ? undefined : 'longer than 40 characters');
  }
}
