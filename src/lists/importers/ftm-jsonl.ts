/**
 * `ftm-jsonl`: FollowTheMoney entities, one JSON object a line (OpenSanctions exports; the files are often named
 * .ftm.json but are JSON lines). Only party schemas become entries; detail schemas (Sanction, Address, Passport...)
 * are skipped, since joining them would need the whole file in memory, and relationship schemas (Ownership,
 * Directorship, Family...) are read by a second pass into the ownership graph (links.ts). Programmes therefore come
 * from the party's own programId/program; when it has none, its topics (e.g. "sanction", "export.control") are used
 * so the entry still says why it is listed. Every entry carries its `topics` (empty when the record has none): the
 * rule set's targetTopics decide which entries are list targets and which are context kept for the graph.
 */
import { ImportFormatError, type EntityEntry, type EntityKind, type IdentifierType } from '../../domain/list-entry';
import { EntryBuilder } from './entry-builder';
import { decodeText } from './text-decode';

const PART = 'file';
const KINDS: Record<string, EntityKind> = {
  Person: 'person',
  Company: 'organization',
  Organization: 'organization',
  PublicBody: 'organization',
  LegalEntity: 'unknown',
  Vessel: 'vessel',
  Airplane: 'aircraft',
};
/** property -> [type, country implied by the property itself] */
const ID_PROPS: Record<string, [IdentifierType, string?]> = {
  innCode: ['INN', 'RU'],
  ogrnCode: ['OGRN', 'RU'],
  taxNumber: ['TAX_ID'],
  registrationNumber: ['REGISTRATION'],
  imoNumber: ['IMO'],
  passportNumber: ['PASSPORT'],
  idNumber: ['NATIONAL_ID'],
  swiftBic: ['SWIFT'],
  vatCode: ['TAX_ID'],
  leiCode: ['OTHER'],
  mmsi: ['OTHER'],
  callSign: ['OTHER'],
};
const NAME_PROPS: [string, boolean][] = [
  ['name', false],
  ['alias', false],
  ['previousName', false],
  ['weakAlias', true],
];

interface FtmEntity {
  id?: unknown;
  schema?: unknown;
  properties?: Record<string, unknown>;
}

/** Lines of a text stream with 1-based numbers; "\r\n" endings are accepted. */
export async function* textLines(text: AsyncIterable<string>): AsyncGenerator<{ text: string; line: number }> {
  let pending = '';
  let line = 0;
  for await (const chunk of text) {
    pending += chunk;
    let start = 0;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', start)) {
      yield { text: pending.slice(start, nl).replace(/\r$/, ''), line: ++line };
      start = nl + 1;
    }
    pending = pending.slice(start);
  }
  if (pending.length > 0) yield { text: pending.replace(/\r$/, ''), line: ++line };
}

function strings(props: Record<string, unknown>, key: string): string[] {
  const v = props[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** "TIN: 183111242572" in idNumber is a tax number with its label in front. */
function idNumberValue(raw: string): [IdentifierType, string, string?] {
  const m = /^(TIN|INN|Taxpayer No\.?)\s*:?\s*(\S.*)$/i.exec(raw);
  return m ? ['TAX_ID', m[2], m[1]] : ['NATIONAL_ID', raw];
}

export function buildFtmEntry(entity: FtmEntity, kind: EntityKind, line: number): EntityEntry {
  if (typeof entity.id !== 'string' || !entity.id) throw new ImportFormatError('entity without an id', PART, line);
  const props = entity.properties && typeof entity.properties === 'object' ? entity.properties : {};
  const entry = new EntryBuilder(entity.id, kind);
  for (const [prop, weak] of NAME_PROPS) for (const n of strings(props, prop)) entry.addName(n, weak);
  if (entry.nameCount === 0)
    throw new ImportFormatError(`${String(entity.schema)} ${entity.id} has no name`, PART, line);
  for (const prop of ['country', 'nationality', 'citizenship', 'jurisdiction']) {
    for (const c of strings(props, prop)) entry.addCountryCode(c);
  }
  const programs = [...strings(props, 'programId'), ...strings(props, 'program')];
  for (const p of programs.length > 0 ? programs : strings(props, 'topics')) entry.addProgram(p);
  for (const [prop, [type, country]] of Object.entries(ID_PROPS)) {
    for (const raw of strings(props, prop)) {
      if (prop === 'idNumber') {
        const [t, value, label] = idNumberValue(raw);
        entry.addIdentifier(t, value, undefined, label ?? prop);
      } else entry.addIdentifier(type, raw, country, prop);
    }
  }
  for (const d of strings(props, 'birthDate')) entry.addBirthDate(d);
  // OpenSanctions exports copy each linked Address's text into the party's `address`; the Address records
  // themselves (addressEntity) would need a join across the file, like the other relationship schemas.
  for (const a of strings(props, 'address')) entry.addAddress({ full: a });
  return { ...entry.build(), topics: [...new Set(strings(props, 'topics'))] };
}

export async function* importFtmJsonl(source: NodeJS.ReadableStream): AsyncGenerator<EntityEntry> {
  for await (const { text, line } of textLines(decodeText(source, PART))) {
    if (text.trim() === '') continue;
    let entity: FtmEntity;
    try {
      entity = JSON.parse(text) as FtmEntity;
    } catch (err) {
      throw new ImportFormatError(`invalid JSON: ${(err as Error).message}`, PART, line);
    }
    if (!entity || typeof entity !== 'object' || Array.isArray(entity) || typeof entity.schema !== 'string') {
      throw new ImportFormatError('line is not a FollowTheMoney entity (no "schema")', PART, line);
    }
    const kind = KINDS[entity.schema];
    if (kind === undefined) continue;
    yield buildFtmEntry(entity, kind, line);
  }
}
