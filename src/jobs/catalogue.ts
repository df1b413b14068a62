import type { EntityManager } from 'typeorm';
import type { DispatchedEvent } from './webhook-events';

/**
 * The typed job catalogue: every background job's name, payload type and retry policy, in one place.
 * Jobs carry ids, not state; handlers read the database and are idempotent (a job may run twice).
 * Handlers are wired in the composition root; the worker refuses to start if any name below has none.
 */
export interface JobPayloads {
  /** Parse an uploaded list version and activate it. */
  'lists.import': { versionId: string };
  /** Screen items [from, to) of a declaration batch. */
  'batches.screen': { batchId: string; from: number; to: number };
  /** Fan an event out to the organisation's subscribed webhooks: one delivery row and one deliver job each. */
  'webhooks.dispatch': DispatchedEvent;
  /** POST one signed delivery to its webhook. */
  'webhooks.deliver': { deliveryId: string };
  /** Escalate a case whose SLA deadline passed undecided; a job for a deadline the case no longer has does nothing. */
  'cases.escalate': { caseId: string; deadline: string };
  /** Escalate a case whose request for information is still unanswered at its respond-by time; an answered one does nothing. */
  'cases.information_overdue': { requestId: string };
  /** Re-screen open, held and recently cleared declarations against what a newly activated list version changed. */
  'lists.rescreen': { versionId: string };
  /** Check a list's source (conditional GET); new content becomes a version imported like an upload. */
  'lists.fetch': { listId: string };
}

export type JobName = keyof JobPayloads;

export interface JobPolicy {
  attempts: number;
  /** First retry delay; doubles on each attempt. */
  backoffMs: number;
}

export type JobPolicies = { [N in JobName]: JobPolicy };

export const JOB_POLICIES: JobPolicies = {
  'lists.import': { attempts: 3, backoffMs: 2000 },
  'batches.screen': { attempts: 10, backoffMs: 1000 },
  'webhooks.dispatch': { attempts: 5, backoffMs: 1000 },
  // 5 s doubling over 8 attempts: the last one about 10 minutes after the first. Base overridable (WEBHOOK_RETRY_BASE_MS).
  'webhooks.deliver': { attempts: 8, backoffMs: 5000 },
  // A job that fires a little before its deadline (clock skew) fails and retries: 1 s doubling.
  'cases.escalate': { attempts: 12, backoffMs: 1000 },
  // Like cases.escalate: a job that fires a little early fails and retries.
  'cases.information_overdue': { attempts: 12, backoffMs: 1000 },
  'lists.rescreen': { attempts: 5, backoffMs: 5000 },
  // An unreachable publisher: 30 s doubling over 4 attempts (about 3.5 minutes), then the next scheduled check.
  // Base overridable (LIST_FETCH_RETRY_BASE_MS).
  'lists.fetch': { attempts: 4, backoffMs: 30000 },
};

export const JOB_NAMES = Object.keys(JOB_POLICIES) as JobName[];

export type JobHandler<N extends JobName> = (
  payload: JobPayloads[N],
  meta: { attempt: number; jobId: string },
) => Promise<void>;
export type JobHandlers = { [N in JobName]: JobHandler<N> };

/**
 * Called once a job has thrown on its last attempt (or BullMQ gave it up after stalling too often), so the domain state
 * records the failure instead of waiting for work that will never come. Must be idempotent: the reconciler may call it
 * again for a job it finds failed while its work still looks unfinished.
 */
export type FinalFailureHandlers = { [N in JobName]?: (payload: JobPayloads[N], error: string) => Promise<void> };

/**
 * A feature's view of its unfinished work: the dedupe keys of the outbox rows (jobs) whose work is still pending in the
 * domain tables and has not moved for `olderThanMs`. The reconciler re-queues those whose job is gone.
 */
export type StuckWorkFinder = (m: EntityManager, olderThanMs: number) => Promise<string[]>;

export class MissingJobHandlerError extends Error {
  constructor(names: string[]) {
    super(`No handler for job(s): ${names.join(', ')}. Refusing to start the worker.`);
    this.name = 'MissingJobHandlerError';
  }
}

/** Throws unless every catalogued job has a handler (a record built from untyped config could miss one). */
export function assertHandlers(handlers: Partial<Record<string, unknown>>): asserts handlers is JobHandlers {
  const missing = JOB_NAMES.filter((n) => typeof handlers[n] !== 'function');
  if (missing.length) throw new MissingJobHandlerError(missing);
}

export function backoffDelay(policy: JobPolicy, attempt: number): number {
  return policy.backoffMs * 2 ** Math.max(0, attempt - 1);
}
