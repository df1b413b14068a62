import type { Writable } from 'node:stream';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

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

/** Events a page: one query and one write each; memory holds one page at a time whatever the export's size. */
const PAGE = 1000;
const CSV_COLUMNS = ['seq', 'occurredAt', 'actorKeyId', 'actorRole', 'actorOrganization', 'action', 'subjectType', 'subjectId', 'data', 'prevHash', 'hash'];

function csvCell(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The SQL twin of csvCell. */
function sqlCsvCell(expr: string): string {
  return `(CASE WHEN ${expr} IS NULL THEN '' WHEN ${expr} ~ '[",\r\n]' THEN '"' || replace(${expr}, '"', '""') || '"' ELSE ${expr} END)`;
}

const OCCURRED_AT = `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * PostgreSQL renders each page of the export as one string (a line per event), so a million-row export costs the
 * service a few thousand strings instead of millions of row objects: time and garbage stay flat.
 */
const LINE_SQL: Record<ExportFormat, string> = {
  ndjson: `json_build_object('seq', seq, 'occurredAt', ${OCCURRED_AT}, 'actor', actor, 'action', action, 'subjectType', subject_type,
    'subjectId', subject_id, 'data', data, 'prevHash', prev_hash, 'hash', hash)::text || E'\n'`,
  csv: `concat_ws(',', seq::text, ${OCCURRED_AT}, ${sqlCsvCell("(actor->>'keyId')")}, ${sqlCsvCell("(actor->>'role')")},
    ${sqlCsvCell("(actor->>'organization')")}, ${sqlCsvCell('action')}, ${sqlCsvCell('subject_type')}, ${sqlCsvCell('subject_id')},
    ${sqlCsvCell('data::text')}, prev_hash, hash) || E'\r\n'`,
};

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
  const sql = `SELECT count(*)::int AS n, min(seq) AS first, max(seq) AS last, string_agg(line, '' ORDER BY seq) AS text
    FROM (SELECT seq, ${LINE_SQL[format]} AS line FROM audit_events WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT ${PAGE}) page`;

  if (format === 'csv') await write(out, `${CSV_COLUMNS.join(',')}\r\n`);
  let rowCount = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  // One pooled connection for the whole export, queried directly: a page is one array row, nothing else allocated.
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as PoolClient;
  try {
    for (;;) {
      params[0] = lastSeq ?? 0;
      const { rows } = await client.query<[number, string, string, string]>({ text: sql, values: params, rowMode: 'array' });
      const [n, first, last, text] = rows[0];
      if (n === 0) break;
      await write(out, text);
      rowCount += n;
      firstSeq ??= Number(first);
      lastSeq = Number(last);
      if (n < PAGE || out.destroyed) break;
    }
  } finally {
    await runner.release();
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

/** Writes and waits for the socket to drain (or close), leaving no listener behind. */
async function write(out: Writable, text: string | Buffer): Promise<void> {
  if (out.destroyed) return;
  if (out.write(text)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}
