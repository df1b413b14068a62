/**
 * Reads OFAC legacy CSV parts (no header, `-0-` nulls) and joins alt/add/comments rows to sdn rows by ent_num.
 *
 * Join strategy: OFAC publishes all files sorted by ent_num (checked for the full 2019 list: sdn, alt and add are
 * in ascending order), and then a merge-join of the streams needs constant memory. Hand-made extracts are not
 * always sorted (the 2025 sample is not), so every part is first scanned once (streaming, which also validates
 * its syntax before any entry is emitted): if all are sorted we merge-join, otherwise we fall back to holding the
 * secondary parts (alt/add/comments, the small ones) in maps keyed by ent_num and stream sdn against them.
 * Secondary rows whose ent_num has no sdn row are ignored in both modes (the 2025 sample has some).
 */
import { ImportFormatError } from '../../domain/list-entry';
import type { ImportParts } from './import-parts';
import { csvRecords } from './csv-records';

export type OfacPart = 'sdn' | 'alt' | 'add' | 'comments';
export type SecondaryPart = Exclude<OfacPart, 'sdn'>;
export const SECONDARY_PARTS: readonly SecondaryPart[] = ['alt', 'add', 'comments'];

const COLUMN_COUNT: Record<OfacPart, number> = { sdn: 12, alt: 5, add: 6, comments: 2 };

export interface OfacRow {
  entNum: number;
  fields: (string | undefined)[];
  line: number;
}

/** `-0-`, `-0- ` and the `-0` OFAC leaves when a file ends without its final byte are null, as is an empty field. */
function nullable(value: string): string | undefined {
  const v = value.trim();
  return v === '' || /^-0-?$/.test(v) ? undefined : value;
}

export async function* ofacRows(parts: ImportParts, part: OfacPart): AsyncGenerator<OfacRow> {
  const open = parts[part];
  if (!open) throw new ImportFormatError('required part is missing', part);
  for await (const { fields, line } of csvRecords(open(), part)) {
    if (fields.length !== COLUMN_COUNT[part]) {
      throw new ImportFormatError(`expected ${COLUMN_COUNT[part]} columns, found ${fields.length}`, part, line);
    }
    const id = fields[0].trim();
    if (!/^\d+$/.test(id)) throw new ImportFormatError(`ent_num must be a number, found "${id}"`, part, line);
    yield { entNum: Number(id), fields: fields.map(nullable), line };
  }
}

/** One streaming pass: validates the part and tells whether it is sorted by ent_num. */
export async function scanOrder(parts: ImportParts, part: OfacPart): Promise<boolean> {
  let previous = -1;
  let sorted = true;
  let rows = 0;
  for await (const row of ofacRows(parts, part)) {
    rows++;
    if (part === 'sdn' && row.entNum === previous) {
      throw new ImportFormatError(`duplicate ent_num ${row.entNum}`, part, row.line);
    }
    if (row.entNum < previous) sorted = false;
    previous = row.entNum;
  }
  if (rows === 0) throw new ImportFormatError('file is empty', part);
  return sorted;
}

export type Related = Record<SecondaryPart, OfacRow[]>;

export interface RelatedLookup {
  /** Rows of every secondary part for `entNum`; must be called with increasing ent_nums in merge mode. */
  take(entNum: number): Promise<Related>;
  close(): Promise<void>;
}

class PeekableRows {
  private head: OfacRow | undefined;
  private done = false;

  constructor(private readonly rows: AsyncGenerator<OfacRow>) {}

  async peek(): Promise<OfacRow | undefined> {
    if (this.head === undefined && !this.done) {
      const next = await this.rows.next();
      if (next.done) this.done = true;
      else this.head = next.value;
    }
    return this.head;
  }

  shift(): void {
    this.head = undefined;
  }

  async close(): Promise<void> {
    await this.rows.return(undefined);
  }
}

class MergeLookup implements RelatedLookup {
  constructor(private readonly cursors: Partial<Record<SecondaryPart, PeekableRows>>) {}

  async take(entNum: number): Promise<Related> {
    const related: Related = { alt: [], add: [], comments: [] };
    for (const part of SECONDARY_PARTS) {
      const cursor = this.cursors[part];
      if (!cursor) continue;
      for (let row = await cursor.peek(); row && row.entNum <= entNum; row = await cursor.peek()) {
        if (row.entNum === entNum) related[part].push(row);
        cursor.shift();
      }
    }
    return related;
  }

  async close(): Promise<void> {
    for (const cursor of Object.values(this.cursors)) await cursor?.close();
  }
}

class MapLookup implements RelatedLookup {
  constructor(private readonly maps: Partial<Record<SecondaryPart, Map<number, OfacRow[]>>>) {}

  async take(entNum: number): Promise<Related> {
    const related: Related = { alt: [], add: [], comments: [] };
    for (const part of SECONDARY_PARTS) {
      const rows = this.maps[part]?.get(entNum);
      if (rows) related[part] = rows;
      this.maps[part]?.delete(entNum); // release memory as sdn advances
    }
    return related;
  }

  async close(): Promise<void> {}
}

/** Scans all parts, then builds the cheapest correct lookup; `mode` is reported for tests and logs. */
export async function openRelatedLookup(parts: ImportParts): Promise<{ lookup: RelatedLookup; mode: 'merge' | 'map' }> {
  const present = SECONDARY_PARTS.filter((p) => parts[p] !== undefined);
  let allSorted = await scanOrder(parts, 'sdn');
  for (const part of present) allSorted = (await scanOrder(parts, part)) && allSorted;
  if (allSorted) {
    const cursors: Partial<Record<SecondaryPart, PeekableRows>> = {};
    for (const part of present) cursors[part] = new PeekableRows(ofacRows(parts, part));
    return { lookup: new MergeLookup(cursors), mode: 'merge' };
  }
  const maps: Partial<Record<SecondaryPart, Map<number, OfacRow[]>>> = {};
  for (const part of present) {
    const map = new Map<number, OfacRow[]>();
    for await (const row of ofacRows(parts, part)) {
      const list = map.get(row.entNum);
      if (list) list.push(row);
      else map.set(row.entNum, [row]);
    }
    maps[part] = map;
  }
  return { lookup: new MapLookup(maps), mode: 'map' };
}
