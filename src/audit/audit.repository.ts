import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DataSource, EntityManager } from 'typeorm';
import type { Queryable } from '../db/queryable';
import { EVENT_COLUMNS, type EventRow } from './audit-chain';
import type { AuditActor } from './audit-actor';

/**
 * SQL for the audit log: audit_events (appends, sealing, reads of the chain), audit_checkpoints and
 * audit_verifications, and the COPY that streams exports. Functions take the caller's manager (or the DataSource where
 * the caller has no transaction).
 */

// ---- audit_events: appending ----

export interface AuditRecord {
  action: string;
  subjectType: string;
  subjectId: string;
  data?: Record<string, unknown>;
}

/** One INSERT for all the events, whatever their number; no lock (the sealer chains them later). */
export async function insertAuditEvents(manager: EntityManager, actor: AuditActor, list: AuditRecord[]): Promise<void> {
  const actorJson = JSON.stringify(actor);
  await manager.query(
    `INSERT INTO audit_events (actor, action, subject_type, subject_id, data)
     SELECT $1::jsonb, a, t, s, d FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[]) AS x(a, t, s, d)`,
    [
      actorJson,
      list.map((e) => e.action),
      list.map((e) => e.subjectType),
      list.map((e) => e.subjectId),
      list.map((e) => JSON.stringify(e.data ?? {})),
    ],
  );
}

// ---- audit_events: sealing ----

/** Any stable number: the advisory lock that makes one process at a time the sealer. */
const SEALER_LOCK = 7261_0001;

/** Waits for the sealer lock (held until the transaction ends). */
export async function lockSealer(m: EntityManager): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock($1)`, [SEALER_LOCK]);
}

/** Takes the sealer lock if free (held until the transaction ends); false when another process holds it. */
export async function tryLockSealer(m: EntityManager): Promise<boolean> {
  const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [SEALER_LOCK]);
  return locked;
}

/** Committed events not sealed yet, in id order. */
export async function unsealedEvents(m: EntityManager, limit: number): Promise<EventRow[]> {
  return m.query(
    `SELECT ${EVENT_COLUMNS} FROM audit_events
         WHERE seq IS NULL ORDER BY id LIMIT ${limit}`,
  );
}

/** The current head of the sealed chain, or null while nothing is sealed. */
export async function chainHead(db: Queryable): Promise<{ seq: number; hash: string } | null> {
  const rows: { seq: string; hash: string }[] = await db.query(
    `SELECT seq, hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`,
  );
  return rows.length ? { seq: Number(rows[0].seq), hash: rows[0].hash } : null;
}

/**
 * Writes the chain columns of the given events. audit_seal (SECURITY DEFINER, owned by the migration owner) is the
 * runtime role's only way to write chain columns: it seals unsealed rows only, and only as a contiguous continuation
 * of the head.
 */
export async function sealEvents(
  m: EntityManager,
  ids: string[],
  seqs: number[],
  prevs: string[],
  hashes: string[],
): Promise<void> {
  await m.query(`SELECT audit_seal($1::bigint[], $2::bigint[], $3::text[], $4::text[])`, [ids, seqs, prevs, hashes]);
}

// ---- audit_events: reading the chain ----

/** Sealed events from `fromSeq` on, in chain order. */
export async function sealedEventsFrom(db: Queryable, fromSeq: number, limit: number): Promise<EventRow[]> {
  return db.query(`SELECT ${EVENT_COLUMNS} FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT ${limit}`, [fromSeq]);
}

/** The event at `seq` (its hash); undefined when no event has that position. */
export async function eventAt(db: Queryable, seq: number): Promise<{ hash: string } | undefined> {
  const [row]: { hash: string }[] = await db.query(`SELECT hash FROM audit_events WHERE seq = $1`, [seq]);
  return row;
}

export async function countUnsealed(db: Queryable): Promise<number> {
  const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM audit_events WHERE seq IS NULL`);
  return count;
}

// ---- audit_verifications ----

/** The newest verification's outcome and the checkpoint it confirmed (if any). */
export async function lastVerification(
  db: Queryable,
): Promise<{ ok: boolean; checkpoint_seq: string | null } | undefined> {
  const [last]: { ok: boolean; checkpoint_seq: string | null }[] = await db.query(
    `SELECT ok, checkpoint_seq FROM audit_verifications ORDER BY id DESC LIMIT 1`,
  );
  return last;
}

export interface VerificationRow {
  fullCheck: boolean;
  fromSeq: number;
  headSeq: number;
  headHash: string;
  checked: number;
  ok: boolean;
  firstBadSeq: number | null;
  problem: string | null;
  checkpointSeq: number | null;
}

export async function insertVerification(db: Queryable, r: VerificationRow): Promise<void> {
  await db.query(
    `INSERT INTO audit_verifications (full_check, from_seq, head_seq, head_hash, checked, ok, first_bad_seq, problem, checkpoint_seq)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [r.fullCheck, r.fromSeq, r.headSeq, r.headHash, r.checked, r.ok, r.firstBadSeq, r.problem, r.checkpointSeq],
  );
}

// ---- audit_checkpoints ----

export type CheckpointReason = 'scheduled' | 'export' | 'verify';

/** A signed statement "event `seq` of the chain has hash `hash`", as auditors see it. */
export interface Checkpoint {
  seq: number;
  hash: string;
  signedAt: string;
  keyId: string;
  publicKey: string;
  signature: string;
  reason: CheckpointReason;
}

const COLUMNS = `seq, hash, to_char(signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS signed_at,
  key_id, public_key, signature, reason`;

interface CheckpointRow {
  seq: string;
  hash: string;
  signed_at: string;
  key_id: string;
  public_key: string;
  signature: string;
  reason: CheckpointReason;
}

function fromRow(r: CheckpointRow): Checkpoint {
  return {
    seq: Number(r.seq),
    hash: r.hash,
    signedAt: r.signed_at,
    keyId: r.key_id,
    publicKey: r.public_key,
    signature: r.signature,
    reason: r.reason,
  };
}

export async function checkpointAt(db: Queryable, seq: number): Promise<Checkpoint | null> {
  const rows: CheckpointRow[] = await db.query(`SELECT ${COLUMNS} FROM audit_checkpoints WHERE seq = $1`, [seq]);
  return rows.length ? fromRow(rows[0]) : null;
}

/** Checkpoints with lo <= seq <= hi (hi omitted: no upper bound), in chain order. */
export async function checkpointsBetween(db: Queryable, lo: number, hi?: number): Promise<Checkpoint[]> {
  const rows: CheckpointRow[] =
    hi === undefined
      ? await db.query(`SELECT ${COLUMNS} FROM audit_checkpoints WHERE seq >= $1 ORDER BY seq`, [lo])
      : await db.query(`SELECT ${COLUMNS} FROM audit_checkpoints WHERE seq BETWEEN $1 AND $2 ORDER BY seq`, [lo, hi]);
  return rows.map(fromRow);
}

/** Stores a checkpoint unless one exists at its position (the first one written stays). */
export async function insertCheckpoint(db: Queryable, cp: Checkpoint): Promise<void> {
  await db.query(
    `INSERT INTO audit_checkpoints (seq, hash, signed_at, key_id, public_key, signature, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (seq) DO NOTHING`,
    [cp.seq, cp.hash, cp.signedAt, cp.keyId, cp.publicKey, cp.signature, cp.reason],
  );
}

/** Newest first: up to `limit` checkpoints below seq `beforeSeq` (all when undefined). */
export async function checkpointsNewestFirst(db: Queryable, limit: number, beforeSeq?: string): Promise<Checkpoint[]> {
  const rows: CheckpointRow[] =
    beforeSeq !== undefined
      ? await db.query(`SELECT ${COLUMNS} FROM audit_checkpoints WHERE seq < $1 ORDER BY seq DESC LIMIT $2`, [
          beforeSeq,
          limit,
        ])
      : await db.query(`SELECT ${COLUMNS} FROM audit_checkpoints ORDER BY seq DESC LIMIT $1`, [limit]);
  return rows.map(fromRow);
}

// ---- exports (COPY on a connection of its own) ----

export interface ExportFilter {
  from?: Date;
  to?: Date;
  action?: string;
  subjectId?: string;
}

export type ExportFormat = 'ndjson' | 'csv';

const OCCURRED_AT = `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * What COPY writes per event. CSV: PostgreSQL's own CSV quoting. NDJSON: one JSON text per row, copied verbatim (a
 * delimiter and quote character that JSON text never contains unescaped keep COPY from quoting anything).
 */
const COPY_SQL: Record<ExportFormat, (where: string) => string> = {
  ndjson: (
    where,
  ) => `COPY (SELECT json_build_object('seq', seq, 'occurredAt', ${OCCURRED_AT}, 'actor', actor, 'action', action,
      'subjectType', subject_type, 'subjectId', subject_id, 'data', data, 'prevHash', prev_hash, 'hash', hash)::text
    FROM audit_events WHERE ${where} ORDER BY seq) TO STDOUT WITH (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')`,
  csv: (
    where,
  ) => `COPY (SELECT seq, ${OCCURRED_AT}, actor->>'keyId', actor->>'role', actor->>'organization', actor->>'person', action, subject_type,
      subject_id, data::text, prev_hash, hash
    FROM audit_events WHERE ${where} ORDER BY seq) TO STDOUT WITH (FORMAT csv)`,
};

/** A connection of the pool for the export alone (COPY streams on it); release it when done. */
export async function exportConnection(dataSource: DataSource): Promise<PoolClient> {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  return pool.connect();
}

/** The head of the sealed chain, read on the export's connection. */
export async function sealedHeadOn(client: PoolClient): Promise<{ seq: string; hash: string } | undefined> {
  const {
    rows: [head],
  } = await client.query(`SELECT seq, hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`);
  return head;
}

/** The sealed events up to `headSeq` that pass the filter, as a WHERE condition. */
export function exportConditions(client: PoolClient, headSeq: number, filter: ExportFilter): string {
  // COPY takes no bind parameters: every value is a number or goes through the driver's literal escaping.
  const conditions = ['seq IS NOT NULL', `seq <= ${headSeq}`];
  if (filter.from) conditions.push(`occurred_at >= ${client.escapeLiteral(filter.from.toISOString())}`);
  if (filter.to) conditions.push(`occurred_at < ${client.escapeLiteral(filter.to.toISOString())}`);
  if (filter.action) conditions.push(`action = ${client.escapeLiteral(filter.action)}`);
  if (filter.subjectId) conditions.push(`subject_id = ${client.escapeLiteral(filter.subjectId)}`);
  return conditions.join(' AND ');
}

/** How many events `where` selects, and the first and last seq among them. */
export async function exportStats(
  client: PoolClient,
  where: string,
): Promise<{ n: number; first: string | null; last: string | null }> {
  const {
    rows: [stats],
  } = await client.query(
    `SELECT count(*)::int AS n, min(seq) AS first, max(seq) AS last FROM audit_events WHERE ${where}`,
  );
  return stats;
}

/**
 * Streams the events `where` selects into `out` with COPY (left open: the caller writes the manifest after), bytes
 * flowing from the database socket with backpressure.
 */
export async function copyEvents(
  client: PoolClient,
  format: ExportFormat,
  where: string,
  out: Writable,
): Promise<void> {
  // An export runs as long as the client reads: DB_STATEMENT_TIMEOUT_MS is for request-path statements, not this one.
  await client.query('SET statement_timeout = 0');
  await pipeline(client.query(copyTo(COPY_SQL[format](where))), out, { end: false });
  await client.query('RESET statement_timeout');
}
