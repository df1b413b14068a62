/**
 * `eu-fsf-xml`: the EU Financial Sanctions File (root `export`, namespace http://eu.europa.ec/fpi/fsd/export),
 * one `sanctionEntity` per listed person or organisation. Everything we need is in attributes.
 */
import { ImportFormatError, type EntityEntry, type EntityKind, type IdentifierType } from '../../domain/list-entry';
import { EntryBuilder } from './entry-builder';
import { childrenNamed, xmlRecords, type XmlNode } from './xml-records';

const PART = 'file';
const KINDS: Record<string, EntityKind> = {
  person: 'person',
  enterprise: 'organization',
  vessel: 'vessel',
  aircraft: 'aircraft',
};
const ID_TYPES: Record<string, IdentifierType> = {
  passport: 'PASSPORT',
  id: 'NATIONAL_ID',
  ssn: 'NATIONAL_ID',
  taxid: 'TAX_ID',
  fiscalcode: 'TAX_ID',
  regnumber: 'REGISTRATION',
  imo: 'IMO',
  swiftbic: 'SWIFT',
  bic: 'SWIFT',
};

function attr(node: XmlNode, name: string): string | undefined {
  const v = node.attrs[name]?.trim();
  return v ? v : undefined;
}

/** The full birthdate when given, else year[-month[-day]] from the parts. */
function birthDate(node: XmlNode): string | undefined {
  const full = attr(node, 'birthdate');
  if (full) return full;
  const year = attr(node, 'year');
  if (!year) return undefined;
  const month = attr(node, 'monthOfYear');
  const day = attr(node, 'dayOfMonth');
  if (!month) return year;
  return day ? `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` : `${year}-${month.padStart(2, '0')}`;
}

export function buildEuEntry(record: XmlNode): EntityEntry {
  const id = attr(record, 'logicalId') ?? attr(record, 'euReferenceNumber');
  if (!id) throw new ImportFormatError('sanctionEntity without logicalId', PART, record.line);
  const subject = childrenNamed(record, 'subjectType')[0];
  const entry = new EntryBuilder(id, KINDS[(subject && attr(subject, 'code')) ?? ''] ?? 'unknown');
  for (const alias of childrenNamed(record, 'nameAlias')) {
    const whole =
      attr(alias, 'wholeName') ??
      ['firstName', 'middleName', 'lastName']
        .map((a) => attr(alias, a))
        .filter(Boolean)
        .join(' ');
    entry.addName(whole, attr(alias, 'strong') === 'false');
  }
  if (entry.nameCount === 0) throw new ImportFormatError('sanctionEntity without a name', PART, record.line);
  for (const reg of childrenNamed(record, 'regulation')) entry.addProgram(attr(reg, 'programme'));
  for (const tag of ['citizenship', 'address']) {
    for (const node of childrenNamed(record, tag)) entry.addCountryCode(attr(node, 'countryIso2Code'));
  }
  for (const node of childrenNamed(record, 'address')) {
    entry.addAddress(
      {
        street: [attr(node, 'street'), attr(node, 'poBox') ? `PO Box ${attr(node, 'poBox')}` : undefined]
          .filter(Boolean)
          .join(', '),
        city: [attr(node, 'city'), attr(node, 'place')].filter(Boolean).join(', '),
        region: attr(node, 'region'),
        postcode: attr(node, 'zipCode'),
        country: attr(node, 'countryIso2Code'),
      },
      false,
    );
  }
  for (const node of childrenNamed(record, 'birthdate')) entry.addBirthDate(birthDate(node));
  for (const node of childrenNamed(record, 'identification')) {
    const code = (attr(node, 'identificationTypeCode') ?? '').toLowerCase();
    const label = attr(node, 'identificationTypeDescription') ?? code;
    entry.addIdentifier(
      ID_TYPES[code] ?? 'OTHER',
      attr(node, 'number') ?? attr(node, 'latinNumber'),
      attr(node, 'countryIso2Code')?.toUpperCase(),
      label,
    );
  }
  for (const remark of childrenNamed(record, 'remark')) entry.addRemark(remark.text);
  return entry.build();
}

export async function* importEuFsfXml(source: NodeJS.ReadableStream): AsyncGenerator<EntityEntry> {
  const records = xmlRecords(source, PART, {
    root: 'export',
    isRecord: (path) => path.length === 2 && path[1] === 'sanctionEntity',
  });
  for await (const record of records) yield buildEuEntry(record);
}
