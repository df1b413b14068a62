/**
 * `ofac-sdn-csv`: OFAC's legacy SDN CSV files.
 *   sdn.csv      ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks
 *   alt.csv      ent_num, alt_num, alt_type, alt_name, alt_remarks                  (optional part)
 *   add.csv      ent_num, add_num, address, city/state/postal, country, add_remarks (optional part)
 *   sdn_comments ent_num, remarks continuation (OFAC cuts long Remarks and continues them here; optional part `comments`)
 * Join and memory strategy: see ofac-join.ts.
 */
import { ImportFormatError, type EntityEntry, type EntityKind } from '../../domain/list-entry';
import { EntryBuilder } from './entry-builder';
import type { ImportParts } from './import-parts';
import { ofacRows, openRelatedLookup, type OfacRow, type Related } from './ofac-join';
import { mineRemarks } from './ofac-remarks';

const KINDS: Record<string, EntityKind> = { individual: 'person', vessel: 'vessel', aircraft: 'aircraft' };

/** "UKRAINE-EO13662] [RUSSIA-EO14024" -> both programmes. */
export function splitPrograms(field: string | undefined): string[] {
  if (!field) return [];
  return field
    .split(/\]\s*\[/)
    .map((p) => p.replace(/[[\]]/g, '').trim())
    .filter((p) => p.length > 0);
}

export function buildOfacEntry(sdn: OfacRow, related: Related): EntityEntry {
  const [, name, type, program, , callSign, , , , flag, , sdnRemarks] = sdn.fields;
  if (!name) throw new ImportFormatError('SDN_Name is empty', 'sdn', sdn.line);
  // OFAC leaves SDN_Type null for entities, which are organisations.
  const kind = type ? (KINDS[type.trim().toLowerCase()] ?? 'unknown') : 'organization';
  const entry = new EntryBuilder(String(sdn.entNum), kind);
  entry.addName(name);
  for (const alt of related.alt) entry.addName(alt.fields[3]);

  const remarks = [sdnRemarks ?? '', ...related.comments.map((c) => c.fields[1] ?? '')].join('').trim();
  const mined = mineRemarks(remarks);
  for (const alias of mined.aliases) entry.addName(alias);
  for (const p of splitPrograms(program)) entry.addProgram(p);
  for (const code of mined.countries) entry.addCountryCode(code);
  for (const add of related.add) {
    entry.addCountryName(add.fields[4]);
    // add.csv: address (street), "city/state/postal" in one field, country.
    entry.addAddress({ street: add.fields[2], city: add.fields[3], country: add.fields[4] });
  }
  entry.addCountryName(flag); // a vessel's flag state
  for (const date of mined.birthDates) entry.addBirthDate(date);
  for (const id of mined.identifiers) entry.addIdentifier(id.type, id.value, id.country, id.label);
  if (callSign) entry.addIdentifier('OTHER', callSign, undefined, 'Call Sign');
  entry.addRemark(remarks);
  return entry.build();
}

export async function* importOfacSdn(parts: ImportParts): AsyncGenerator<EntityEntry> {
  const { lookup } = await openRelatedLookup(parts);
  try {
    for await (const row of ofacRows(parts, 'sdn')) {
      yield buildOfacEntry(row, await lookup.take(row.entNum));
    }
  } finally {
    await lookup.close();
  }
}
