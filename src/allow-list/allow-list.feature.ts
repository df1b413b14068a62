import type { DataSource } from 'typeorm';
import type { Config } from '../config/config';
import type { UnitOfWork } from '../db/unit-of-work';
import type { RouteDef } from '../http/route';
import type { ReferenceIndex } from '../lists/reference-index';
import type { SuppressionSource } from '../screening/suppressions';
import { allowListRoutes } from './allow-list.routes';
import { AllowListService } from './allow-list.service';
import { AllowListSource } from './allow-list.source';

export interface AllowListFeature {
  service: AllowListService;
  /** What screening consults to suppress marked hits (replaces NO_SUPPRESSIONS). */
  source: SuppressionSource;
  routes: RouteDef[];
}

export function createAllowListFeature(deps: {
  dataSource: DataSource;
  uow: UnitOfWork;
  config: Config;
  index: ReferenceIndex;
}): AllowListFeature {
  const currentHash = (listId: string, entryId: string) => deps.index.entryHash(listId, entryId);
  const service = new AllowListService(deps.dataSource, deps.uow, deps.config.ALLOW_LIST_DAYS, currentHash);
  return { service, source: new AllowListSource(currentHash), routes: allowListRoutes(service) };
}
