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
  flagged: z.number().int().describe('Declarations with a new hit, re-screened in full'),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
}).openapi('RescreenRun');
export type RescreenView = z.output<typeof rescreenView>;

/** Records a queued run and enqueues its job, in the activation transaction. Idempotent per version. */
export async function scheduleRescreen(m: EntityManager, run: { versionId: string; listId: string; previousVersionId: string | null }): Promise<void> {
  await m.query(
    `INSERT INTO rescreen_runs (version_id, list_id, previous_version_id, status) VALUES ($1, $2, $3, 'queued') ON CONFLICT (version_id) DO NOTHING`,
    [run.versionId, run.listId, run.previousVersionId]);
  await enqueueInTransaction(m, 'lists.rescreen', { versionId: run.versionId }, { dedupeKey: `lists.rescreen:${run.versionId}` });
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
