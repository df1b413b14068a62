import type { Writable } from 'node:stream';
import { once } from 'node:events';
import type { DataSource } from 'typeorm';
import { EVENT_COLUMNS, type EventRow } from './audit-chain';

export interface ExportFilter {
  from?: Date;
  to?: Date;
  action?: string;
  subjectId?: string;
}

export interface ExportManifest {
  rowCount: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** The chain head when the export was taken: keep it outside the database to detect a later rewrite. */
  chainHeadSeq: number;
  chainHeadHash: string | null;
  filter: Record<string, string>;
  generatedAt: string;
}

export type ExportFormat = 'ndjson' | 'csv';

const BATCH = 5000;
const CSV_COLUMNS = ['seq', 'occurredAt', 'actorKeyId', 'actorRole', 'actorOrganization', 'action', 'subjectType', 'subjectId', 'data', 'prevHash', 'hash'];

function csvCell(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function toPublic(row: EventRow) {
  return {
    seq: Number(row.seq),
    occurredAt: row.occurred_at,
    actor: row.actor,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    data: row.data,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function formatRow(row: EventRow, format: ExportFormat): string {
  if (format === 'ndjson') return `${JSON.stringify(toPublic(row))}\n`;
  const cells = [
    String(row.seq), row.occurred_at, row.actor.keyId, row.actor.role, row.actor.organization, row.action,
    row.subject_type, row.subject_id, JSON.stringify(row.data), row.prev_hash, row.hash,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/**
 * Streams sealed events in chain order with keyset pagination (constant memory, no long transaction), honouring
 * backpressure, then a manifest: NDJSON's last line is `{"manifest": {...}}`; CSV's last line is a `#manifest,` comment
 * row holding the same JSON.
 */
export async function exportEvents(dataSource: DataSource, out: Writable, format: ExportFormat, filter: ExportFilter): Promise<ExportManifest> {
  const [head] = await dataSource.query(`SELECT seq, hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`);
  const headSeq = head ? Number(head.seq) : 0;
  const conditions = ['seq IS NOT NULL', 'seq > $1', 'seq <= $2'];
  const params: unknown[] = [0, headSeq];
  if (filter.from) { params.push(filter.from); conditions.push(`occurred_at >= $${params.length}`); }
  if (filter.to) { params.push(filter.to); conditions.push(`occurred_at < $${params.length}`); }
  if (filter.action) { params.push(filter.action); conditions.push(`action = $${params.length}`); }
  if (filter.subjectId) { params.push(filter.subjectId); conditions.push(`subject_id = $${params.length}`); }
  const sql = `SELECT ${EVENT_COLUMNS} FROM audit_events WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT ${BATCH}`;

  if (format === 'csv') await write(out, `${CSV_COLUMNS.join(',')}\r\n`);
  let rowCount = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  for (;;) {
    params[0] = lastSeq ?? 0;
    const rows: EventRow[] = await dataSource.query(sql, params);
    if (rows.length === 0) break;
    let chunk = '';
    for (const row of rows) chunk += formatRow(row, format);
    await write(out, chunk);
    rowCount += rows.length;
    firstSeq ??= Number(rows[0].seq);
    lastSeq = Number(rows[rows.length - 1].seq);
    if (rows.length < BATCH || out.destroyed) break;
  }
  const manifest: ExportManifest = {
    rowCount,
    firstSeq,
    lastSeq,
    chainHeadSeq: headSeq,
    chainHeadHash: head ? head.hash : null,
    filter: Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : String(v)])),
    generatedAt: new Date().toISOString(),
  };
  await write(out, format === 'ndjson' ? `${JSON.stringify({ manifest })}\n` : `#manifest,${csvCell(JSON.stringify(manifest))}\r\n`);
  return manifest;
}

async function write(out: Writable, text: string): Promise<void> {
  if (out.destroyed) return;
  if (!out.write(text)) await Promise.race([once(out, 'drain'), once(out, 'close')]);
}
