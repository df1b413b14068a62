import type { DataSource } from 'typeorm';
import type { Config } from '../config/config';
import type { UnitOfWork } from '../db/unit-of-work';
import type { RouteDef } from '../http/route';
import type { JobHandlers } from '../jobs/catalogue';
import { informationRequestsRoutes } from './information-requests.routes';
import { InformationRequestsService } from './information-requests.service';

export interface InformationRequestsFeature {
  service: InformationRequestsService;
  routes: RouteDef[];
  jobHandlers: Pick<JobHandlers, 'cases.information_overdue'>;
}

export function createInformationRequestsFeature(deps: {
  dataSource: DataSource;
  uow: UnitOfWork;
  config: Config;
}): InformationRequestsFeature {
  const service = new InformationRequestsService(deps.dataSource, deps.uow, deps.config.INFO_REQUEST_TIMEOUT_HOURS);
  return {
    service,
    routes: informationRequestsRoutes(service),
    jobHandlers: {
      'cases.information_overdue': async ({ requestId }) => {
        await service.overdue(requestId);
      },
    },
  };
}
