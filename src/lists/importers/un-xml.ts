/**
 * `un-xml`: the UN Security Council Consolidated List (CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL and
 * CONSOLIDATED_LIST/ENTITIES/ENTITY).
 *
 * Alias quality: the UN marks some aliases "Low" ("low quality a.k.a.": nicknames, single words, partial names).
 * They are kept, because the UN lists them as names the person uses and dropping them can miss a true hit, but
 * they are also listed in `weakNames` so the engine can demand corroboration (identifier, birth date, country)
 * before acting on a match on such a name alone. "Good", "a.k.a." and "f.k.a." aliases are ordinary names.
 */
import { countryToIso2 } from '../../identifiers/countries';
import { classifyIdentifierLabel } from '../../identifiers/labels';
import { ImportFormatError, type EntityEntry, type IdentifierType } from '../../domain/list-entry';
import { EntryBuilder } from './entry-builder';
import { childText, childrenNamed, xmlRecords, type XmlNode } from './xml-records';

const PART = 'file';
const NAME_PARTS = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'];
const RECORD_PATHS = new Set(['CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL', 'CONSOLIDATED_LIST/ENTITIES/ENTITY']);

function documentType(raw: string | undefined): IdentifierType {
  const label = (raw ?? '').replace(/\s+/g, ' ').trim();
  // The UN also writes the passport label in French and Spanish.
  if (/^(passport|num[ée]ro de passeport|n[úu]mero de pasaporte)$/i.test(label)) return 'PASSPORT';
  return classifyIdentifierLabel(label) ?? 'OTHER';
}

/** DATE (YYYY-MM-DD), YEAR, or FROM_YEAR..TO_YEAR of one INDIVIDUAL_DATE_OF_BIRTH. */
function birthDates(node: XmlNode): string[] {
  const date = childText(node, 'DATE');
  if (date) return [date.slice(0, 10)];
  const year = childText(node, 'YEAR');
  if (year) return [year];
  return [childText(node, 'FROM_YEAR'), childText(node, 'TO_YEAR')].filter((y): y is string => y !== undefined);
}

export function buildUnEntry(record: XmlNode): EntityEntry {
  const individual = record.name === 'INDIVIDUAL';
  const ref = childText(record, 'REFERENCE_NUMBER') ?? childText(record, 'DATAID') ?? `line-${record.line}`;
  const entry = new EntryBuilder(ref, individual ? 'person' : 'organization');
  entry.addName(
    NAME_PARTS.map((p) => childText(record, p))
      .filter(Boolean)
      .join(' '),
  );
  entry.addName(childText(record, 'NAME_ORIGINAL_SCRIPT'));
  if (entry.nameCount === 0) throw new ImportFormatError(`${record.name} without FIRST_NAME`, PART, record.line);
  for (const alias of childrenNamed(record, individual ? 'INDIVIDUAL_ALIAS' : 'ENTITY_ALIAS')) {
    entry.addName(childText(alias, 'ALIAS_NAME'), childText(alias, 'QUALITY')?.toLowerCase() === 'low');
  }
  entry.addProgram(childText(record, 'UN_LIST_TYPE'));
  for (const nationality of childrenNamed(record, 'NATIONALITY')) {
    for (const value of childrenNamed(nationality, 'VALUE')) entry.addCountryName(value.text);
  }
  for (const address of childrenNamed(record, individual ? 'INDIVIDUAL_ADDRESS' : 'ENTITY_ADDRESS')) {
    entry.addCountryName(childText(address, 'COUNTRY'));
    entry.addAddress({
      street: childText(address, 'STREET'),
      city: childText(address, 'CITY'),
      region: childText(address, 'STATE_PROVINCE'),
      postcode: childText(address, 'ZIP_CODE'),
      country: childText(address, 'COUNTRY'),
    });
  }
  for (const dob of childrenNamed(record, 'INDIVIDUAL_DATE_OF_BIRTH'))
    for (const d of birthDates(dob)) entry.addBirthDate(d);
  for (const doc of childrenNamed(record, 'INDIVIDUAL_DOCUMENT')) {
    const number = childText(doc, 'NUMBER');
    if (!number) continue;
    const label = childText(doc, 'TYPE_OF_DOCUMENT')?.replace(/\s+/g, ' ');
    const country = countryToIso2(childText(doc, 'ISSUING_COUNTRY') ?? childText(doc, 'COUNTRY_OF_ISSUE'));
    entry.addIdentifier(documentType(label), number, country, label);
  }
  entry.addRemark(childText(record, 'COMMENTS1'));
  return entry.build();
}

export async function* importUnXml(source: NodeJS.ReadableStream): AsyncGenerator<EntityEntry> {
  const records = xmlRecords(source, PART, {
    root: 'CONSOLIDATED_LIST',
    isRecord: (path) => path.length === 3 && RECORD_PATHS.has(path.join('/')),
  });
  for await (const record of records) {
    yield buildUnEntry(record);
  }
}
