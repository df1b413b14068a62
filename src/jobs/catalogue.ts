/**
 * The typed job catalogue: every background job's name, payload type and retry policy, in one place.
 * Jobs carry ids, not state; handlers read the database and are idempotent (a job may run twice).
 * Handlers are wired in the composition root; the worker refuses to start if any name below has none.
 */
export interface JobPayloads {
  /** Parse an uploaded list version and activate it. */
  'lists.import': { versionId: string };
}

export type JobName = keyof JobPayloads;

export interface JobPolicy {
  attempts: number;
  /** First retry delay; doubles on each attempt. */
  backoffMs: number;
}

export const JOB_POLICIES: { [N in JobName]: JobPolicy } = {
  'lists.import': { attempts: 3, backoffMs: 2000 },
};

export const JOB_NAMES = Object.keys(JOB_POLICIES) as JobName[];

export type JobHandler<N extends JobName> = (payload: JobPayloads[N], meta: { attempt: number; jobId: string }) => Promise<void>;
export type JobHandlers = { [N in JobName]: JobHandler<N> };

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
