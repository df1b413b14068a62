import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { insertRedisRunId, recordedRedisRunId, updateRedisRunId } from './job-backend-state.repository';
import { recentlyRelayed, returnRelayedToPending } from './outbox.repository';

const BATCH = 1000;

/**
 * Redis may restart without its data (no persistence configured, a failover to an empty replica). Jobs relayed to it
 * would then be gone while their outbox rows say "relayed". Each Redis start has a new run_id; a process that sees one
 * other than the run id recorded in PostgreSQL returns to the outbox every row relayed in the last day whose job Redis
 * no longer has, then records the new run id. The relay sends them again; handlers are idempotent, so a job that had in fact finished
 * costs only a repeat.
 */
export async function requeueJobsLostByRedis(
  dataSource: DataSource,
  redis: Redis,
  jobKey: (jobId: string) => string,
): Promise<number> {
  const info = await redis.info('server');
  const runId = /run_id:(\w+)/.exec(info)?.[1];
  if (!runId) return 0;
  const recorded = await recordedRedisRunId(dataSource);
  if (recorded === undefined) {
    await insertRedisRunId(dataSource, runId);
    return 0;
  }
  if (recorded === runId) return 0;
  // Requeue first, record the new run id last: a check that fails half-way is simply done again by the next one.
  // Two processes doing it at once is harmless: a row goes back to pending only while its job is missing.
  let requeued = 0;
  let after = '0';
  for (;;) {
    const rows = await recentlyRelayed(dataSource, after, BATCH);
    if (rows.length === 0) break;
    const pipeline = redis.pipeline();
    for (const r of rows) pipeline.exists(jobKey(r.job_id));
    const results = await pipeline.exec();
    if (!results || results.some(([err]) => err)) throw new Error('could not check the jobs in Redis');
    const lost = rows.filter((_, i) => results[i][1] === 0).map((r) => r.id);
    if (lost.length) {
      await returnRelayedToPending(dataSource, lost);
      requeued += lost.length;
    }
    after = rows[rows.length - 1].id;
  }
  await updateRedisRunId(dataSource, runId);
  return requeued;
}
