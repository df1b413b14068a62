/**
 * The statistics counted again in plain TypeScript from the raw rows, by the rules stated in src/stats/stats-facts.ts,
 * so the tests compare the service's SQL (rollups and live) with an independent count.
 */
export interface RawDeclaration {
  id: string;
  organization: string;
  procedure: string;
  day: string;
  body: {
    countryOfDestination: string;
    items: { hsCode: string; countryOfOrigin: string; value: { amount: number; currency: string } }[];
  };
  outcome: 'CLEAR' | 'REVIEW' | 'BLOCK';
  hits: { kind: string; subject: string; listId?: string; entryId?: string; matched?: string; suppressed?: boolean }[];
}

/** Every declaration with its submission screening; `day` is the UTC day it was created. */
export const RAW_SQL = `SELECT d.id, d.organization, d.procedure, to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, d.body, s.outcome, s.hits
  FROM declarations d JOIN screenings s ON s.declaration_id = d.id AND s.trigger IN ('submission', 'batch')`;

export interface Filter {
  from: string;
  to: string;
  organization?: string;
}

function inRange(d: RawDeclaration, f: Filter): boolean {
  return d.day >= f.from && d.day <= f.to && (!f.organization || d.organization === f.organization);
}

function bump(m: Map<string, number>, key: string, by = 1): void {
  m.set(key, (m.get(key) ?? 0) + by);
}

export function expectedOutcomesByDay(
  rows: RawDeclaration[],
  f: Filter,
): Map<string, { clear: number; review: number; block: number }> {
  const out = new Map<string, { clear: number; review: number; block: number }>();
  for (const d of rows.filter((r) => inRange(r, f))) {
    const e = out.get(d.day) ?? { clear: 0, review: 0, block: 0 };
    e[d.outcome.toLowerCase() as 'clear' | 'review' | 'block']++;
    out.set(d.day, e);
  }
  return out;
}

const live = (d: RawDeclaration) => d.hits.filter((h) => !h.suppressed);

/** Declaration lines with at least one unsuppressed goods hit. */
function controlledLines(d: RawDeclaration) {
  const idx = new Set<number>();
  for (const h of live(d)) {
    const m = /^items\[(\d+)\]$/.exec(h.subject);
    if (h.kind === 'goods' && m) idx.add(Number(m[1]));
  }
  return [...idx].map((i) => d.body.items[i]);
}

export function expectedHits(rows: RawDeclaration[], f: Filter, by: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of rows.filter((r) => inRange(r, f))) {
    if (by === 'list' || by === 'entry') {
      for (const h of live(d))
        if (h.listId && h.entryId) bump(out, by === 'list' ? h.listId : `${h.listId}:${h.entryId}`);
      continue;
    }
    for (const item of controlledLines(d)) {
      if (by === 'hsChapter') bump(out, item.hsCode.replace(/\D/g, '').slice(0, 2));
      else if (by === 'originCountry') bump(out, item.countryOfOrigin);
      else bump(out, d.body.countryOfDestination);
    }
  }
  return out;
}

export function expectedReexport(
  rows: RawDeclaration[],
  f: Filter,
  banned: Set<string>,
): Map<string, { lines: number; value: number }> {
  const out = new Map<string, { lines: number; value: number }>();
  for (const d of rows.filter((r) => inRange(r, f) && r.procedure !== 'import')) {
    for (const item of controlledLines(d)) {
      if (!banned.has(item.countryOfOrigin)) continue;
      const key = `${item.countryOfOrigin}|${d.body.countryOfDestination}|${item.value.currency}`;
      const e = out.get(key) ?? { lines: 0, value: 0 };
      e.lines++;
      e.value += item.value.amount;
      out.set(key, e);
    }
  }
  return out;
}

/** Nearest-rank would differ from percentile_cont: this is the same linear interpolation PostgreSQL uses. */
export function percentileCont(values: number[], p: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = p * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export function utcDay(offsetDays = 0, now = Date.now()): string {
  return new Date(now + offsetDays * 86_400_000).toISOString().slice(0, 10);
}
