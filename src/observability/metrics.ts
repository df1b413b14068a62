import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface JobMetrics {
  jobs: Counter<'name' | 'outcome'>;
}

export interface Metrics extends JobMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  queueDepth: Gauge<'state'>;
  /**
   * Gauges that need a query (queue depth) are refreshed by this loop, so a scrape costs no database or Redis round
   * trip however often (or by whom) /metrics is fetched.
   */
  startRefresh(intervalMs: number): void;
  stopRefresh(): void;
  /** Adds a reader to that loop (e.g. list freshness, which lives in the database). */
  addRefresher(refresh: () => Promise<void>): void;
}

/** One registry per service instance (tests build several in one process). */
export function createMetrics(queueDepth: () => Promise<Record<string, number>>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const jobs = new Counter({
    name: 'jobs_total',
    help: 'Background jobs by name and outcome (completed, retried, failed)',
    labelNames: ['name', 'outcome'] as const,
    registers: [registry],
  });
  const gauge: Gauge<'state'> = new Gauge({
    name: 'job_queue_depth',
    help: 'Background jobs by state (refreshed in the background, not per scrape)',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  let timer: NodeJS.Timeout | undefined;
  const refreshers: (() => Promise<void>)[] = [
    async () => {
      const depth = await queueDepth();
      for (const [state, n] of Object.entries(depth)) gauge.set({ state }, n);
    },
  ];
  // A backend that is down keeps its gauges at their last values (/readyz says what is down).
  const refresh = () => Promise.all(refreshers.map((r) => r().catch(() => undefined)));
  return {
    registry,
    httpRequests,
    httpDuration,
    jobs,
    queueDepth: gauge,
    startRefresh(intervalMs: number) {
      if (timer) return;
      void refresh();
      timer = setInterval(() => {
        void refresh();
      }, intervalMs);
      timer.unref();
    },
    stopRefresh() {
      clearInterval(timer);
      timer = undefined;
    },
    addRefresher(r) {
      refreshers.push(r);
    },
  };
}

export interface ListMetricsRow {
  listId: string;
  /** Seconds since the active version was activated, when read; null without one. */
  ageSeconds: number | null;
  /** never, ok, stale or failed; null when the list has no source. */
  sourceStatus: string | null;
  lastOutcome: string | null;
  lastCheckedAt: Date | null;
}

/**
 * List freshness. The fetches run in the worker while /metrics is served by the API, so only the database knows every
 * process's latest outcome: the rows are read by the metrics refresh loop (never per scrape), and a scrape computes
 * each list's age from the activation time read then. Returns the reader to add to that loop.
 */
export function registerListMetrics(registry: Registry, read: () => Promise<ListMetricsRow[]>): () => Promise<void> {
  let rows: { row: ListMetricsRow; activatedAtMs: number | null }[] = [];
  new Gauge({
    name: 'list_active_version_age_seconds',
    help: 'Seconds since the active version of each list was activated',
    labelNames: ['list_id'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { row, activatedAtMs } of rows)
        if (activatedAtMs !== null) this.set({ list_id: row.listId }, (Date.now() - activatedAtMs) / 1000);
    },
  });
  new Gauge({
    name: 'list_source_status',
    help: "1 for each list source's current status (never, ok, stale, failed)",
    labelNames: ['list_id', 'status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { row } of rows) if (row.sourceStatus) this.set({ list_id: row.listId, status: row.sourceStatus }, 1);
    },
  });
  new Gauge({
    name: 'list_source_last_fetch_timestamp_seconds',
    help: "Unix time of each source's last check, labelled with its outcome (not_modified, unchanged, changed, error)",
    labelNames: ['list_id', 'outcome'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { row } of rows)
        if (row.lastCheckedAt && row.lastOutcome)
          this.set({ list_id: row.listId, outcome: row.lastOutcome }, row.lastCheckedAt.getTime() / 1000);
    },
  });
  return async () => {
    const readAt = Date.now();
    rows = (await read()).map((row) => ({
      row,
      activatedAtMs: row.ageSeconds === null ? null : readAt - row.ageSeconds * 1000,
    }));
  };
}
