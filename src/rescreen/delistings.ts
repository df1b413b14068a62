import type { DataSource } from 'typeorm';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.service';
import type { UnitOfWork } from '../db/unit-of-work';
import { lockCaseClosedAt, openCaseHitsOnList, type OpenCaseHits } from '../cases/rescreen.repository';
import { readDeclarationForRescreen } from '../declarations/rescreen.repository';
import type { ScreeningPipeline } from '../declarations/screening-pipeline';
import { removedOrChangedEntries } from '../lists/version-diff.repository';
import { incrementFlaggedRenewingLease, insertFlag, isFlagged } from './rescreen.repository';

/** The part of a re-screening run the delisting pass needs. */
export interface DelistingRun {
  version_id: string;
  list_id: string;
  previous_version_id: string | null;
  kind: 'goods' | 'entities';
}

export interface DelistingDeps {
  dataSource: DataSource;
  uow: UnitOfWork;
  pipeline: ScreeningPipeline;
}

/**
 * The other half of delta re-screening: the delta check finds declarations that hit an added or changed entry, but a
 * case whose hits point at an entry the new version removed (or changed) would go on showing a hit no longer in force.
 * Those declarations are screened again in full (trigger rescreen), and the case history gets an event naming the
 * removed and changed entries. Each declaration is recorded once per run (rescreen_flags), like the delta pass, which
 * then leaves it alone: its new screening already holds every hit in force. Returns how many it recorded.
 */
export async function rescreenDelistings(deps: DelistingDeps, run: DelistingRun): Promise<number> {
  if (!run.previous_version_id) return 0;
  const open = await openCaseHitsOnList(deps.dataSource, run.list_id);
  if (open.length === 0) return 0;
  const ids = [...new Set(open.flatMap((c) => c.entry_ids))];
  const changes = await removedOrChangedEntries(
    deps.dataSource,
    run.kind,
    run.version_id,
    run.previous_version_id,
    ids,
  );
  const changeOf = new Map(changes.map((c) => [c.entry_id, c.change]));
  let recorded = 0;
  for (const c of open) {
    const removed = c.entry_ids.filter((id) => changeOf.get(id) === 'removed').sort();
    const changed = c.entry_ids.filter((id) => changeOf.get(id) === 'changed').sort();
    if (removed.length + changed.length === 0) continue;
    if (await rescreenOne(deps, run, c, removed, changed)) recorded += 1;
  }
  return recorded;
}

async function rescreenOne(
  deps: DelistingDeps,
  run: DelistingRun,
  c: OpenCaseHits,
  removed: string[],
  changed: string[],
): Promise<boolean> {
  const d = await readDeclarationForRescreen(deps.dataSource, c.declaration_id);
  const result = await deps.pipeline.screen(d.body, d.organization);
  return deps.uow.run(async (m) => {
    const current = await lockCaseClosedAt(m, c.case_id);
    if (!current || current.closed_at) return false;
    if (await isFlagged(m, run.version_id, d.id)) return false;
    const stored = await deps.pipeline.record(m, SYSTEM_ACTOR, d, result, 'rescreen');
    await recordAudit(m, SYSTEM_ACTOR, {
      action: 'case.list_entries_delisted',
      subjectType: 'case',
      subjectId: c.case_id,
      data: {
        declarationId: d.id,
        listId: run.list_id,
        versionId: run.version_id,
        previousVersionId: run.previous_version_id,
        removedEntryIds: removed,
        changedEntryIds: changed,
        screeningId: stored.id,
        outcome: stored.outcome,
      },
    });
    await insertFlag(m, run.version_id, d.id, stored.id);
    await incrementFlaggedRenewingLease(m, run.version_id);
    return true;
  });
}
