import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { UnitOfWork } from '../db/unit-of-work';
import type { ScreeningPipeline } from '../declarations/screening-pipeline';
import type { RouteDef } from '../http/route';
import { invoicesRoutes } from './invoices.routes';
import { InvoicesService } from './invoices.service';

export interface InvoicesFeature {
  service: InvoicesService;
  routes: RouteDef[];
}

/** Built after the declarations feature: filing an invoice re-screens the open declarations that cite it. */
export function createInvoicesFeature(deps: {
  dataSource: DataSource;
  uow: UnitOfWork;
  logger: Logger;
  pipeline: ScreeningPipeline;
}): InvoicesFeature {
  const service = new InvoicesService(deps.dataSource, deps.uow, deps.pipeline, deps.logger);
  return { service, routes: invoicesRoutes(service) };
}
