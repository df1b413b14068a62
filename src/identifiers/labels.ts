/**
 * The words lists put in front of an identifier ("Tax ID No.", "NIT #", "Vessel Registration Identification IMO")
 * mapped to our identifier types, and the country rules that turn a generic tax or registration number into the
 * Russian INN/OGRN or Kazakh BIN/IIN it really is (those are what declarations carry and what the engine matches).
 */
import type { EntityKind, IdentifierRef, IdentifierType } from '../domain/list-entry';
import { checkInn, checkKzBin, checkKzIin, checkOgrn } from './checksums';

const LABELS: Record<Exclude<IdentifierType, 'EORI'>, string[]> = {
  IMO: [
    'Vessel Registration Identification IMO',
    'Identification Number IMO',
    'Vessel Registration Identification',
    'IMO Number',
    'IMO',
  ],
  PASSPORT: ['Diplomatic Passport', 'Passport No.', 'Passport Number', 'Passport'],
  NATIONAL_ID: [
    'National ID No.',
    'National ID Number',
    'National Identification Number',
    'National Foreign ID Number',
    'Personal ID Card',
    'Identification Number',
    'Identity Card',
    'Cedula No.',
    'D.N.I.',
    'C.U.R.P.',
    'CURP #',
    'C.U.I.P.',
    'Numero de Identidad',
    'Electoral Registry No.',
    'Credencial electoral',
    'I.F.E.',
    'SSN',
    'LE Number',
    'Birth Certificate Number',
    'Kenyan ID No.',
    'Residency Number',
    'Personal Numerical Code',
    'N.I.E.',
    "Citizen's Card Number",
    'Stateless Person ID Card',
    'Refugee ID Card',
  ],
  TAX_ID: [
    'Tax ID No.',
    'Tax Identification Number',
    'Taxpayer Identification Number',
    'Tax Number',
    'TIN',
    'V.A.T. Number',
    'VAT Number',
    'R.F.C.',
    'RFC',
    'NIT #',
    'RUC #',
    'RIF #',
    'RTN',
    'US FEIN',
    'Italian Fiscal Code',
    'Fiscal Code',
    'C.U.I.T.',
    'CUIT',
  ],
  REGISTRATION: [
    'Registration ID',
    'Registration Number',
    'Business Registration Number',
    'Business Registration Document #',
    'Business Number',
    'UK Company Number',
    'Company Number',
    'Commercial Registry Number',
    'Commercial Registry',
    'Matricula Mercantil No',
    'Folio Mercantil No.',
    'Chamber of Commerce Number',
    'Istanbul Chamber of Commerce Number',
    'Certificate of Incorporation Number',
    'Public Registration Number',
    'Trade License No.',
    'C.R. No.',
    'Registered Charity No.',
    'Government Gazette Number',
    'Unified Social Credit Code (USCC)',
    'Enterprise Number',
    'Economic Register Number (CBLS)',
  ],
  SWIFT: ['SWIFT/BIC', 'SWIFT'],
  INN: ['INN'],
  OGRN: ['OGRN', 'OGRNIP'],
  BIN: ['BIN'],
  IIN: ['IIN'],
  OTHER: [
    // An IMO *company* number has no ship check digit and lives in another number space than ship IMO numbers,
    // so it must never exact-match a vessel's IMO: kept as OTHER.
    'Company Number IMO',
    'MMSI',
    'D-U-N-S Number',
    'Legal Entity Number',
    'BIK (RU)',
    "Aircraft Manufacturer's Serial Number (MSN)",
    'Aircraft Mode S Transponder Code',
    "Driver's License No.",
    'Cartilla de Servicio Militar Nacional',
    'Aircraft Tail Number',
  ],
};

interface LabelRule {
  label: string;
  type: IdentifierType;
  prefix: RegExp;
  whole: RegExp;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
}

// Longest label first, so "Company Number IMO" wins over "Company Number" and "Diplomatic Passport" over "Passport".
// Short acronyms (INN, SSN, IMO...) match case-sensitively so that ordinary words never read as labels.
const RULES: LabelRule[] = Object.entries(LABELS)
  .flatMap(([type, labels]) =>
    labels.map((label) => {
      const flags = label.length <= 4 ? '' : 'i';
      return {
        label,
        type: type as IdentifierType,
        prefix: new RegExp(`^${escape(label)}(?:[\\s:]+|$)`, flags),
        whole: new RegExp(`^${escape(label)}[\\s:.-]*$`, flags),
      };
    }),
  )
  .sort((a, b) => b.label.length - a.label.length);

/** "Tax ID No. 7704681172 (Russia)" -> { type TAX_ID, label "Tax ID No.", rest "7704681172 (Russia)" }. */
export function matchIdentifierLabel(text: string): { type: IdentifierType; label: string; rest: string } | undefined {
  for (const rule of RULES) {
    const m = rule.prefix.exec(text);
    if (m) return { type: rule.type, label: rule.label, rest: text.slice(m[0].length) };
  }
  return undefined;
}

/** A label standing alone (CSL `ids`, UN TYPE_OF_DOCUMENT) -> type, or undefined when it is not an identifier. */
export function classifyIdentifierLabel(label: string): IdentifierType | undefined {
  const text = label.trim();
  return RULES.find((rule) => rule.whole.test(text))?.type;
}

const GENERIC: ReadonlySet<IdentifierType> = new Set(['TAX_ID', 'REGISTRATION', 'NATIONAL_ID']);

/**
 * Upgrades a generic number to INN / OGRN / BIN / IIN when its country makes the meaning certain:
 * - stated country RU: tax number of 10/12 digits -> INN, registration number of 13/15 digits -> OGRN (Russia has
 *   no other tax or state-registration numbers of those lengths);
 * - country KZ: a 12-digit tax/registration/national number -> IIN for persons, BIN otherwise, but only when it
 *   passes the BIN/IIN checks, because Kazakhstan's older RNN tax numbers also had 12 digits;
 * - no stated country but the entry is tied to RU (or KZ): the same rules, but only when the check digit is valid,
 *   because OFAC often omits "(Russia)" after the numbers of Moscow companies.
 */
export function refineIdentifier(
  ref: IdentifierRef,
  kind: EntityKind,
  entryCountries: readonly string[],
): IdentifierRef {
  if (!GENERIC.has(ref.type) || !/^\d+$/.test(ref.value)) return ref;
  const stated = ref.country;
  const candidates = stated ? [stated] : entryCountries.filter((c) => c === 'RU' || c === 'KZ');
  for (const country of candidates) {
    const type = upgradedType(ref.type, ref.value, country, kind);
    if (!type) continue;
    const mustCheck = !stated || country === 'KZ';
    if (mustCheck && checkFor(type, ref.value) !== undefined) continue;
    return { ...ref, type, country };
  }
  return ref;
}

function upgradedType(
  type: IdentifierType,
  value: string,
  country: string,
  kind: EntityKind,
): IdentifierType | undefined {
  const len = value.length;
  if (country === 'RU') {
    if (type === 'TAX_ID' && (len === 10 || len === 12)) return 'INN';
    if (type === 'REGISTRATION' && (len === 13 || len === 15)) return 'OGRN';
  }
  if (country === 'KZ' && len === 12) return kind === 'person' ? 'IIN' : 'BIN';
  return undefined;
}

function checkFor(type: IdentifierType, value: string): string | undefined {
  switch (type) {
    case 'INN':
      return checkInn(value);
    case 'OGRN':
      return checkOgrn(value);
    case 'BIN':
      return checkKzBin(value);
    case 'IIN':
      return checkKzIin(value);
    default:
      return undefined;
  }
}
