import type { DataSource } from 'typeorm';
import type { UnitOfWork } from '../db/unit-of-work';
import type { RouteDef } from '../http/route';
import type { DossierLoader } from '../screening/dossier';
import { licencesRoutes } from './licences.routes';
import { LicencesService, loadCitedLicences } from './licences.service';

export interface LicencesFeature {
  service: LicencesService;
  /** Reads the licences a declaration cites, for screening (ScreeningPipeline's dossier loaders). */
  dossierLoader: DossierLoader;
  routes: RouteDef[];
}

export function createLicencesFeature(deps: { dataSource: DataSource; uow: UnitOfWork }): LicencesFeature {
  const service = new LicencesService(deps.dataSource, deps.uow);
  return { service, dossierLoader: loadCitedLicences, routes: licencesRoutes(service) };
}
