import { Queue, Worker, type Job } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { JOB_POLICIES, type FinalFailureHandlers, type JobHandlers, type JobName, type JobPolicies } from './catalogue';
import { runFinalFailure, type JobLiveness, type JobRunner, type OutboxJobRef } from './job-runner';
import { claimForRelay, countPending, markRelayed, releaseClaims } from './outbox.repository';
import { ClosableRedis } from './closable-redis';
import { PollLoop } from './poll-loop';
import { requeueJobsLostByRedis } from './redis-loss';
import type { JobMetrics } from '../observability/metrics';

export const QUEUE_NAME = 'jobs';
const RELAY_BATCH = 200;
/** How often the relay asks Redis whether it restarted (its run_id). */
const REDIS_CHECK_MS = 2000;
/**
 * How often a job may lose its worker (crash, SIGKILL, an event loop blocked past the lock) and still be handed to
 * another one: a rolling restart must not fail a long import, but a job that keeps killing its workers must stop.
 * Beyond it BullMQ fails the job; the reconciler then records the failure (final-failure handler).
 */
export const MAX_STALLED_COUNT = 2;
/**
 * How long a stopping worker waits while it cannot reach Redis before it closes its connections. Its jobs' results
 * cannot be recorded without Redis anyway; their locks expire and another worker takes them (stalled check).
 */
const UNREACHABLE_STOP_MS = 1000;
/** BullMQ states in which a job still holds its work. */
const LIVE_STATES = new Set(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);

export interface BullMqRunnerOptions {
  redisUrl: string;
  prefix: string;
  /** Process jobs in this process too (worker entry point, embedded tests); the API alone only relays. */
  processJobs: boolean;
  concurrency: number;
  pollMs: number;
  lockMs: number;
  /** The catalogue's policies, as adjusted by configuration (default: the catalogue's). */
  policies?: JobPolicies;
  /** Told when a job throws on its last attempt. */
  failureHooks?: FinalFailureHandlers;
}

/**
 * The production backend. The relay moves committed outbox rows into BullMQ and marks them relayed; while Redis is down
 * the rows simply wait. The job id is a random uuid the relay stores on the row when it first claims it: a row relayed
 * twice after a crash is still one job, and no other database (a fresh one, or a restored backup of this one, whose
 * outbox ids start over) can send a job id BullMQ still holds and would silently drop. Workers run the catalogue's
 * handlers with the catalogue's attempts and exponential backoff.
 */
export class BullMqJobRunner implements JobRunner {
  private readonly producer: Redis;
  private readonly queue: Queue;
  private readonly relay: PollLoop;
  private worker: Worker | undefined;
  private workerConnection: ClosableRedis | undefined;
  private lastRedisCheck = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly handlers: JobHandlers,
    private readonly logger: Logger,
    private readonly metrics: JobMetrics,
    private readonly options: BullMqRunnerOptions,
  ) {
    // No offline queue: while Redis is down an add fails at once and the outbox row stays pending.
    this.producer = new IORedis(options.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    this.producer.on('error', () => undefined); // reconnection is automatic; the relay reports failures
    this.queue = new Queue(QUEUE_NAME, { connection: this.producer, prefix: options.prefix });
    this.queue.on('error', () => undefined);
    this.relay = new PollLoop(
      () => this.relayOnce(),
      options.pollMs,
      (err) =>
        this.logger.warn({ err: err instanceof Error ? err.message : err }, 'outbox relay failed; rows stay pending'),
    );
  }

  async start(): Promise<void> {
    this.producer.connect().catch(() => undefined);
    this.relay.start();
    if (this.options.processJobs) this.startWorker();
  }

  wake(): void {
    this.relay.wake();
  }

  async stop(): Promise<void> {
    await this.relay.stop();
    await this.closeWorker();
    await this.queue.close().catch(() => undefined);
    this.producer.disconnect();
    this.workerConnection?.disconnect();
  }

  async depth(): Promise<Record<string, number>> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
    const n = await countPending(this.dataSource);
    return { ...counts, outbox: n };
  }

  async ready(): Promise<boolean> {
    try {
      return (await this.producer.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  /** Relays one batch; returns the number relayed (0 when idle). Also notices a Redis that restarted empty. */
  async relayOnce(): Promise<number> {
    if (Date.now() - this.lastRedisCheck > REDIS_CHECK_MS) {
      this.lastRedisCheck = Date.now();
      const requeued = await requeueJobsLostByRedis(this.dataSource, this.producer, (jobId) => this.queue.toKey(jobId));
      if (requeued) this.logger.warn({ requeued }, 'Redis restarted without its data: relaying its lost jobs again');
    }
    const rows = await claimForRelay(this.dataSource, RELAY_BATCH);
    if (rows.length === 0) return 0;
    const ids = rows.map((r) => r.id);
    try {
      await this.queue.addBulk(
        rows.map((r) => {
          const policy = (this.options.policies ?? JOB_POLICIES)[r.job_name] ?? { attempts: 1, backoffMs: 1000 };
          return {
            name: r.job_name,
            data: r.payload,
            opts: {
              jobId: r.job_id,
              delay: r.delay_ms,
              attempts: policy.attempts,
              backoff: { type: 'exponential', delay: policy.backoffMs },
              removeOnComplete: { age: 24 * 3600, count: 100_000 },
              removeOnFail: { age: 30 * 24 * 3600 },
            },
          };
        }),
      );
    } catch (err) {
      await releaseClaims(this.dataSource, ids);
      throw err;
    }
    await markRelayed(this.dataSource, ids);
    return rows.length;
  }

  private startWorker(): void {
    this.workerConnection = new ClosableRedis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection.on('error', () => undefined);
    this.worker = new Worker(QUEUE_NAME, (job: Job) => this.process(job), {
      connection: this.workerConnection,
      prefix: this.options.prefix,
      concurrency: this.options.concurrency,
      // A job whose worker died stops renewing its lock (renewed every lockDuration / 2); the stalled check, run every
      // stalledInterval by each worker, hands it to another worker: within about 2 x JOB_LOCK_MS of the crash.
      lockDuration: this.options.lockMs,
      stalledInterval: this.options.lockMs,
      maxStalledCount: MAX_STALLED_COUNT,
    });
    this.worker.on('error', (err) => this.logger.warn({ err: err.message }, 'worker connection error'));
    this.worker.on('completed', (job) => this.metrics.jobs.inc({ name: job.name, outcome: 'completed' }));
    this.worker.on('failed', (job, err) => {
      if (!job) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1);
      this.metrics.jobs.inc({ name: job.name, outcome: final ? 'failed' : 'retried' });
      if (final) this.logger.error({ err, job: job.name, id: job.id }, 'job failed after its last attempt');
    });
  }

  /**
   * Lets the worker finish its running jobs, as long as it can reach Redis. BullMQ's `close()` never returns while its
   * connections cannot reach Redis (down, or not yet back), so once they have been trying for UNREACHABLE_STOP_MS the
   * connections are ended and the close completes.
   */
  private async closeWorker(): Promise<void> {
    const worker = this.worker;
    const connection = this.workerConnection;
    if (!worker || !connection) return;
    let closed = false;
    const closing = worker.close().finally(() => {
      closed = true;
    });
    let unreachableSince: number | undefined;
    while (!closed) {
      await Promise.race([closing, sleep(100)]);
      if (closed) break;
      if (connection.reachable) {
        unreachableSince = undefined;
        continue;
      }
      unreachableSince ??= Date.now();
      if (Date.now() - unreachableSince < UNREACHABLE_STOP_MS) continue;
      this.logger.warn(
        'job worker stopping without Redis: its connections are closed; its unfinished jobs return to the queue when their locks expire',
      );
      connection.endAll();
      await closing;
    }
  }

  /** Relayed rows are asked of Redis; the others are live while the relay has still to send them. */
  async liveness(rows: OutboxJobRef[]): Promise<JobLiveness[]> {
    return Promise.all(
      rows.map(async (r): Promise<JobLiveness> => {
        if (r.status === 'pending') return 'live';
        if (r.status !== 'relayed') return r.status === 'failed' ? 'failed' : 'gone';
        const state = await this.queue.getJobState(r.jobId);
        if (LIVE_STATES.has(state)) return 'live';
        return state === 'failed' ? 'failed' : 'gone';
      }),
    );
  }

  private async process(job: Job): Promise<void> {
    const handler = this.handlers[job.name as JobName] as
      ((p: unknown, m: { attempt: number; jobId: string }) => Promise<void>) | undefined;
    if (!handler) throw new Error(`no handler for job ${job.name}`);
    const attempt = job.attemptsMade + 1;
    try {
      await handler(job.data, { attempt, jobId: String(job.id) });
    } catch (err) {
      // Recorded while this worker still holds the job: the domain state says "failed" before BullMQ does.
      if (attempt >= (job.opts.attempts ?? 1))
        await runFinalFailure(this.options.failureHooks ?? {}, job.name as JobName, job.data, err, this.logger);
      throw err;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
