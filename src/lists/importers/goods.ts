/**
 * `goods-tsv` / `goods-csv`: goods lists by HS code prefix. Two layouts, told apart by the header row:
 *
 *   prefix,severity,label,source        our own layout (source optional). prefix: an HS/CN/TN VED code, dots and
 *                                       spaces allowed ("8542.31", "8542 31 000 0"), 2-10 digits once normalised;
 *                                       severity: high | medium | low.
 *   hs6 tier tier_group_label_paraphrase hs2022_description_un_comtrade
 *                                       the CHPL file as published in the reference data (tab-separated):
 *                                       tiers 1 and 2 -> high, 3.A 3.B 4.A 4.B -> medium, label = HS2022 description,
 *                                       source "CHPL tier X".
 */
import { ImportFormatError, type GoodsEntry, type GoodsSeverity } from '../../domain/list-entry';
import { csvRecords, type CsvRecord } from './csv-records';

const PART = 'file';
const SEVERITIES: readonly string[] = ['high', 'medium', 'low'];
const CHPL_TIERS: Record<string, GoodsSeverity> = {
  '1': 'high',
  '2': 'high',
  '3.A': 'medium',
  '3.B': 'medium',
  '4.A': 'medium',
  '4.B': 'medium',
};

/** "8542.31.000.0" -> "8542310000"; undefined unless the result is 2-10 digits. */
export function normalizeHsPrefix(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (!/^[0-9][0-9. \u00a0]*$/.test(trimmed)) return undefined;
  const digits = trimmed.replace(/[^0-9]/g, '');
  return digits.length >= 2 && digits.length <= 10 ? digits : undefined;
}

type Layout =
  | { kind: 'own'; prefix: number; severity: number; label: number; source: number }
  | { kind: 'chpl'; hs6: number; tier: number; description: number };

function layoutOf(header: CsvRecord): Layout {
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const col = (name: string): number => names.indexOf(name);
  if (col('prefix') >= 0 && col('severity') >= 0 && col('label') >= 0) {
    return {
      kind: 'own',
      prefix: col('prefix'),
      severity: col('severity'),
      label: col('label'),
      source: col('source'),
    };
  }
  if (col('hs6') >= 0 && col('tier') >= 0 && col('hs2022_description_un_comtrade') >= 0) {
    return { kind: 'chpl', hs6: col('hs6'), tier: col('tier'), description: col('hs2022_description_un_comtrade') };
  }
  throw new ImportFormatError(
    'header must be "prefix,severity,label,source" or the CHPL header "hs6,tier,tier_group_label_paraphrase,hs2022_description_un_comtrade"',
    PART,
    header.line,
  );
}

function field(rec: CsvRecord, index: number, width: number): string {
  if (rec.fields.length !== width) {
    throw new ImportFormatError(`expected ${width} columns, found ${rec.fields.length}`, PART, rec.line);
  }
  return index >= 0 ? (rec.fields[index] ?? '').trim() : '';
}

function prefixOf(raw: string, line: number): string {
  const prefix = normalizeHsPrefix(raw);
  if (!prefix)
    throw new ImportFormatError(
      `invalid goods code "${raw}" (expected 2-10 digits, dots and spaces allowed)`,
      PART,
      line,
    );
  return prefix;
}

export async function* importGoods(source: NodeJS.ReadableStream, delimiter: string): AsyncGenerator<GoodsEntry> {
  let layout: Layout | undefined;
  let width = 0;
  for await (const rec of csvRecords(source, PART, { delimiter })) {
    if (!layout) {
      layout = layoutOf(rec);
      width = rec.fields.length;
      continue;
    }
    if (layout.kind === 'own') {
      const prefix = prefixOf(field(rec, layout.prefix, width), rec.line);
      const severity = field(rec, layout.severity, width).toLowerCase();
      if (!SEVERITIES.includes(severity)) {
        throw new ImportFormatError(`invalid severity "${severity}" (expected high, medium or low)`, PART, rec.line);
      }
      const label = field(rec, layout.label, width);
      if (!label) throw new ImportFormatError('label is empty', PART, rec.line);
      const source = field(rec, layout.source, width);
      yield { prefix, severity: severity as GoodsSeverity, label, ...(source ? { source } : {}) };
    } else {
      const prefix = prefixOf(field(rec, layout.hs6, width), rec.line);
      const tier = field(rec, layout.tier, width).toUpperCase();
      const severity = CHPL_TIERS[tier];
      if (!severity)
        throw new ImportFormatError(
          `invalid CHPL tier "${tier}" (expected 1, 2, 3.A, 3.B, 4.A or 4.B)`,
          PART,
          rec.line,
        );
      const label = field(rec, layout.description, width);
      if (!label) throw new ImportFormatError('description is empty', PART, rec.line);
      yield { prefix, severity, label, source: `CHPL tier ${tier}` };
    }
  }
  if (!layout) throw new ImportFormatError('file is empty', PART);
}
