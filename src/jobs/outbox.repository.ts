import type { EntityManager } from 'typeorm';
import type { Queryable } from '../db/queryable';
import type { JobName } from './catalogue';
import type { OutboxJobRef } from './job-runner';

/**
 * SQL for the outbox: written inside the business transactions, claimed by the relay (BullMQ) or by the in-process
 * runner, repaired by the reconciler and after a Redis restart.
 */

// ---- writing ----

/** One job row; a row with the same dedupe key already there makes this a no-op. */
export async function insertOutboxJob(
  manager: EntityManager,
  name: JobName,
  payload: unknown,
  dedupeKey: string | null,
  delayMs: number,
): Promise<void> {
  await manager.query(
    `INSERT INTO outbox (job_name, payload, dedupe_key, available_at)
     VALUES ($1, $2::jsonb, $3, now() + ($4::int * interval '1 millisecond'))
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [name, JSON.stringify(payload), dedupeKey, delayMs],
  );
}

// ---- the BullMQ relay ----

export interface RelayRow {
  id: string;
  job_id: string;
  job_name: JobName;
  payload: unknown;
  delay_ms: number;
}

export async function countPending(db: Queryable): Promise<number> {
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`);
  return n;
}

/**
 * Claims up to `limit` pending rows for 30 seconds, giving each a job id the first time (kept on the row, so a row
 * relayed twice is still one job).
 */
export async function claimForRelay(db: Queryable, limit: number): Promise<RelayRow[]> {
  return db.query(
    `WITH claimed AS (
         UPDATE outbox SET locked_until = now() + interval '30 seconds', job_id = COALESCE(job_id, gen_random_uuid())
         WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND (locked_until IS NULL OR locked_until < now())
                      ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
         RETURNING id, job_id, job_name, payload, GREATEST(0, (extract(epoch FROM available_at - now()) * 1000))::int AS delay_ms)
       SELECT * FROM claimed ORDER BY id`,
  );
}

/** Gives claimed rows back (the relay could not hand them to Redis). */
export async function releaseClaims(db: Queryable, ids: string[]): Promise<void> {
  await db.query(`UPDATE outbox SET locked_until = NULL WHERE id = ANY($1::bigint[])`, [ids]);
}

export async function markRelayed(db: Queryable, ids: string[]): Promise<void> {
  await db.query(
    `UPDATE outbox SET status = 'relayed', finished_at = now(), locked_until = NULL WHERE id = ANY($1::bigint[])`,
    [ids],
  );
}

// ---- the in-process runner (the outbox is the queue) ----

export interface ClaimedJob {
  id: string;
  job_name: JobName;
  payload: unknown;
  attempts: number;
}

/** Drops every lease on pending rows (the sole runner restarting: leases of its previous run are stale). */
export async function releaseAllLeases(db: Queryable): Promise<void> {
  await db.query(`UPDATE outbox SET locked_until = NULL WHERE status = 'pending' AND locked_until IS NOT NULL`);
}

export async function countByStatus(db: Queryable): Promise<{ status: string; n: number }[]> {
  return db.query(
    `SELECT status, count(*)::int AS n FROM outbox WHERE status IN ('pending', 'failed') GROUP BY status`,
  );
}

/** Claims the oldest due row with a lease of `leaseMs`, counting the attempt; undefined when none is due. */
export async function claimNextDue(db: Queryable, leaseMs: number): Promise<ClaimedJob | undefined> {
  const rows: ClaimedJob[] = await db.query(
    // Wrapped in a CTE so the driver returns plain rows (a bare UPDATE ... RETURNING comes back as [rows, count]).
    `WITH claimed AS (
         UPDATE outbox SET locked_until = now() + ($1::int * interval '1 millisecond'), attempts = attempts + 1
         WHERE id = (SELECT id FROM outbox WHERE status = 'pending' AND available_at <= now()
                       AND (locked_until IS NULL OR locked_until < now())
                     ORDER BY available_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING id, job_name, payload, attempts)
       SELECT * FROM claimed`,
    [leaseMs],
  );
  return rows[0];
}

export async function markDone(db: Queryable, id: string): Promise<void> {
  await db.query(`UPDATE outbox SET status = 'done', finished_at = now(), locked_until = NULL WHERE id = $1`, [id]);
}

export async function markFailed(db: Queryable, id: string, message: string): Promise<void> {
  await db.query(
    `UPDATE outbox SET status = 'failed', finished_at = now(), locked_until = NULL, last_error = $2 WHERE id = $1`,
    [id, message],
  );
}

export async function scheduleRetry(db: Queryable, id: string, message: string, delayMs: number): Promise<void> {
  await db.query(
    `UPDATE outbox SET locked_until = NULL, last_error = $2, available_at = now() + ($3::int * interval '1 millisecond') WHERE id = $1`,
    [id, message, delayMs],
  );
}

// ---- the reconciler ----

/** An outbox row as the reconciler reads it (job_id: the BullMQ job id, `o<id>` for rows relayed before uuids). */
export interface ReconcileRow {
  id: string;
  status: OutboxJobRef['status'];
  job_id: string;
  job_name: JobName;
  payload: unknown;
}

/** One reconciler at a time per database (held until the transaction ends); false when another holds it. */
export async function tryLockReconciler(m: EntityManager): Promise<boolean> {
  const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock(hashtext('jobs.reconciler')) AS locked`);
  return locked;
}

export async function rowsByDedupeKeys(m: EntityManager, keys: string[]): Promise<ReconcileRow[]> {
  return m.query(
    `SELECT id, status, COALESCE(job_id::text, 'o' || id) AS job_id, job_name, payload FROM outbox WHERE dedupe_key = ANY($1::text[]) ORDER BY id`,
    [keys],
  );
}

/** Puts the row back to pending with a fresh job, only if it is as `row` saw it; true when it did. */
export async function requeueIfUnchanged(m: EntityManager, row: ReconcileRow): Promise<boolean> {
  const moved: unknown[] = await m.query(
    `UPDATE outbox SET status = 'pending', attempts = 0, job_id = NULL, available_at = now(), locked_until = NULL, finished_at = NULL,
             last_error = COALESCE(last_error, 'job lost') || ' (re-queued by the reconciler)'
           WHERE id = $1 AND status = $2 AND COALESCE(job_id::text, 'o' || id) = $3 RETURNING id`,
    [row.id, row.status, row.job_id],
  );
  return moved.length > 0;
}

export async function lastErrorOf(db: Queryable, id: string): Promise<string | null> {
  const [r] = await db.query(`SELECT last_error FROM outbox WHERE id = $1`, [id]);
  return r?.last_error ?? null;
}

// ---- after a Redis restart ----

/** How far back a relayed job is checked after a Redis restart: completed jobs are kept in Redis this long. */
const RECHECK_WINDOW = `interval '24 hours'`;

/** Rows relayed within the recheck window, id above `after`, in id order. */
export async function recentlyRelayed(
  db: Queryable,
  after: string,
  limit: number,
): Promise<{ id: string; job_id: string }[]> {
  return db.query(
    `SELECT id, COALESCE(job_id::text, 'o' || id) AS job_id FROM outbox WHERE status = 'relayed' AND finished_at > now() - ${RECHECK_WINDOW} AND id > $1 ORDER BY id LIMIT ${limit}`,
    [after],
  );
}

/** Returns relayed rows to pending (their job is gone); rows no longer relayed are left alone. */
export async function returnRelayedToPending(db: Queryable, ids: string[]): Promise<void> {
  await db.query(
    `UPDATE outbox SET status = 'pending', finished_at = NULL, locked_until = NULL WHERE id = ANY($1::bigint[]) AND status = 'relayed'`,
    [ids],
  );
}
