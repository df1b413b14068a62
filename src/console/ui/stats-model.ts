/**
 * The dashboard's pure logic (no DOM): statistics types as the API answers them (src/stats/stats.schemas.ts), period
 * presets, CSV for each table, and the origin x destination matrix. Unit-tested in stats-model.test.ts.
 */
import type { CasesResponse, HitsResponse, OutcomesResponse, ReexportResponse } from '../../stats/stats.schemas';

export type OutcomePoint = OutcomesResponse['series'][number];
export type HitItem = HitsResponse['items'][number];
export type CasesStats = Omit<CasesResponse, 'from' | 'to'>;
export type ReexportItem = ReexportResponse['items'][number];

export interface DashboardFilter {
  from: string;
  to: string;
  organization: string;
  interval: 'day' | 'week';
}

export const PRESETS = [
  ['30d', 'Last 30 days'],
  ['7d', 'Last 7 days'],
  ['90d', 'Last 90 days'],
  ['365d', 'Last 365 days'],
  ['month', 'This month'],
  ['prev-month', 'Previous month'],
  ['custom', 'Custom dates'],
] as const;
export type Preset = (typeof PRESETS)[number][0];

const day = (d: Date) => d.toISOString().slice(0, 10);

/** A preset's first and last day (UTC, inclusive), as the API counts days. */
export function presetRange(preset: Preset, now: Date = new Date()): { from: string; to: string } {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const back = (n: number) => day(new Date(today.getTime() - n * 86_400_000));
  switch (preset) {
    case '7d':
      return { from: back(6), to: day(today) };
    case '90d':
      return { from: back(89), to: day(today) };
    case '365d':
      return { from: back(364), to: day(today) };
    case 'month':
      return { from: day(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1))), to: day(today) };
    case 'prev-month':
      return {
        from: day(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1))),
        to: day(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 0))),
      };
    default:
      return { from: back(29), to: day(today) };
  }
}

/** The filter from the page's hash query, with the last 30 days by default. */
export function filterFromQuery(q: URLSearchParams, now: Date = new Date()): DashboardFilter & { preset: Preset } {
  const valid = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);
  const preset = (PRESETS.find(([p]) => p === q.get('period'))?.[0] ?? '30d') as Preset;
  const range =
    preset === 'custom'
      ? {
          from: valid(q.get('from')) ?? presetRange('30d', now).from,
          to: valid(q.get('to')) ?? presetRange('30d', now).to,
        }
      : presetRange(preset, now);
  return {
    ...range,
    preset,
    organization: (q.get('organization') ?? '').trim(),
    interval: q.get('interval') === 'week' ? 'week' : 'day',
  };
}

type Cell = string | number | null | undefined;

export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(headers: string[], rows: Cell[][]): string {
  return [headers, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export interface Matrix {
  origins: string[];
  destinations: string[];
  cells: Map<string, number>;
  max: number;
  rowTotals: Map<string, number>;
  colTotals: Map<string, number>;
}

/** Lines by origin (rows) and destination (columns), currencies added up: the heat table's numbers. */
export function routeMatrix(items: ReexportItem[]): Matrix {
  const cells = new Map<string, number>();
  const rowTotals = new Map<string, number>();
  const colTotals = new Map<string, number>();
  for (const i of items) {
    const k = `${i.originCountry}>${i.destinationCountry}`;
    cells.set(k, (cells.get(k) ?? 0) + i.lines);
    rowTotals.set(i.originCountry, (rowTotals.get(i.originCountry) ?? 0) + i.lines);
    colTotals.set(i.destinationCountry, (colTotals.get(i.destinationCountry) ?? 0) + i.lines);
  }
  const byTotal = (m: Map<string, number>) => [...m.keys()].sort((a, b) => m.get(b)! - m.get(a)! || a.localeCompare(b));
  return {
    origins: byTotal(rowTotals),
    destinations: byTotal(colTotals),
    cells,
    max: Math.max(0, ...cells.values()),
    rowTotals,
    colTotals,
  };
}

/** 0 (none) to 5 (the busiest route): the heat class of a cell. */
export function heatLevel(value: number, max: number): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.max(1, Math.ceil((value / max) * 5));
}

export function fileName(what: string, f: DashboardFilter): string {
  return `${what}_${f.from}_${f.to}${f.organization ? `_${f.organization.replace(/[^\w.-]+/g, '-')}` : ''}.csv`;
}
