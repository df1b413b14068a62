import type { DataSource, EntityManager } from 'typeorm';
import type { RescreenView } from './lists.schemas';

/**
 * What lists needs from the delta re-screening (src/rescreen), which is built on lists and so may not be imported by
 * it: src/rescreen/rescreen-runs.ts provides it and the composition root (src/composition.ts) hands it to lists.
 */
export interface RescreenHook {
  /** Schedules the re-screening of a version that just went live, in the activation transaction. */
  schedule(
    m: EntityManager,
    run: { versionId: string; listId: string; previousVersionId: string | null },
  ): Promise<void>;
  /** The re-screening run the version's activation started (null when none), for GET of one version. */
  read(db: DataSource | EntityManager, versionId: string): Promise<RescreenView | null>;
  /** The version the version's latest activation replaced, from its run; undefined when it has no run. */
  previousVersion(
    db: DataSource | EntityManager,
    versionId: string,
  ): Promise<{ previousVersionId: string | null } | undefined>;
}
