import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { UnitOfWork } from '../db/unit-of-work';
import type { RouteDef } from '../http/route';
import type { FinalFailureHandlers, JobHandlers, StuckWorkFinder } from '../jobs/catalogue';
import { PollLoop } from '../jobs/poll-loop';
import { loadHsNomenclature, type HsNomenclature } from './hs-nomenclature';
import { ListsService } from './lists.service';
import { listsRoutes } from './lists.routes';
import { ReferenceIndex } from './reference-index';
import { seedLists } from './seed';
import { stuckImports } from './stuck-imports';
import { withImportLock } from './import-lock';

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

export function createListsFeature(deps: { dataSource: DataSource; uow: UnitOfWork; logger: Logger; config: Config }): ListsFeature {
  const index = new ReferenceIndex(deps.dataSource, deps.logger);
  // Other processes learn of an activation by polling; this one is told at once.
  const refresher = new PollLoop(() => index.refresh().then(() => 0), deps.config.LIST_REFRESH_MS, (err) => deps.logger.error({ err }, 'list index refresh failed'));
  const service = new ListsService(deps.dataSource, deps.uow, deps.logger, () => refresher.wake());
  const hs = loadHsNomenclature();
  return {
    service,
    index,
    hs,
    routes: listsRoutes({ lists: service, index, hs, uploadLimitBytes: deps.config.UPLOAD_LIMIT_BYTES }),
    jobHandlers: { 'lists.import': ({ versionId }) => withImportLock(deps.dataSource, deps.logger, versionId, () => service.importStoredVersion(versionId)) },
    failureHandlers: { 'lists.import': ({ versionId }, error) => service.failImport(versionId, error) },
    stuckWork: stuckImports,
    async start() {
      const seeded = await seedLists(deps.dataSource, service);
      if (seeded.length) deps.logger.info({ seeded }, 'seed lists loaded');
      await index.refresh();
      refresher.start();
    },
    stop: () => refresher.stop(),
  };
}
