import type { DataSource, EntityManager } from 'typeorm';
import type { RescreenCandidate } from '../declarations/rescreen.repository';

/** How long a run's holder may go without saving progress before another attempt may take the run over. */
const RUN_LEASE = `interval '5 minutes'`;

export interface RunRow {
  version_id: string;
  list_id: string;
  previous_version_id: string | null;
  status: 'queued' | 'running' | 'completed' | 'failed';
  cursor: string | null;
  kind: 'goods' | 'entities';
}

export interface RunProgressRow {
  status: 'queued' | 'running' | 'completed' | 'failed';
  delta_entries: number | null;
  candidates: number | null;
  processed: number;
  flagged: number;
  started_at: Date | null;
  finished_at: Date | null;
  error: string | null;
}

/** Records a queued run; false when the version already has one. */
export async function insertQueuedRun(
  m: EntityManager,
  run: { versionId: string; listId: string; previousVersionId: string | null },
): Promise<boolean> {
  const inserted: unknown[] = await m.query(
    `INSERT INTO rescreen_runs (version_id, list_id, previous_version_id, status) VALUES ($1, $2, $3, 'queued') ON CONFLICT (version_id) DO NOTHING RETURNING 1`,
    [run.versionId, run.listId, run.previousVersionId],
  );
  return inserted.length > 0;
}

export async function deleteRunFlags(m: EntityManager, versionId: string): Promise<void> {
  await m.query(`DELETE FROM rescreen_flags WHERE version_id = $1`, [versionId]);
}

export async function deleteRunCandidates(m: EntityManager, versionId: string): Promise<void> {
  await m.query(`DELETE FROM rescreen_candidates WHERE version_id = $1`, [versionId]);
}

/** Resets the run to queued against `previousVersionId`; returns the job key of the restarted run. */
export async function restartRun(
  m: EntityManager,
  versionId: string,
  previousVersionId: string | null,
): Promise<string> {
  // A CTE, so the driver hands back the returned row as for a SELECT.
  const [{ key }] = await m.query(
    `WITH restarted AS (
       UPDATE rescreen_runs SET previous_version_id = $2, status = 'queued', cleared_since = NULL, delta_entries = NULL, candidates = NULL,
         processed = 0, flagged = 0, cursor = NULL, error = NULL, locked_until = NULL, created_at = now(), started_at = NULL, finished_at = NULL
       WHERE version_id = $1 RETURNING version_id, created_at)
     SELECT 'lists.rescreen:' || version_id || ':' || (extract(epoch FROM created_at) * 1000000)::bigint AS key FROM restarted`,
    [versionId, previousVersionId],
  );
  return key;
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
    [olderThanMs],
  );
  return rows.map((r) => r.key);
}

export async function readRunProgress(
  db: DataSource | EntityManager,
  versionId: string,
): Promise<RunProgressRow | undefined> {
  const [r] = await db.query(
    `SELECT status, delta_entries, candidates, processed, flagged, started_at, finished_at, error FROM rescreen_runs WHERE version_id = $1`,
    [versionId],
  );
  return r;
}

export async function readRunPreviousVersion(
  db: DataSource | EntityManager,
  versionId: string,
): Promise<{ previous_version_id: string | null } | undefined> {
  const [run]: { previous_version_id: string | null }[] = await db.query(
    `SELECT previous_version_id FROM rescreen_runs WHERE version_id = $1`,
    [versionId],
  );
  return run;
}

export async function readRunStatus(
  dataSource: DataSource,
  versionId: string,
): Promise<{ status: RunRow['status'] } | undefined> {
  const [existing] = await dataSource.query(`SELECT status FROM rescreen_runs WHERE version_id = $1`, [versionId]);
  return existing;
}

/**
 * Takes the run's lease (a failed run goes back to queued), with its list's kind; undefined while another attempt
 * holds it or when the run is completed.
 */
export async function takeRunLease(dataSource: DataSource, versionId: string): Promise<RunRow | undefined> {
  const [run]: RunRow[] = await dataSource.query(
    `WITH taken AS (
       UPDATE rescreen_runs SET locked_until = now() + ${RUN_LEASE}, status = CASE WHEN status = 'failed' THEN 'queued' ELSE status END, error = NULL
       WHERE version_id = $1 AND status <> 'completed' AND (locked_until IS NULL OR locked_until < now())
       RETURNING *)
     SELECT taken.*, l.kind FROM taken JOIN lists l ON l.id = taken.list_id`,
    [versionId],
  );
  return run;
}

export async function releaseRunLease(dataSource: DataSource, versionId: string): Promise<void> {
  await dataSource.query(`UPDATE rescreen_runs SET locked_until = NULL WHERE version_id = $1`, [versionId]);
}

export async function renewRunLease(dataSource: DataSource, versionId: string): Promise<void> {
  await dataSource.query(`UPDATE rescreen_runs SET locked_until = now() + ${RUN_LEASE} WHERE version_id = $1`, [
    versionId,
  ]);
}

export async function setDeltaEntries(dataSource: DataSource, versionId: string, deltaEntries: number): Promise<void> {
  await dataSource.query(`UPDATE rescreen_runs SET delta_entries = $2 WHERE version_id = $1`, [
    versionId,
    deltaEntries,
  ]);
}

export async function markAllProcessed(dataSource: DataSource, versionId: string): Promise<void> {
  await dataSource.query(`UPDATE rescreen_runs SET processed = candidates WHERE version_id = $1`, [versionId]);
}

/** Saves a chunk's progress and renews the lease. */
export async function saveProgress(
  dataSource: DataSource,
  versionId: string,
  processed: number,
  cursor: string,
): Promise<void> {
  await dataSource.query(
    `UPDATE rescreen_runs SET processed = processed + $2, cursor = $3, locked_until = now() + ${RUN_LEASE} WHERE version_id = $1`,
    [versionId, processed, cursor],
  );
}

/** The next `limit` candidates of the run after the declaration id `after`, with their declarations. */
export async function readCandidateChunk(
  dataSource: DataSource,
  versionId: string,
  after: string,
  limit: number,
): Promise<RescreenCandidate[]> {
  return dataSource.query(
    `SELECT d.id, d.organization, d.reference, d.status, d.body FROM rescreen_candidates c JOIN declarations d ON d.id = c.declaration_id
     WHERE c.version_id = $1 AND c.declaration_id > $2 ORDER BY c.declaration_id LIMIT $3`,
    [versionId, after, limit],
  );
}

/** The start of the look-back window for cleared declarations: `days` before now, by the database clock. */
export async function clearedSince(m: EntityManager, days: number): Promise<Date> {
  const [{ since }] = await m.query(`SELECT now() - ($1::int * interval '1 day') AS since`, [days]);
  return since;
}

/** Fixes the run's candidates (open, held and waiting declarations, and those cleared since `since`); returns how many. */
export async function insertCandidates(m: EntityManager, versionId: string, since: Date): Promise<number> {
  await m.query(
    `INSERT INTO rescreen_candidates (version_id, declaration_id)
     SELECT $1::uuid, id FROM declarations WHERE status IN ('under_review', 'held', 'information_requested')
     UNION ALL
     SELECT $1::uuid, id FROM declarations WHERE status = 'cleared' AND updated_at >= $2`,
    [versionId, since],
  );
  const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM rescreen_candidates WHERE version_id = $1`, [
    versionId,
  ]);
  return n;
}

export async function markRunStarted(
  m: EntityManager,
  versionId: string,
  since: Date,
  candidates: number,
): Promise<void> {
  await m.query(
    `UPDATE rescreen_runs SET status = 'running', started_at = now(), cleared_since = $2, candidates = $3, processed = 0, cursor = NULL,
       flagged = (SELECT count(*) FROM rescreen_flags WHERE version_id = $1)
     WHERE version_id = $1`,
    [versionId, since, candidates],
  );
}

/** True when the run has already recorded the declaration. */
export async function isFlagged(m: EntityManager, versionId: string, declarationId: string): Promise<boolean> {
  const done: unknown[] = await m.query(`SELECT 1 FROM rescreen_flags WHERE version_id = $1 AND declaration_id = $2`, [
    versionId,
    declarationId,
  ]);
  return done.length > 0;
}

export async function insertFlag(
  m: EntityManager,
  versionId: string,
  declarationId: string,
  screeningId: string,
): Promise<void> {
  await m.query(`INSERT INTO rescreen_flags (version_id, declaration_id, screening_id) VALUES ($1, $2, $3)`, [
    versionId,
    declarationId,
    screeningId,
  ]);
}

export async function incrementFlagged(m: EntityManager, versionId: string): Promise<void> {
  await m.query(`UPDATE rescreen_runs SET flagged = flagged + 1 WHERE version_id = $1`, [versionId]);
}

/** The delisting pass counts its declaration and renews the lease in one statement. */
export async function incrementFlaggedRenewingLease(m: EntityManager, versionId: string): Promise<void> {
  await m.query(
    `UPDATE rescreen_runs SET flagged = flagged + 1, locked_until = now() + interval '5 minutes' WHERE version_id = $1`,
    [versionId],
  );
}

/** Marks the run completed and returns its counts and duration. */
export async function completeRun(
  m: EntityManager,
  versionId: string,
): Promise<{
  candidates: number | null;
  processed: number;
  flagged: number;
  delta_entries: number | null;
  ms: unknown;
}> {
  const [r] = await m.query(
    `WITH done AS (
       UPDATE rescreen_runs SET status = 'completed', finished_at = now(), locked_until = NULL WHERE version_id = $1
       RETURNING candidates, processed, flagged, delta_entries, extract(epoch FROM finished_at - started_at) * 1000 AS ms)
     SELECT * FROM done`,
    [versionId],
  );
  return r;
}

export async function failRun(m: EntityManager, versionId: string, message: string): Promise<void> {
  await m.query(
    `UPDATE rescreen_runs SET status = 'failed', error = $2, finished_at = now(), locked_until = NULL WHERE version_id = $1`,
    [versionId, message],
  );
}
