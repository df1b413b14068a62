/**
 * Streaming list importers: each turns the byte streams of an uploaded list version into entries, one at a time,
 * in constant memory (except the documented OFAC fallback for unsorted files, see ofac-join.ts). Malformed input
 * fails with ImportFormatError naming the part and the 1-based line; so does a part without any entry, because an
 * empty import would silently replace a list with nothing.
 */
import { ImportFormatError, type EntityEntry, type GoodsEntry } from '../../domain/list-entry';
import { importCslCsv } from './csl-csv';
import { importEntitiesCsv } from './entities-csv';
import { importEuFsfXml } from './eu-fsf-xml';
import { importFtmJsonl } from './ftm-jsonl';
import { importGoods } from './goods';
import { importOfacSdn } from './ofac-sdn';
import { importUnXml } from './un-xml';
import { importUkSanctionsXml } from './uk-sanctions-xml';
import type { ImportFormat, ImportParts } from './import-parts';

export type { ImportFormat, ImportParts } from './import-parts';

export interface FormatSpec {
  kind: 'entities' | 'goods';
  parts: string[];
  requiredParts: string[];
}

const FILE: Pick<FormatSpec, 'parts' | 'requiredParts'> = { parts: ['file'], requiredParts: ['file'] };

export const FORMATS: Record<ImportFormat, FormatSpec> = {
  'ofac-sdn-csv': { kind: 'entities', parts: ['sdn', 'alt', 'add', 'comments'], requiredParts: ['sdn'] },
  'csl-csv': { kind: 'entities', ...FILE },
  'un-xml': { kind: 'entities', ...FILE },
  'eu-fsf-xml': { kind: 'entities', ...FILE },
  'uk-sanctions-xml': { kind: 'entities', ...FILE },
  'ftm-jsonl': { kind: 'entities', ...FILE },
  'entities-csv': { kind: 'entities', ...FILE },
  'goods-tsv': { kind: 'goods', ...FILE },
  'goods-csv': { kind: 'goods', ...FILE },
};

type Importer<T> = (parts: ImportParts) => AsyncGenerator<T>;

const ENTITY_IMPORTERS: Partial<Record<ImportFormat, Importer<EntityEntry>>> = {
  'ofac-sdn-csv': importOfacSdn,
  'csl-csv': (parts) => importCslCsv(parts.file()),
  'un-xml': (parts) => importUnXml(parts.file()),
  'eu-fsf-xml': (parts) => importEuFsfXml(parts.file()),
  'uk-sanctions-xml': (parts) => importUkSanctionsXml(parts.file()),
  'ftm-jsonl': (parts) => importFtmJsonl(parts.file()),
  'entities-csv': (parts) => importEntitiesCsv(parts.file()),
};

const GOODS_IMPORTERS: Partial<Record<ImportFormat, Importer<GoodsEntry>>> = {
  'goods-tsv': (parts) => importGoods(parts.file(), '\t'),
  'goods-csv': (parts) => importGoods(parts.file(), ','),
};

async function* guarded<T>(format: ImportFormat, parts: ImportParts, run: Importer<T>): AsyncGenerator<T> {
  const spec = FORMATS[format];
  for (const part of spec.requiredParts) {
    if (typeof parts[part] !== 'function') throw new ImportFormatError(`required part is missing for ${format}`, part);
  }
  let count = 0;
  for await (const entry of run(parts)) {
    count++;
    yield entry;
  }
  if (count === 0) throw new ImportFormatError('file contains no entries', spec.requiredParts[0]);
}

function pick<T>(table: Partial<Record<ImportFormat, Importer<T>>>, format: ImportFormat, kind: string): Importer<T> {
  const run = table[format];
  if (!run) throw new Error(`${format} is not a${kind === 'entities' ? 'n entities' : ' goods'} format`);
  return run;
}

export function entityImporter(format: ImportFormat): (parts: ImportParts) => AsyncIterable<EntityEntry> {
  const run = pick(ENTITY_IMPORTERS, format, 'entities');
  return (parts) => guarded(format, parts, run);
}

export function goodsImporter(format: ImportFormat): (parts: ImportParts) => AsyncIterable<GoodsEntry> {
  const run = pick(GOODS_IMPORTERS, format, 'goods');
  return (parts) => guarded(format, parts, run);
}
