import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { backoffDelay, JOB_POLICIES, type FinalFailureHandlers, type JobHandlers, type JobPolicies } from './catalogue';
import { runFinalFailure, type JobLiveness, type JobRunner, type OutboxJobRef } from './job-runner';
import {
  claimNextDue,
  countByStatus,
  markDone,
  markFailed,
  releaseAllLeases,
  scheduleRetry,
} from './outbox.repository';
import { PollLoop } from './poll-loop';
import type { JobMetrics } from '../observability/metrics';

export interface InProcessRunnerOptions {
  concurrency: number;
  pollMs: number;
  /** True when this is the only process running jobs (embedded mode): leases left by its previous run are stale. */
  soleRunner: boolean;
  /**
   * How long one attempt may run (JOB_TIMEOUT_MS). It is the row's lease too: past it, another runner may take the job
   * over (a crashed process never finishes it), and this loop stops waiting and counts the attempt as failed, so a
   * handler that never settles (a query whose answer never comes) cannot hold a job loop forever.
   */
  timeoutMs: number;
  /** The catalogue's policies, as adjusted by configuration. */
  policies?: JobPolicies;
  /** Told when a job throws on its last attempt, before the row is marked failed. */
  failureHooks?: FinalFailureHandlers;
}

export class JobTimeoutError extends Error {
  constructor(name: string, ms: number) {
    super(`${name} did not finish within ${ms} ms (JOB_TIMEOUT_MS); given up as a failed attempt`);
    this.name = 'JobTimeoutError';
  }
}

/**
 * The embedded backend: the outbox table is the queue. Each loop claims the oldest due row with a lease, runs its
 * handler outside any transaction (PGlite runs one transaction at a time), then marks it done or schedules a retry
 * with exponential backoff. The same handlers as the BullMQ workers run here.
 */
export class InProcessJobRunner implements JobRunner {
  private readonly loops: PollLoop[];
  private readonly policies: JobPolicies;
  private readonly failureHooks: FinalFailureHandlers;

  constructor(
    private readonly dataSource: DataSource,
    private readonly handlers: JobHandlers,
    private readonly logger: Logger,
    private readonly metrics: JobMetrics,
    private readonly options: InProcessRunnerOptions,
  ) {
    this.policies = options.policies ?? JOB_POLICIES;
    this.failureHooks = options.failureHooks ?? {};
    this.loops = Array.from(
      { length: options.concurrency },
      () =>
        new PollLoop(
          () => this.runOne(),
          options.pollMs,
          (err) => this.logger.error({ err }, 'job loop failed'),
        ),
    );
  }

  async start(): Promise<void> {
    if (this.options.soleRunner) await releaseAllLeases(this.dataSource);
    for (const loop of this.loops) loop.start();
  }

  wake(): void {
    for (const loop of this.loops) loop.wake();
  }

  async stop(): Promise<void> {
    await Promise.all(this.loops.map((l) => l.stop()));
  }

  async depth(): Promise<Record<string, number>> {
    const rows = await countByStatus(this.dataSource);
    return Object.fromEntries(rows.map((r) => [r.status === 'pending' ? 'waiting' : r.status, r.n]));
  }

  async ready(): Promise<boolean> {
    return true;
  }

  /** The outbox is the queue: a pending row is waiting or running (a dead runner's lease expires and it is taken again). */
  async liveness(rows: OutboxJobRef[]): Promise<JobLiveness[]> {
    return rows.map((r) => (r.status === 'pending' ? 'live' : r.status === 'failed' ? 'failed' : 'gone'));
  }

  private async runOne(): Promise<number> {
    const row = await claimNextDue(this.dataSource, this.options.timeoutMs);
    if (!row) return 0;
    const policy = this.policies[row.job_name];
    const handler = this.handlers[row.job_name] as (p: unknown, m: { attempt: number; jobId: string }) => Promise<void>;
    try {
      await this.withTimeout(row.job_name, handler(row.payload, { attempt: row.attempts, jobId: `o${row.id}` }));
      await markDone(this.dataSource, row.id);
      this.metrics.jobs.inc({ name: row.job_name, outcome: 'completed' });
    } catch (err) {
      const final = !policy || row.attempts >= policy.attempts;
      const message = err instanceof Error ? err.message : String(err);
      if (final) {
        this.logger.error({ err, job: row.job_name, id: row.id }, 'job failed after its last attempt');
        await runFinalFailure(this.failureHooks, row.job_name, row.payload, err, this.logger);
        await markFailed(this.dataSource, row.id, message);
      } else {
        await scheduleRetry(this.dataSource, row.id, message, backoffDelay(policy, row.attempts));
      }
      this.metrics.jobs.inc({ name: row.job_name, outcome: final ? 'failed' : 'retried' });
    }
    return 1;
  }

  /** The attempt's outcome, or a JobTimeoutError once the lease is over; an abandoned attempt settling later is ignored. */
  private async withTimeout(name: string, attempt: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new JobTimeoutError(name, this.options.timeoutMs)), this.options.timeoutMs);
    });
    attempt.catch(() => undefined);
    try {
      await Promise.race([attempt, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
