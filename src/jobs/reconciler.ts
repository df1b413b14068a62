import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { FinalFailureHandlers, StuckWorkFinder } from './catalogue';
import { runFinalFailure, type JobRunner } from './job-runner';
import {
  lastErrorOf,
  requeueIfUnchanged,
  rowsByDedupeKeys,
  tryLockReconciler,
  type ReconcileRow as Row,
} from './outbox.repository';
import { PollLoop } from './poll-loop';

export interface ReconcilerOptions {
  /** Work unfinished for this long, with no job left to finish it, is re-queued (RECONCILE_AFTER_MS). */
  afterMs: number;
  /** Milliseconds between passes (RECONCILE_INTERVAL_MS). */
  intervalMs: number;
}

export interface ReconcileResult {
  requeued: number;
  failed: number;
}

/**
 * Repairs work that nothing will finish: a list version left `importing`, a re-screening run left `queued`/`running`,
 * a batch left `queued`/`processing`, when the job that should finish it is gone (lost by Redis, dropped as a
 * duplicate, completed without doing it because a crash came between). The features say which of their outbox rows
 * still have unfinished work; the job backend says whether each row's job is still alive. A row whose job is gone is
 * re-queued (fresh job id, attempts from zero: handlers are idempotent and batch chunks skip finished items); a row
 * whose job gave up gets its final-failure handler instead, so the failure is recorded rather than retried forever.
 * One process at a time per database (a transaction-scoped advisory lock); the others skip the pass.
 */
export class Reconciler {
  private readonly loop: PollLoop;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobRunner,
    private readonly finders: StuckWorkFinder[],
    private readonly failureHooks: FinalFailureHandlers,
    private readonly logger: Logger,
    private readonly options: ReconcilerOptions,
  ) {
    // The tick reports no work so the loop waits a full interval between passes.
    this.loop = new PollLoop(
      () => this.reconcileOnce().then(() => 0),
      options.intervalMs,
      (err) =>
        this.logger.warn(
          { err: err instanceof Error ? err.message : err },
          'reconciling stuck work failed; retried next pass',
        ),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  async reconcileOnce(): Promise<ReconcileResult> {
    const decided = await this.dataSource.transaction(async (m) => {
      if (!(await tryLockReconciler(m))) return { requeued: [] as Row[], failed: [] as Row[] };
      const keys: string[] = [];
      for (const find of this.finders) keys.push(...(await find(m, this.options.afterMs)));
      if (keys.length === 0) return { requeued: [], failed: [] };
      const rows = await rowsByDedupeKeys(m, keys);
      const liveness = await this.jobs.liveness(rows.map((r) => ({ id: r.id, status: r.status, jobId: r.job_id })));
      const requeued: Row[] = [];
      const failed: Row[] = [];
      for (const [i, row] of rows.entries()) {
        if (liveness[i] === 'live') continue;
        if (liveness[i] === 'failed' && this.failureHooks[row.job_name]) {
          failed.push(row);
          continue;
        }
        // Only if the row is as we saw it: a relay or runner that moved it meanwhile keeps it.
        if (await requeueIfUnchanged(m, row)) requeued.push(row);
      }
      return { requeued, failed };
    });
    if (decided.requeued.length) {
      this.logger.warn(
        { jobs: decided.requeued.map((r) => ({ outboxId: r.id, job: r.job_name, payload: r.payload, was: r.status })) },
        'unfinished work without a live job: re-queued',
      );
      this.jobs.wake();
    }
    // Outside the transaction: the handlers open their own (the embedded database runs one at a time).
    for (const row of decided.failed) {
      this.logger.warn(
        { outboxId: row.id, job: row.job_name, payload: row.payload },
        'job gave up without recording it: recording the failure',
      );
      await runFinalFailure(
        this.failureHooks,
        row.job_name,
        row.payload,
        new Error(await this.lastError(row)),
        this.logger,
      );
    }
    return { requeued: decided.requeued.length, failed: decided.failed.length };
  }

  private async lastError(row: Row): Promise<string> {
    return (await lastErrorOf(this.dataSource, row.id)) ?? `the ${row.job_name} job failed after its last attempt`;
  }
}
