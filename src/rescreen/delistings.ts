import type { DataSource } from 'typeorm';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.service';
import type { UnitOfWork } from '../db/unit-of-work';
import type { DeclarationInput } from '../declarations/declarations.schemas';
import type { ScreeningPipeline } from '../declarations/screening-pipeline';
import { entryChangesSql } from '../lists/version-diff';

/** The part of a re-screening run the delisting pass needs. */
export interface DelistingRun {
  version_id: string;
  list_id: string;
  previous_version_id: string | null;
  kind: 'goods' | 'entities';
}

interface OpenCaseHits {
  case_id: string;
  declaration_id: string;
  entry_ids: string[];
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
  const open: OpenCaseHits[] = await deps.dataSource.query(
    `SELECT rc.id AS case_id, rc.declaration_id, array_agg(DISTINCT h->>'entryId') AS entry_ids
     FROM review_cases rc
     JOIN declarations d ON d.id = rc.declaration_id
     JOIN screenings s ON s.id = d.latest_screening_id
     CROSS JOIN LATERAL jsonb_array_elements(s.hits) h
     WHERE rc.closed_at IS NULL AND h->>'listId' = $1 AND h->>'entryId' IS NOT NULL
     GROUP BY rc.id, rc.declaration_id`,
    [run.list_id]);
  if (open.length === 0) return 0;
  const ids = [...new Set(open.flatMap((c) => c.entry_ids))];
  const changes: { entry_id: string; change: string }[] = await deps.dataSource.query(
    `SELECT entry_id, change FROM (${entryChangesSql(run.kind, (col) => `${col} = ANY($3::text[])`)}) c WHERE change <> 'added'`,
    [run.version_id, run.previous_version_id, ids]);
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

async function rescreenOne(deps: DelistingDeps, run: DelistingRun, c: OpenCaseHits, removed: string[], changed: string[]): Promise<boolean> {
  const [d]: { id: string; organization: string; reference: string; body: DeclarationInput }[] = await deps.dataSource.query(
    `SELECT id, organization, reference, body FROM declarations WHERE id = $1`, [c.declaration_id]);
  const result = await deps.pipeline.screen(d.body, d.organization);
  return deps.uow.run(async (m) => {
    const [current]: { closed_at: Date | null }[] = await m.query(`SELECT closed_at FROM review_cases WHERE id = $1 FOR UPDATE`, [c.case_id]);
    if (!current || current.closed_at) return false;
    const done: unknown[] = await m.query(`SELECT 1 FROM rescreen_flags WHERE version_id = $1 AND declaration_id = $2`, [run.version_id, d.id]);
    if (done.length) return false;
    const stored = await deps.pipeline.record(m, SYSTEM_ACTOR, d, result, 'rescreen');
    await recordAudit(m, SYSTEM_ACTOR, {
      action: 'case.list_entries_delisted', subjectType: 'case', subjectId: c.case_id,
      data: {
        declarationId: d.id, listId: run.list_id, versionId: run.version_id, previousVersionId: run.previous_version_id,
        removedEntryIds: removed, changedEntryIds: changed, screeningId: stored.id, outcome: stored.outcome,
      },
    });
    await m.query(`INSERT INTO rescreen_flags (version_id, declaration_id, screening_id) VALUES ($1, $2, $3)`, [run.version_id, d.id, stored.id]);
    await m.query(`UPDATE rescreen_runs SET flagged = flagged + 1, locked_until = now() + interval '5 minutes' WHERE version_id = $1`, [run.version_id]);
    return true;
  });
}
