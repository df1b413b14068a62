/**
 * `entities-csv`: our own simple list format, for in-house watch lists and lists without an official file.
 *
 *   id,name,kind,aliases,countries,programs,identifiers,addresses
 *   ACME-1,"Acme Trading LLP",organization,"ACME LLP;ТОО Акме",KZ;RU,INTERNAL,BIN:940140000385;INN:7704681172
 *
 * - UTF-8 (or Latin-1) CSV with this header row; columns may come in any order; `id` and `name` are required,
 *   the others may be left out or empty; unknown column names are rejected (they are usually typos).
 * - kind: person | organization | vessel | aircraft | unknown (empty = unknown).
 * - aliases, countries, programs: `;`-separated. countries are ISO 3166-1 alpha-2 codes.
 * - identifiers: `TYPE:VALUE` items separated by `;`, TYPE one of BIN IIN INN OGRN EORI IMO PASSPORT NATIONAL_ID
 *   REGISTRATION TAX_ID SWIFT OTHER. Values are checked (check digits for BIN/IIN/INN/OGRN/IMO, structure for
 *   EORI/SWIFT): a typo in a hand-made list would otherwise make an identifier that can never match.
 *   INN/OGRN are Russian and BIN/IIN Kazakh numbers, so those carry their country automatically.
 * - addresses: `;`-separated, each one line as written ("ул. Ангарская, д. 22, г. Москва, 125635"); compared with
 *   declared party addresses (src/screening/matching/address.ts).
 */
import { isCountryCode } from '../../identifiers/countries';
import { validateIdentifier } from '../../identifiers/validate';
import {
  IDENTIFIER_TYPES,
  ImportFormatError,
  type EntityEntry,
  type EntityKind,
  type IdentifierType,
} from '../../domain/list-entry';
import { csvRecords, type CsvRecord } from './csv-records';
import { EntryBuilder } from './entry-builder';

const PART = 'file';
const COLUMNS = ['id', 'name', 'kind', 'aliases', 'countries', 'programs', 'identifiers', 'addresses'] as const;
type Column = (typeof COLUMNS)[number];
const KINDS: readonly EntityKind[] = ['person', 'organization', 'vessel', 'aircraft', 'unknown'];
const IMPLIED_COUNTRY: Partial<Record<IdentifierType, string>> = { INN: 'RU', OGRN: 'RU', BIN: 'KZ', IIN: 'KZ' };

function list(value: string): string[] {
  return value
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function header(rec: CsvRecord): Map<Column, number> {
  const map = new Map<Column, number>();
  rec.fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!(COLUMNS as readonly string[]).includes(name)) {
      throw new ImportFormatError(`unknown column "${raw}" (expected ${COLUMNS.join(',')})`, PART, rec.line);
    }
    map.set(name as Column, i);
  });
  for (const required of ['id', 'name'] as const) {
    if (!map.has(required)) throw new ImportFormatError(`header lacks the "${required}" column`, PART, rec.line);
  }
  return map;
}

function buildEntry(get: (c: Column) => string, line: number): EntityEntry {
  const fail = (message: string): never => {
    throw new ImportFormatError(message, PART, line);
  };
  const id = get('id');
  const name = get('name');
  if (!id) fail('id is empty');
  if (!name) fail('name is empty');
  const kind = (get('kind') || 'unknown').toLowerCase() as EntityKind;
  if (!KINDS.includes(kind)) fail(`invalid kind "${get('kind')}" (expected ${KINDS.join(', ')})`);
  const entry = new EntryBuilder(id, kind);
  entry.addName(name);
  for (const alias of list(get('aliases'))) entry.addName(alias);
  for (const c of list(get('countries'))) {
    if (!isCountryCode(c.toUpperCase())) fail(`invalid country code "${c}" (expected ISO 3166-1 alpha-2)`);
    entry.addCountryCode(c);
  }
  for (const p of list(get('programs'))) entry.addProgram(p);
  for (const item of list(get('identifiers'))) {
    const colon = item.indexOf(':');
    const type = item.slice(0, Math.max(colon, 0)).trim().toUpperCase() as IdentifierType;
    const value = item.slice(colon + 1).trim();
    if (colon < 0 || !IDENTIFIER_TYPES.includes(type))
      fail(`invalid identifier "${item}" (expected TYPE:VALUE with TYPE one of ${IDENTIFIER_TYPES.join(' ')})`);
    const check = validateIdentifier(type, value);
    if (!check.valid) fail(`invalid ${type} "${value}": ${check.reason}`);
    entry.addIdentifier(type, value, IMPLIED_COUNTRY[type]);
  }
  for (const address of list(get('addresses'))) entry.addAddress({ full: address });
  return entry.build();
}

export async function* importEntitiesCsv(source: NodeJS.ReadableStream): AsyncGenerator<EntityEntry> {
  let columns: Map<Column, number> | undefined;
  let width = 0;
  for await (const rec of csvRecords(source, PART)) {
    if (!columns) {
      columns = header(rec);
      width = rec.fields.length;
      continue;
    }
    if (rec.fields.length !== width) {
      throw new ImportFormatError(`expected ${width} columns, found ${rec.fields.length}`, PART, rec.line);
    }
    const cols = columns;
    yield buildEntry((c) => {
      const i = cols.get(c);
      return i === undefined ? '' : rec.fields[i].trim();
    }, rec.line);
  }
}
