/**
 * `csl-csv`: the US Consolidated Screening List CSV (trade.gov), mapped by header name because the columns differ
 * between exports (the 2019 export has no `_id`; newer ones start with it). Also accepts the BIS Denied Persons
 * List text file (tab-separated, header Name/Street_Address/City/State/Country/...), detected by its header.
 *
 * `ids` items are "value, label" with an optional leading country in 2019 ("US, 80-0890696, Tax ID No.") and
 * "label, value[, country]" in newer exports ("Passport, 836238033, KP"); both are read. Items whose label is not
 * an identifier (Website, Email Address, directives...) are skipped.
 */
import { createHash } from 'node:crypto';
import { countryToIso2 } from '../../identifiers/countries';
import { classifyIdentifierLabel } from '../../identifiers/labels';
import { ImportFormatError, type EntityEntry, type EntityKind } from '../../domain/list-entry';
import { csvRecordsFromText, sniffDelimiter, type CsvRecord } from './csv-records';
import { EntryBuilder } from './entry-builder';
import { decodeText } from './text-decode';

const PART = 'file';
const KINDS: Record<string, EntityKind> = {
  individual: 'person',
  entity: 'organization',
  vessel: 'vessel',
  aircraft: 'aircraft',
};

/** "Entity List (EL) - Bureau of Industry and Security" -> "Entity List". */
export function cslListName(source: string): string {
  return source
    .split(' - ')[0]
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function stableId(prefix: string, parts: string[]): string {
  return `${prefix}-${createHash('sha1').update(parts.join('|')).digest('hex').slice(0, 16)}`;
}

function splitList(value: string | undefined, separator = /;\s*/): string[] {
  return (value ?? '')
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function addCslIds(entry: EntryBuilder, ids: string | undefined): void {
  for (const item of splitList(ids)) {
    const parts = item
      .split(/,\s*/)
      .map((p) => p.trim())
      .filter((p) => p.length > 0);
    if (parts.length < 2) continue;
    const labelFirst = classifyIdentifierLabel(parts[0]);
    const labelLast = labelFirst ? undefined : classifyIdentifierLabel(parts[parts.length - 1]);
    const type = labelFirst ?? labelLast;
    if (!type) continue;
    const label = labelFirst ? parts[0] : parts[parts.length - 1];
    const rest = labelFirst ? parts.slice(1) : parts.slice(0, -1);
    let country: string | undefined;
    let value: string | undefined;
    for (const p of rest) {
      const code = /^[A-Z]{2}$/.test(p) ? countryToIso2(p) : undefined;
      if (code && !country) country = code;
      else if (value === undefined) value = p.replace(/\s*\([^)]*\)\s*/g, ' ').trim();
    }
    if (value && /\d/.test(value)) entry.addIdentifier(type, value, country, label);
  }
}

type Row = (name: string) => string | undefined;

function cslEntry(row: Row, line: number): EntityEntry {
  const source = row('source') ?? '';
  const name = row('name');
  if (!name) throw new ImportFormatError('name is empty', PART, line);
  const id =
    row('_id') ||
    row('entity_number') ||
    stableId('csl', [source, name, row('addresses') ?? '', row('start_date') ?? '']);
  const entry = new EntryBuilder(id, KINDS[(row('type') ?? '').toLowerCase()] ?? 'unknown');
  entry.addName(name);
  for (const alias of splitList(row('alt_names'))) entry.addName(alias);
  for (const p of splitList(row('programs'))) entry.addProgram(p);
  if (source) entry.addProgram(cslListName(source));
  for (const c of splitList(`${row('citizenships') ?? ''};${row('nationalities') ?? ''}`, /[;,]\s*/))
    entry.addCountryName(c);
  for (const address of splitList(row('addresses'))) {
    const last = address.split(/,\s*/).pop() ?? '';
    if (/^[A-Z]{2}$/.test(last.trim())) entry.addCountryCode(last);
    entry.addAddress({ full: address, country: /^[A-Z]{2}$/.test(last.trim()) ? last.trim() : undefined }, false);
  }
  entry.addCountryName(row('vessel_flag'));
  for (const d of splitList(row('dates_of_birth'), /[;,]\s*/)) entry.addBirthDate(d);
  addCslIds(entry, row('ids'));
  if (row('call_sign')) entry.addIdentifier('OTHER', row('call_sign'), undefined, 'Call Sign');
  entry.addRemark(row('remarks'));
  return entry.build();
}

function dplEntry(row: Row, line: number): EntityEntry {
  const name = row('name');
  if (!name) throw new ImportFormatError('Name is empty', PART, line);
  const entry = new EntryBuilder(
    stableId('dpl', [name, row('street_address') ?? '', row('city') ?? '', row('effective_date') ?? '']),
    'unknown',
  );
  entry.addName(name);
  entry.addProgram('Denied Persons List');
  // The DPL leaves Country empty for US addresses and fills State instead.
  if (row('country')) entry.addCountryCode(row('country'));
  else if (row('state')) entry.addCountryCode('US');
  entry.addAddress(
    {
      street: row('street_address'),
      city: row('city'),
      region: row('state'),
      postcode: row('postal_code'),
      country: row('country') ?? (row('state') ? 'US' : undefined),
    },
    false,
  );
  entry.addRemark(row('fr_citation'));
  return entry.build();
}

export async function* importCslCsv(source: NodeJS.ReadableStream): AsyncGenerator<EntityEntry> {
  const sniffed = await sniffDelimiter(decodeText(source, PART));
  let columns: Map<string, number> | undefined;
  let width = 0;
  let build: (row: Row, line: number) => EntityEntry = cslEntry;
  for await (const rec of csvRecordsFromText(sniffed.text, PART, { delimiter: sniffed.delimiter })) {
    if (!columns) {
      columns = headerColumns(rec);
      width = rec.fields.length;
      if (!columns.has('source')) build = dplEntry;
      continue;
    }
    if (rec.fields.length !== width) {
      throw new ImportFormatError(`expected ${width} columns, found ${rec.fields.length}`, PART, rec.line);
    }
    const fields = rec.fields;
    const cols = columns;
    yield build((name) => {
      const i = cols.get(name);
      const v = i === undefined ? undefined : fields[i].trim();
      return v ? v : undefined;
    }, rec.line);
  }
}

function headerColumns(rec: CsvRecord): Map<string, number> {
  const columns = new Map(rec.fields.map((f, i) => [f.trim().toLowerCase(), i]));
  const csl = columns.has('source') && columns.has('name');
  const dpl = columns.has('name') && columns.has('effective_date');
  if (!csl && !dpl) {
    throw new ImportFormatError(
      'header must name the CSL columns (source, name, ...) or the DPL columns (Name, Effective_Date, ...)',
      PART,
      rec.line,
    );
  }
  return columns;
}
