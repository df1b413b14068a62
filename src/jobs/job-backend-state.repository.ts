import type { Queryable } from '../db/queryable';

/** SQL for job_backend_state: what the job backend must remember across processes (the Redis run id). */

/** The Redis run id recorded last; undefined before the first one. */
export async function recordedRedisRunId(db: Queryable): Promise<string | undefined> {
  const [state] = await db.query(`SELECT value FROM job_backend_state WHERE key = 'redis_run_id'`);
  return state?.value;
}

/** Records the first run id (another process may have recorded it first: then that one stays). */
export async function insertRedisRunId(db: Queryable, runId: string): Promise<void> {
  await db.query(
    `INSERT INTO job_backend_state (key, value) VALUES ('redis_run_id', $1) ON CONFLICT (key) DO NOTHING`,
    [runId],
  );
}

export async function updateRedisRunId(db: Queryable, runId: string): Promise<void> {
  await db.query(`UPDATE job_backend_state SET value = $1, updated_at = now() WHERE key = 'redis_run_id'`, [runId]);
}
