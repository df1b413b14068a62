import type { DataSource } from 'typeorm';
import type { Config } from '../config/config';
import type { UnitOfWork } from '../db/unit-of-work';
import type { RouteDef } from '../http/route';
import { documentsRoutes } from './documents.routes';
import { DocumentsService, type DocumentsOptions } from './documents.service';

export interface DocumentsFeature {
  service: DocumentsService;
  routes: RouteDef[];
}

export function createDocumentsFeature(deps: {
  dataSource: DataSource;
  uow: UnitOfWork;
  config: Config;
  declarationOrganization: DocumentsOptions['declarationOrganization'];
}): DocumentsFeature {
  const service = new DocumentsService(deps.dataSource, deps.uow, {
    maxBytes: deps.config.DOCUMENT_MAX_BYTES,
    types: deps.config.DOCUMENT_TYPES,
    declarationOrganization: deps.declarationOrganization,
  });
  return { service, routes: documentsRoutes(service) };
}
