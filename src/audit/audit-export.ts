import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import type { Checkpoint } from './audit-checkpoints';

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
  /** The signed checkpoint at chainHeadSeq (null for an empty chain): verifiable offline with the public key. */
  checkpoint: Checkpoint | null;
  filter: Record<string, string>;
  generatedAt: string;
}

export type ExportFormat = 'ndjson' | 'csv';

const CSV_COLUMNS = ['seq', 'occurredAt', 'actorKeyId', 'actorRole', 'actorOrganization', 'actorPerson', 'action', 'subjectType', 'subjectId', 'data', 'prevHash', 'hash'];
const OCCURRED_AT = `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * What COPY writes per event. CSV: PostgreSQL's own CSV quoting. NDJSON: one JSON text per row, copied verbatim (a
 * delimiter and quote character that JSON text never contains unescaped keep COPY from quoting anything).
 */
const COPY_SQL: Record<ExportFormat, (where: string) => string> = {
  ndjson: (where) => `COPY (SELECT json_build_object('seq', seq, 'occurredAt', ${OCCURRED_AT}, 'actor', actor, 'action', action,
      'subjectType', subject_type, 'subjectId', subject_id, 'data', data, 'prevHash', prev_hash, 'hash', hash)::text
    FROM audit_events WHERE ${where} ORDER BY seq) TO STDOUT WITH (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')`,
  csv: (where) => `COPY (SELECT seq, ${OCCURRED_AT}, actor->>'keyId', actor->>'role', actor->>'organization', actor->>'person', action, subject_type,
      subject_id, data::text, prev_hash, hash
    FROM audit_events WHERE ${where} ORDER BY seq) TO STDOUT WITH (FORMAT csv)`,
};

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Streams sealed events in chain order with PostgreSQL's COPY: bytes flow from the database socket to the response
 * with backpressure and are never turned into rows or strings, so memory stays flat for any number of events. Then a
 * manifest: NDJSON's last line is `{"manifest": {...}}`; CSV's last line is a `#manifest,` comment row holding the
 * same JSON. Events sealed after the export began (seq above the head taken first, or the checkpoint's) are left out,
 * so the manifest describes exactly what was sent.
 */
export async function exportEvents(dataSource: DataSource, out: Writable, format: ExportFormat, filter: ExportFilter, checkpoint: Checkpoint | null = null): Promise<ExportManifest> {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const client: PoolClient = await pool.connect();
  let failed: unknown;
  try {
    // With a checkpoint the export stops exactly at its signed head; events sealed since come in the next export.
    const { rows: [head] } = checkpoint
      ? { rows: [{ seq: checkpoint.seq, hash: checkpoint.hash }] }
      : await client.query(`SELECT seq, hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`);
    const headSeq = head ? Number(head.seq) : 0;
    // COPY takes no bind parameters: every value is a number or goes through the driver's literal escaping.
    const conditions = ['seq IS NOT NULL', `seq <= ${headSeq}`];
    if (filter.from) conditions.push(`occurred_at >= ${client.escapeLiteral(filter.from.toISOString())}`);
    if (filter.to) conditions.push(`occurred_at < ${client.escapeLiteral(filter.to.toISOString())}`);
    if (filter.action) conditions.push(`action = ${client.escapeLiteral(filter.action)}`);
    if (filter.subjectId) conditions.push(`subject_id = ${client.escapeLiteral(filter.subjectId)}`);
    const where = conditions.join(' AND ');
    const { rows: [stats] } = await client.query(`SELECT count(*)::int AS n, min(seq) AS first, max(seq) AS last FROM audit_events WHERE ${where}`);

    if (format === 'csv') await write(out, `${CSV_COLUMNS.join(',')}\n`);
    // An export runs as long as the client reads: DB_STATEMENT_TIMEOUT_MS is for request-path statements, not this one.
    await client.query('SET statement_timeout = 0');
    await pipeline(client.query(copyTo(COPY_SQL[format](where))), out, { end: false });
    await client.query('RESET statement_timeout');
    const manifest: ExportManifest = {
      rowCount: stats.n,
      firstSeq: stats.first === null ? null : Number(stats.first),
      lastSeq: stats.last === null ? null : Number(stats.last),
      chainHeadSeq: headSeq,
      chainHeadHash: head ? head.hash : null,
      checkpoint,
      filter: Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : String(v)])),
      generatedAt: new Date().toISOString(),
    };
    await write(out, format === 'ndjson' ? `${JSON.stringify({ manifest })}\n` : `#manifest,${csvCell(JSON.stringify(manifest))}\n`);
    return manifest;
  } catch (err) {
    failed = err;
    throw err;
  } finally {
    // A connection left mid-COPY (the client went away) is discarded rather than returned to the pool.
    client.release(failed instanceof Error ? failed : undefined);
  }
}

/** Writes and waits for the socket to drain (or close), leaving no listener behind. */
async function write(out: Writable, text: string): Promise<void> {
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
