/**
 * `uk-sanctions-xml`: the UK Sanctions List published by the FCDO (root `Designations`, one `Designation` per listed
 * person, entity or ship, `UniqueID` such as RUS0251 as the entry id).
 *
 * Names: `Name1`..`Name5` are given and middle names, `Name6` the surname, or the whole name of an entity or ship.
 * Every `Names/Name` is kept (primary name first, then primary name variations and aliases, as the file orders them);
 * aliases of `AliasStrength` "Low quality" are also listed in `weakNames`, like the UN's low-quality a.k.a.s, because
 * they are short or generic and a hit on one alone deserves corroboration. Non-Latin names are ordinary names.
 * Birth dates are dd/mm/yyyy with unknown parts written `dd` or `mm`: we keep what is known (1968, 1968-05).
 */
import { countryToIso2 } from '../../identifiers/countries';
import { ImportFormatError, type EntityEntry, type EntityKind } from '../../domain/list-entry';
import { EntryBuilder } from './entry-builder';
import { child, childText, childrenNamed, xmlRecords, type XmlNode } from './xml-records';

const PART = 'file';
const KINDS: Record<string, EntityKind> = { individual: 'person', entity: 'organization', ship: 'vessel' };
const GIVEN = ['Name1', 'Name2', 'Name3', 'Name4', 'Name5'];

/** Text of every grandchild `leaf` under `node/list` (e.g. Nationalities/Nationality). */
function listTexts(node: XmlNode | undefined, list: string, leaf: string): string[] {
  const holder = node && child(node, list);
  if (!holder) return [];
  return childrenNamed(holder, leaf)
    .map((n) => n.text.trim())
    .filter(Boolean);
}

function fullName(name: XmlNode): string {
  return [...GIVEN.map((p) => childText(name, p)), childText(name, 'Name6')].filter(Boolean).join(' ');
}

/** dd/mm/yyyy -> yyyy-mm-dd; unknown day or month ("dd", "mm", "00") shortens it to yyyy-mm or yyyy. */
export function ukBirthDate(raw: string): string | undefined {
  const m = /^\s*(\d{1,2}|dd|DD|00)\/(\d{1,2}|mm|MM|00)\/(\d{4})\s*$/.exec(raw);
  if (!m) return /^\s*\d{4}\s*$/.test(raw) ? raw.trim() : undefined;
  const [, day, month, year] = m;
  if (!/^\d+$/.test(month) || Number(month) === 0) return year;
  const mm = month.padStart(2, '0');
  if (!/^\d+$/.test(day) || Number(day) === 0) return `${year}-${mm}`;
  return `${year}-${mm}-${day.padStart(2, '0')}`;
}

function addIndividual(entry: EntryBuilder, details: XmlNode | undefined): void {
  const person = details && child(details, 'Individual');
  if (!person) return;
  for (const dob of listTexts(person, 'DOBs', 'DOB')) entry.addBirthDate(ukBirthDate(dob));
  for (const nationality of listTexts(person, 'Nationalities', 'Nationality')) entry.addCountryName(nationality);
  const passports = child(person, 'PassportDetails');
  for (const p of passports ? childrenNamed(passports, 'PassportDetail') : []) {
    // The additional information often names the issuing country ("Russia"); anything else gives no country.
    entry.addIdentifier(
      'PASSPORT',
      childText(p, 'PassportNumber'),
      countryToIso2(childText(p, 'PassportAdditionalInformation')),
      'Passport',
    );
  }
  const ids = child(person, 'NationalIdentifierDetails');
  for (const d of ids ? childrenNamed(ids, 'NationalIdentifierDetail') : []) {
    entry.addIdentifier(
      'NATIONAL_ID',
      childText(d, 'NationalIdentifierNumber'),
      countryToIso2(childText(d, 'NationalIdentifierAdditionalInformation')),
      'National Identifier',
    );
  }
}

export function buildUkEntry(record: XmlNode): EntityEntry {
  const id = childText(record, 'UniqueID');
  if (!id) throw new ImportFormatError('Designation without UniqueID', PART, record.line);
  const type = childText(record, 'IndividualEntityShip')?.toLowerCase() ?? '';
  const entry = new EntryBuilder(id, KINDS[type] ?? 'unknown');
  const names = child(record, 'Names');
  const all = names ? childrenNamed(names, 'Name') : [];
  // The primary name first whatever the file's order, so names[0] is the designation's name.
  const ordered = [
    ...all.filter((n) => childText(n, 'NameType')?.toLowerCase() === 'primary name'),
    ...all.filter((n) => childText(n, 'NameType')?.toLowerCase() !== 'primary name'),
  ];
  for (const name of ordered) {
    const weak =
      childText(name, 'NameType')?.toLowerCase() === 'alias' && /low/i.test(childText(name, 'AliasStrength') ?? '');
    entry.addName(fullName(name), weak);
  }
  const nonLatin = child(record, 'NonLatinNames');
  for (const n of nonLatin ? childrenNamed(nonLatin, 'NonLatinName') : [])
    entry.addName(childText(n, 'NameNonLatinScript'));
  if (entry.nameCount === 0) throw new ImportFormatError(`Designation ${id} without a name`, PART, record.line);
  entry.addProgram(childText(record, 'RegimeName'));
  const addresses = child(record, 'Addresses');
  for (const address of addresses ? childrenNamed(addresses, 'Address') : []) {
    entry.addCountryName(childText(address, 'AddressCountry'));
    // AddressLine1..6 hold street, district and town in no fixed order: kept as one line.
    const lines = [1, 2, 3, 4, 5, 6].map((n) => childText(address, `AddressLine${n}`)).filter(Boolean);
    entry.addAddress({
      full: lines.join(', '),
      postcode: childText(address, 'AddressPostalCode'),
      country: childText(address, 'AddressCountry'),
    });
  }
  addIndividual(entry, child(record, 'IndividualDetails'));
  const company = child(record, 'EntityDetails') && child(child(record, 'EntityDetails')!, 'Entity');
  for (const number of listTexts(company, 'BusinessRegistrationNumbers', 'BusinessRegistrationNumber')) {
    entry.addIdentifier('REGISTRATION', number, undefined, 'Business Registration Number');
  }
  const ship = child(record, 'ShipDetails') && child(child(record, 'ShipDetails')!, 'Ship');
  for (const imo of listTexts(ship, 'IMONumbers', 'IMONumber'))
    entry.addIdentifier('IMO', imo, undefined, 'IMO number');
  for (const flag of listTexts(ship, 'Flags', 'Flag')) entry.addCountryName(flag);
  const un = childText(record, 'UNReferenceNumber');
  if (un) entry.addRemark(`UN reference ${un}.`);
  entry.addRemark(childText(record, 'OtherInformation'));
  return entry.build();
}

export async function* importUkSanctionsXml(source: NodeJS.ReadableStream): AsyncGenerator<EntityEntry> {
  const records = xmlRecords(source, PART, {
    root: 'Designations',
    isRecord: (path) => path.length === 2 && path[1] === 'Designation',
  });
  for await (const record of records) yield buildUkEntry(record);
}
