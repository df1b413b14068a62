import type { EntityManager } from 'typeorm';
import type { JobName, JobPayloads } from './catalogue';
import { insertOutboxJob } from './outbox.repository';

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
  await insertOutboxJob(manager, name, payload, options.dedupeKey ?? null, options.delayMs ?? 0);
}
