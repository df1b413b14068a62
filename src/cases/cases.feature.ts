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
import { escalateOverdue } from './sla';

export interface CasesFeature {
  service: CasesService;
  decisions: DecisionsService;
  notes: NotesService;
  routes: RouteDef[];
  jobHandlers: Pick<JobHandlers, 'cases.escalate'>;
}

export function createCasesFeature(deps: {
  dataSource: DataSource;
  uow: UnitOfWork;
  config: Config;
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
  return {
    service,
    decisions,
    notes,
    routes: [...casesRoutes(service, decisions), ...notesRoutes(notes)],
    jobHandlers: {
      'cases.escalate': async ({ caseId, deadline }) => {
        await escalateOverdue(deps.uow, caseId, deadline);
      },
    },
  };
}
