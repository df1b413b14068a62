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
}

/** One registry per service instance (tests build several in one process). */
export function createMetrics(queueDepth: () => Promise<Record<string, number>>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpRequests = new Counter({
    name: 'http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'] as const, registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds', help: 'HTTP request latency by route', labelNames: ['method', 'route'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry],
  });
  const jobs = new Counter({
    name: 'jobs_total', help: 'Background jobs by name and outcome (completed, retried, failed)', labelNames: ['name', 'outcome'] as const, registers: [registry],
  });
  const gauge: Gauge<'state'> = new Gauge({
    name: 'job_queue_depth', help: 'Background jobs by state (refreshed in the background, not per scrape)', labelNames: ['state'] as const, registers: [registry],
  });
  let timer: NodeJS.Timeout | undefined;
  const refresh = async () => {
    try {
      const depth = await queueDepth();
      for (const [state, n] of Object.entries(depth)) gauge.set({ state }, n);
    } catch {
      // The queue backend is down: /readyz says so; the gauge keeps its last values.
    }
  };
  return {
    registry, httpRequests, httpDuration, jobs, queueDepth: gauge,
    startRefresh(intervalMs: number) {
      if (timer) return;
      void refresh();
      timer = setInterval(() => { void refresh(); }, intervalMs);
      timer.unref();
    },
    stopRefresh() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
