import type { DataSource } from 'typeorm';
import type { UnitOfWork } from '../db/unit-of-work';
import type { RouteDef } from '../http/route';
import { loadHsNomenclature } from '../lists/hs-nomenclature';
import type { Ruleset } from '../screening/ruleset';
import { statsRoutes } from './stats.routes';
import { StatsService } from './stats.service';

export interface StatsFeature {
  service: StatsService;
  routes: RouteDef[];
}

export function createStatsFeature(deps: { dataSource: DataSource; uow: UnitOfWork; ruleset: Ruleset }): StatsFeature {
  const service = new StatsService(deps.dataSource, deps.uow, deps.ruleset, loadHsNomenclature());
  return { service, routes: statsRoutes(service) };
}
