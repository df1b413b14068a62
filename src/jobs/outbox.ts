import type { EntityManager } from 'typeorm';
import type { JobName, JobPayloads } from './catalogue';

export interface EnqueueOptions {
  /** Deterministic id: enqueuing the same key twice yields one job. */
  dedupeKey?: string;
  delayMs?: number;
}

/**
 * Writes a job into the outbox inside the caller's transaction. Nothing reaches Redis here: the relay does that after
 * commit, so a rolled-back change enqueues nothing and a Redis outage loses nothing.
 */
export async function enqueueInTransaction<N extends JobName>(
  manager: EntityManager,
  name: N,
  payload: JobPayloads[N],
  options: EnqueueOptions = {},
): Promise<void> {
  await manager.query(
    `INSERT INTO outbox (job_name, payload, dedupe_key, available_at)
     VALUES ($1, $2::jsonb, $3, now() + ($4::int * interval '1 millisecond'))
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [name, JSON.stringify(payload), options.dedupeKey ?? null, options.delayMs ?? 0],
  );
}
