import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { UnitOfWork } from '../db/unit-of-work';
import type { RouteDef } from '../http/route';
import { JOB_POLICIES, type JobHandlers, type JobPolicies } from '../jobs/catalogue';
import { PollLoop } from '../jobs/poll-loop';
import type { ListsService } from '../lists/lists.service';
import { registerListMetrics } from '../observability/metrics';
import type { Registry } from 'prom-client';
import { DEFAULT_SOURCES } from './defaults';
import { listAges } from './list-sources.repository';
import { listSourceRoutes } from './list-sources.routes';
import { ListSourcesService } from './list-sources.service';

export interface ListSourcesFeature {
  service: ListSourcesService;
  routes: RouteDef[];
  jobHandlers: Pick<JobHandlers, 'lists.fetch'>;
  /** Catalogue policies as configured here (the fetch retry base is LIST_FETCH_RETRY_BASE_MS). */
  jobPolicies: Pick<JobPolicies, 'lists.fetch'>;
  /** Registers the list freshness gauges; returns their reader for the metrics refresh loop. */
  registerMetrics(registry: Registry): () => Promise<void>;
  /** Installs the shipped defaults (LIST_SOURCES=on); with `schedule`, starts the loop that enqueues due checks. */
  start(options: { schedule: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export function createListSourcesFeature(deps: {
  dataSource: DataSource;
  uow: UnitOfWork;
  logger: Logger;
  config: Config;
  lists: ListsService;
}): ListSourcesFeature {
  const { config, logger } = deps;
  const service = new ListSourcesService(deps.dataSource, deps.uow, deps.lists, logger, {
    timeoutMs: config.LIST_FETCH_TIMEOUT_MS,
    maxBytes: config.LIST_FETCH_MAX_BYTES,
    shippedSources: config.LIST_SOURCES === 'on',
  });
  // Every process that runs jobs may run this loop: claiming due rows with SKIP LOCKED enqueues each check once.
  const scheduler = new PollLoop(
    () => service.enqueueDue(),
    config.LIST_SOURCES_POLL_MS,
    (err) => logger.error({ err }, 'list source scheduling failed'),
  );
  return {
    service,
    routes: listSourceRoutes(service),
    jobHandlers: {
      'lists.fetch': async ({ listId }) => {
        await service.fetch(listId);
      },
    },
    jobPolicies: { 'lists.fetch': { ...JOB_POLICIES['lists.fetch'], backoffMs: config.LIST_FETCH_RETRY_BASE_MS } },
    registerMetrics: (registry) => registerListMetrics(registry, () => listAges(deps.dataSource)),
    async start({ schedule }) {
      const installed = await service.installDefaults(DEFAULT_SOURCES);
      if (installed.length) logger.info({ installed }, 'default list sources installed');
      if (schedule) scheduler.start();
    },
    stop: () => scheduler.stop(),
  };
}
