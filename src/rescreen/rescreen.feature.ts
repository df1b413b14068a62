import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { UnitOfWork } from '../db/unit-of-work';
import type { ScreeningPipeline } from '../declarations/screening-pipeline';
import { JOB_POLICIES, type JobHandlers, type StuckWorkFinder } from '../jobs/catalogue';
import type { ReferenceIndex } from '../lists/reference-index';
import type { Ruleset } from '../screening/ruleset';
import { RescreenService } from './rescreen.service';
import { stuckRescreenRuns } from './rescreen.repository';

export interface RescreenFeature {
  service: RescreenService;
  jobHandlers: Pick<JobHandlers, 'lists.rescreen'>;
  /** A run's job records its own failure on its last attempt; a lost one is re-queued by the reconciler. */
  stuckWork: StuckWorkFinder;
}

export function createRescreenFeature(deps: {
  dataSource: DataSource;
  uow: UnitOfWork;
  logger: Logger;
  config: Config;
  index: ReferenceIndex;
  pipeline: ScreeningPipeline;
  ruleset: Ruleset;
}): RescreenFeature {
  const service = new RescreenService(deps.dataSource, deps.uow, deps.logger, deps.index, deps.pipeline, {
    lookbackDays: deps.config.RESCREEN_LOOKBACK_DAYS,
    chunkSize: deps.config.RESCREEN_CHUNK_SIZE,
    catchUpDelayMs: deps.config.RESCREEN_CATCHUP_DELAY_MS,
    minScore: deps.ruleset.partyBands.review,
    graph: { targetTopics: deps.ruleset.targetTopics, threshold: deps.ruleset.ownership.threshold },
  });
  return {
    service,
    stuckWork: stuckRescreenRuns,
    jobHandlers: {
      'lists.rescreen': ({ versionId }, { attempt }) =>
        service.run(versionId, attempt >= JOB_POLICIES['lists.rescreen'].attempts),
    },
  };
}
