import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { UnitOfWork } from '../db/unit-of-work';
import type { RouteDef } from '../http/route';
import type { FinalFailureHandlers, JobHandlers, StuckWorkFinder } from '../jobs/catalogue';
import { PgListener } from '../db/pg-listener';
import { PollLoop } from '../jobs/poll-loop';
import { loadHsNomenclature } from './hs-nomenclature';
import type { HsNomenclature } from '../screening/hs-lookup';
import { ListsService } from './lists.service';
import { listsRoutes } from './lists.routes';
import { ReferenceIndex } from './reference-index';
import { awaitSeeds, seedLists } from './seed';
import { stuckImports } from './versions.repository';
import { withImportLock } from './import-lock';
import type { Ruleset } from '../screening/ruleset';
import type { RescreenHook } from './rescreen-hook';

/** Channel of the NOTIFY sent by the list_generation trigger (migration ListGeneration1764190600000). */
export const LIST_GENERATION_CHANNEL = 'list_generation';

export interface ListsFeature {
  service: ListsService;
  index: ReferenceIndex;
  hs: HsNomenclature;
  routes: RouteDef[];
  jobHandlers: Pick<JobHandlers, 'lists.import'>;
  failureHandlers: Pick<FinalFailureHandlers, 'lists.import'>;
  stuckWork: StuckWorkFinder;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createListsFeature(deps: {
  dataSource: DataSource;
  uow: UnitOfWork;
  logger: Logger;
  config: Config;
  ruleset: Ruleset;
  rescreen: RescreenHook;
}): ListsFeature {
  const index = new ReferenceIndex(deps.dataSource, deps.logger, {
    waitMs: deps.config.LIST_WAIT_MS,
    cachedQueries: deps.config.MATCH_CACHE_QUERIES,
    graph: { targetTopics: deps.ruleset.targetTopics, threshold: deps.ruleset.ownership.threshold },
  });
  // Every process hears of an activation by NOTIFY (sent by the list_generation trigger) and this one is told at once;
  // the poll is the fallback while the listener is down. Requests never depend on either: they check the generation.
  const refresher = new PollLoop(
    () => index.refresh().then(() => 0),
    deps.config.LIST_REFRESH_MS,
    (err) => deps.logger.error({ err }, 'list index refresh failed'),
  );
  const wake = () => refresher.wake();
  // The embedded database serves one process only, which is told directly.
  const listener = deps.config.DATABASE_URL
    ? new PgListener(deps.config.DATABASE_URL, LIST_GENERATION_CHANNEL, wake, wake, deps.logger)
    : undefined;
  const service = new ListsService(
    deps.dataSource,
    deps.uow,
    deps.logger,
    wake,
    deps.rescreen,
    deps.config.LIST_SHRINK_GUARD_PERCENT,
  );
  const hs = loadHsNomenclature();
  return {
    service,
    index,
    hs,
    routes: listsRoutes({ lists: service, index, hs, uploadLimitBytes: deps.config.UPLOAD_LIMIT_BYTES }),
    jobHandlers: {
      'lists.import': ({ versionId }) =>
        withImportLock(deps.dataSource, deps.logger, versionId, () => service.importStoredVersion(versionId)),
    },
    failureHandlers: { 'lists.import': ({ versionId }, error) => service.failImport(versionId, error) },
    stuckWork: stuckImports,
    async start() {
      const seeded = await seedLists(deps.dataSource, service);
      if (seeded.length) deps.logger.info({ seeded }, 'seed lists loaded');
      const pending = await awaitSeeds(deps.dataSource, 60_000);
      if (pending.length) deps.logger.warn({ pending }, 'seed lists still importing elsewhere; starting without them');
      await listener?.start();
      await index.refresh();
      refresher.start();
    },
    async stop() {
      await listener?.stop();
      await refresher.stop();
    },
  };
}
