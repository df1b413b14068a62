import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import '../http/openapi';
import { enqueueInTransaction } from '../jobs/outbox';

/**
 * Delta re-screening runs, one per activated list version: scheduled in the activation transaction, progress readable
 * with the version. Kept free of list-module imports so the lists feature can use it.
 */

export const rescreenView = z.object({
  status: z.enum(['queued', 'running', 'completed', 'failed']),
  deltaEntries: z.number().int().nullable().describe('Entries added or changed since the previous active version (goods: prefixes)'),
  candidates: z.number().int().nullable().describe('Open, held and recently cleared declarations checked'),
  processed: z.number().int(),
  flagged: z.number().int().describe('Declarations re-screened in full: a new hit, or an open case hitting an entry removed or changed'),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
}).openapi('RescreenRun');
export type RescreenView = z.output<typeof rescreenView>;

/**
 * Records a queued run and enqueues its job, in the activation transaction. A version activated again (a rollback, or
 * a held version) already has a run: it starts afresh against the version it replaces now, under a new job key.
 */
export async function scheduleRescreen(m: EntityManager, run: { versionId: string; listId: string; previousVersionId: string | null }): Promise<void> {
  const inserted: unknown[] = await m.query(
    `INSERT INTO rescreen_runs (version_id, list_id, previous_version_id, status) VALUES ($1, $2, $3, 'queued') ON CONFLICT (version_id) DO NOTHING RETURNING 1`,
    [run.versionId, run.listId, run.previousVersionId]);
  if (inserted.length) {
    await enqueueInTransaction(m, 'lists.rescreen', { versionId: run.versionId }, { dedupeKey: `lists.rescreen:${run.versionId}` });
    return;
  }
  await restartRescreen(m, run);
}

/** The earlier activation's progress and flags are dropped (its audit events stay): the new run checks everything anew. */
async function restartRescreen(m: EntityManager, run: { versionId: string; previousVersionId: string | null }): Promise<void> {
  await m.query(`DELETE FROM rescreen_flags WHERE version_id = $1`, [run.versionId]);
  await m.query(`DELETE FROM rescreen_candidates WHERE version_id = $1`, [run.versionId]);
  // A CTE, so the driver hands back the returned row as for a SELECT.
  const [{ key }] = await m.query(
    `WITH restarted AS (
       UPDATE rescreen_runs SET previous_version_id = $2, status = 'queued', cleared_since = NULL, delta_entries = NULL, candidates = NULL,
         processed = 0, flagged = 0, cursor = NULL, error = NULL, locked_until = NULL, created_at = now(), started_at = NULL, finished_at = NULL
       WHERE version_id = $1 RETURNING version_id, created_at)
     SELECT 'lists.rescreen:' || version_id || ':' || (extract(epoch FROM created_at) * 1000000)::bigint AS key FROM restarted`,
    [run.versionId, run.previousVersionId]);
  await enqueueInTransaction(m, 'lists.rescreen', { versionId: run.versionId }, { dedupeKey: key });
}

/**
 * Reconciler: the jobs (outbox dedupe keys) of runs left queued or running after `olderThanMs` whose lease has expired
 * (a run saving progress renews it).
 */
export async function stuckRescreenRuns(m: EntityManager, olderThanMs: number): Promise<string[]> {
  const rows: { key: string }[] = await m.query(
    `SELECT 'lists.rescreen:' || version_id AS key FROM rescreen_runs
     WHERE status IN ('queued', 'running') AND (locked_until IS NULL OR locked_until < now())
       AND COALESCE(started_at, created_at) < now() - ($1::int * interval '1 millisecond')`,
    [olderThanMs]);
  return rows.map((r) => r.key);
}

export async function readRescreenRun(db: DataSource | EntityManager, versionId: string): Promise<RescreenView | null> {
  const [r] = await db.query(
    `SELECT status, delta_entries, candidates, processed, flagged, started_at, finished_at, error FROM rescreen_runs WHERE version_id = $1`, [versionId]);
  if (!r) return null;
  return {
    status: r.status, deltaEntries: r.delta_entries, candidates: r.candidates, processed: r.processed, flagged: r.flagged,
    startedAt: r.started_at?.toISOString() ?? null, finishedAt: r.finished_at?.toISOString() ?? null, error: r.error,
  };
}
