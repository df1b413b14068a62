import type { Logger } from 'pino';
import type { FinalFailureHandlers, JobName } from './catalogue';

/** An outbox row as the reconciler sees it. */
export interface OutboxJobRef {
  id: string;
  status: 'pending' | 'relayed' | 'done' | 'failed';
  /** The BullMQ job id the row was relayed under (`o<id>` for rows relayed before job ids were uuids). */
  jobId: string;
}

/** live: queued, delayed or running somewhere; gone: finished or lost without its work done; failed: gave up. */
export type JobLiveness = 'live' | 'gone' | 'failed';

/** What the rest of the service needs from background work, whichever backend runs it. */
export interface JobRunner {
  /** Start relaying (and, where this process runs jobs, processing). */
  start(): Promise<void>;
  /** Called after each commit that may have written outbox rows. */
  wake(): void;
  /** Finish in-flight jobs, then stop. */
  stop(): Promise<void>;
  /** Job counts by state, for /metrics. */
  depth(): Promise<Record<string, number>>;
  /** Readiness of the job backend. */
  ready(): Promise<boolean>;
  /** Whether each row's job still holds its work (asked by the reconciler, in order). */
  liveness(rows: OutboxJobRef[]): Promise<JobLiveness[]>;
}

/** Runs the job's final-failure handler; a handler that throws is logged, and the reconciler will call it again. */
export async function runFinalFailure(
  hooks: FinalFailureHandlers,
  name: JobName,
  payload: unknown,
  err: unknown,
  logger: Logger,
): Promise<void> {
  const hook = hooks[name] as ((p: unknown, error: string) => Promise<void>) | undefined;
  if (!hook) return;
  try {
    await hook(payload, err instanceof Error ? err.message : String(err));
  } catch (hookErr) {
    logger.error({ err: hookErr, job: name }, 'recording a job failure failed; the reconciler retries it');
  }
}
