import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../config/config';
import type { UnitOfWork } from '../db/unit-of-work';
import type { AllowListService } from '../allow-list/allow-list.service';
import type { RouteDef } from '../http/route';
import type { JobHandlers } from '../jobs/catalogue';
import type { DocumentsService } from '../documents/documents.service';
import type { CaseInformationRequests } from './case-information';
import { casesRoutes } from './cases.routes';
import { CasesService } from './cases.service';
import { DecisionsService } from './decisions.service';
import { notesRoutes } from './notes.routes';
import { NotesService } from './notes.service';
import { escalateOverdue, startSlaSweep, sweepOverdueCases } from './sla';

export interface CasesFeature {
  service: CasesService;
  decisions: DecisionsService;
  notes: NotesService;
  routes: RouteDef[];
  jobHandlers: Pick<JobHandlers, 'cases.escalate'>;
  /** One SLA sweep now, in batches of `batch` cases (the loop runs one every CASE_SLA_SWEEP_MS); how many it escalated. */
  sweepOverdue(batch?: number): Promise<number>;
  /** Starts the SLA sweep loop (where jobs run). */
  start(): void;
  stop(): Promise<void>;
}

export function createCasesFeature(deps: {
  dataSource: DataSource;
  uow: UnitOfWork;
  config: Config;
  logger: Logger;
  allowList: AllowListService;
  documents: DocumentsService;
  informationRequests: CaseInformationRequests;
}): CasesFeature {
  const service = new CasesService(
    deps.dataSource,
    deps.uow,
    deps.config.CASE_LEASE_MINUTES,
    deps.documents,
    deps.informationRequests,
  );
  const decisions = new DecisionsService(
    deps.uow,
    deps.allowList,
    deps.config.CASE_LEASE_MINUTES,
    deps.informationRequests,
  );
  const notes = new NotesService(deps.uow);
  let sweep: { stop(): Promise<void> } | undefined;
  return {
    service,
    decisions,
    notes,
    routes: [...casesRoutes(service, decisions), ...notesRoutes(notes)],
    jobHandlers: {
      // Nothing enqueues it any more (the SLA sweep escalates): it runs the jobs an older deployment queued.
      'cases.escalate': async ({ caseId, deadline }) => {
        await escalateOverdue(deps.uow, caseId, deadline);
      },
    },
    sweepOverdue: (batch) => sweepOverdueCases(deps.dataSource, batch),
    start() {
      sweep ??= startSlaSweep(deps.dataSource, deps.config.CASE_SLA_SWEEP_MS, (err) =>
        deps.logger.error({ err }, 'SLA sweep failed'),
      );
    },
    async stop() {
      await sweep?.stop();
      sweep = undefined;
    },
  };
}
