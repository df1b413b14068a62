import type { Writable } from 'node:stream';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import {
  copyEvents,
  exportConditions,
  exportConnection,
  exportStats,
  sealedHeadOn,
  type Checkpoint,
  type ExportFilter,
  type ExportFormat,
} from './audit.repository';

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

const CSV_COLUMNS = [
  'seq',
  'occurredAt',
  'actorKeyId',
  'actorRole',
  'actorOrganization',
  'actorPerson',
  'action',
  'subjectType',
  'subjectId',
  'data',
  'prevHash',
  'hash',
];

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
export async function exportEvents(
  dataSource: DataSource,
  out: Writable,
  format: ExportFormat,
  filter: ExportFilter,
  checkpoint: Checkpoint | null = null,
): Promise<ExportManifest> {
  const client: PoolClient = await exportConnection(dataSource);
  let failed: unknown;
  try {
    // With a checkpoint the export stops exactly at its signed head; events sealed since come in the next export.
    const head = checkpoint ? { seq: checkpoint.seq, hash: checkpoint.hash } : await sealedHeadOn(client);
    const headSeq = head ? Number(head.seq) : 0;
    const where = exportConditions(client, headSeq, filter);
    const stats = await exportStats(client, where);

    if (format === 'csv') await write(out, `${CSV_COLUMNS.join(',')}\n`);
    await copyEvents(client, format, where, out);
    const manifest: ExportManifest = {
      rowCount: stats.n,
      firstSeq: stats.first === null ? null : Number(stats.first),
      lastSeq: stats.last === null ? null : Number(stats.last),
      chainHeadSeq: headSeq,
      chainHeadHash: head ? head.hash : null,
      checkpoint,
      filter: Object.fromEntries(
        Object.entries(filter)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : String(v)]),
      ),
      generatedAt: new Date().toISOString(),
    };
    await write(
      out,
      format === 'ndjson' ? `${JSON.stringify({ manifest })}\n` : `#manifest,${csvCell(JSON.stringify(manifest))}\n`,
    );
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
