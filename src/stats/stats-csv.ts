import type { CasesResponse, HitsResponse, OutcomesResponse, ReexportResponse } from './stats.schemas';

type Cell = string | number | null | undefined;

/** RFC 4180 cell; a text starting like a formula is prefixed with ' so a spreadsheet shows it instead of running it. */
export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export const csv = {
  outcomes: (r: OutcomesResponse) =>
    toCsv(
      ['period', 'clear', 'review', 'block'],
      r.series.map((s) => [s.period, s.clear, s.review, s.block]),
    ),
  hits: (r: HitsResponse) =>
    r.by === 'entry'
      ? toCsv(
          ['key', 'label', 'count', 'falsePositives', 'falsePositiveRate'],
          r.items.map((i) => [i.key, i.label, i.count, i.falsePositives, i.falsePositiveRate]),
        )
      : toCsv(
          ['key', 'label', 'count'],
          r.items.map((i) => [i.key, i.label, i.count]),
        ),
  /** One table for a nested answer: section, key, value. */
  cases: (r: CasesResponse) =>
    toCsv(
      ['section', 'key', 'value'],
      [
        ['open', '', r.open],
        ['overdue', '', r.overdue],
        ...r.ageBuckets.map((b) => ['ageBucket', b.bucket, b.count]),
        ['decisionMinutes', 'p50', r.decisionMinutes.p50],
        ['decisionMinutes', 'p90', r.decisionMinutes.p90],
        ...r.byPerson.map((p) => ['person', p.person, p.decisions]),
      ],
    ),
  reexport: (r: ReexportResponse) =>
    toCsv(
      ['originCountry', 'destinationCountry', 'lines', 'value', 'currency'],
      r.items.map((i) => [i.originCountry, i.destinationCountry, i.lines, i.value, i.currency]),
    ),
};
