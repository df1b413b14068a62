import type { DeclarationInformation } from './declarations.schemas';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { UnitOfWork } from '../db/unit-of-work';
import type { DocumentsService } from '../documents/documents.service';
import type { RouteDef } from '../http/route';
import {
  JOB_POLICIES,
  type FinalFailureHandlers,
  type JobHandlers,
  type JobPolicies,
  type StuckWorkFinder,
} from '../jobs/catalogue';
import type { ListsFeature } from '../lists/lists.feature';
import type { DossierLoader } from '../screening/dossier';
import { loadNationalTariff } from '../screening/national-tariff';
import type { Ruleset } from '../screening/ruleset';
import type { SuppressionSource } from '../screening/suppressions';
import { BatchesService } from './batches.service';
import type { DeclarationCases } from './declaration-cases';
import { declarationsRoutes } from './declarations.routes';
import { DeclarationsService } from './declarations.service';
import { ScreeningPipeline } from './screening-pipeline';

export interface DeclarationsFeature {
  service: DeclarationsService;
  batches: BatchesService;
  pipeline: ScreeningPipeline;
  routes: RouteDef[];
  jobHandlers: Pick<JobHandlers, 'batches.screen'>;
  jobPolicies: Pick<JobPolicies, 'batches.screen'>;
  failureHandlers: Pick<FinalFailureHandlers, 'batches.screen'>;
  stuckWork: StuckWorkFinder;
}

export function createDeclarationsFeature(deps: {
  dataSource: DataSource;
  uow: UnitOfWork;
  logger: Logger;
  config: Config;
  lists: ListsFeature;
  ruleset: Ruleset;
  suppressions: SuppressionSource;
  informationRequests?: DeclarationInformation;
  /** Readers of the records declarations cite (invoices, licences): see src/screening/dossier.ts. */
  dossierLoaders?: readonly DossierLoader[];
  documents: DocumentsService;
  /** Review cases (src/cases/declaration-cases.ts): opened by re-screenings, shown in a declaration's view. */
  cases: DeclarationCases;
}): DeclarationsFeature {
  const nationalTariff = loadNationalTariff(deps.config.NATIONAL_TARIFF_FILE);
  const pipeline = new ScreeningPipeline(
    deps.dataSource,
    { index: deps.lists.index, hs: deps.lists.hs, ruleset: deps.ruleset, nationalTariff },
    deps.suppressions,
    deps.config,
    deps.cases.openOrUpdate,
    deps.dossierLoaders ?? [],
  );
  const service = new DeclarationsService(
    deps.dataSource,
    deps.uow,
    pipeline,
    deps.config,
    deps.logger,
    deps.documents,
    deps.cases,
    deps.informationRequests,
  );
  const batches = new BatchesService(deps.dataSource, deps.uow, service, deps.config);
  return {
    service,
    batches,
    pipeline,
    routes: declarationsRoutes(service, batches),
    jobHandlers: { 'batches.screen': ({ batchId, from, to }) => batches.screenChunk(batchId, from, to) },
    jobPolicies: {
      'batches.screen': { ...JOB_POLICIES['batches.screen'], backoffMs: deps.config.BATCH_RETRY_BASE_MS },
    },
    failureHandlers: {
      'batches.screen': ({ batchId, from, to }, error) => batches.failChunk(batchId, from, to, error),
    },
    stuckWork: (m, olderThanMs) => batches.stuckChunks(m, olderThanMs),
  };
}
