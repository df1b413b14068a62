/** Formatting helpers shared by the pages; pure, so they are unit-tested without a browser. */

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local date and time, minutes precision: 2026-11-01 14:03. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A duration for people: 45 s, 12 min, 3 h 05 min, 2 d 4 h. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const hours = Math.floor(min / 60);
  if (hours < 48) return `${hours} h ${pad(min % 60)} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** A lease countdown: 4:07, or 0:00 once run out. */
export function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${pad(s % 60)}`;
}

/** 0.9312 -> "0.93". */
export function score(value: number | null | undefined): string {
  return typeof value === 'number' ? value.toFixed(2) : '—';
}

/** A datetime-local input's value (local time) as an ISO instant, or undefined when empty or invalid. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The value a datetime-local input shows for an instant, in local time. */
export function isoToLocalInput(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function money(value: { amount: number | string; currency: string } | undefined): string {
  if (!value) return '—';
  const amount = Number(value.amount);
  return `${Number.isFinite(amount) ? amount.toLocaleString('en', { maximumFractionDigits: 2 }) : String(value.amount)} ${value.currency}`;
}

export function humanize(text: string): string {
  return text
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

/** A re-screening run in a few words: "completed: 12 of 12 checked, 1 flagged (3 changed entries)". */
export function rescreenText(
  r:
    | {
        status: string;
        deltaEntries: number | null;
        candidates: number | null;
        processed: number;
        flagged: number;
        error: string | null;
      }
    | null
    | undefined,
): string {
  if (!r) return 'none';
  if (r.status === 'failed') return `failed: ${r.error ?? 'no reason given'}`;
  if (r.status === 'queued') return 'queued';
  const changed =
    r.deltaEntries === null ? '' : ` (${r.deltaEntries} changed entr${r.deltaEntries === 1 ? 'y' : 'ies'})`;
  return `${r.status}: ${r.processed} of ${r.candidates ?? '?'} checked, ${r.flagged} flagged${changed}`;
}

/** 1536 -> "1.5 KiB". */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
