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
}
