import type { DataSource, EntityManager } from 'typeorm';
import { enqueueInTransaction } from '../jobs/outbox';
import type { RescreenView } from '../lists/lists.schemas';
import type { RescreenHook } from '../lists/rescreen-hook';
import {
  deleteRunCandidates,
  deleteRunFlags,
  insertQueuedRun,
  readRunPreviousVersion,
  readRunProgress,
  restartRun,
} from './rescreen.repository';

/**
 * Delta re-screening runs, one per activated list version: scheduled in the activation transaction, progress readable
 * with the version. Lists reaches these through the RescreenHook (rescreenHook below, wired at composition).
 */

/**
 * Records a queued run and enqueues its job, in the activation transaction. A version activated again (a rollback, or
 * a held version) already has a run: it starts afresh against the version it replaces now, under a new job key.
 */
export async function scheduleRescreen(
  m: EntityManager,
  run: { versionId: string; listId: string; previousVersionId: string | null },
): Promise<void> {
  if (await insertQueuedRun(m, run)) {
    await enqueueInTransaction(
      m,
      'lists.rescreen',
      { versionId: run.versionId },
      { dedupeKey: `lists.rescreen:${run.versionId}` },
    );
    return;
  }
  await restartRescreen(m, run);
}

/** The earlier activation's progress and flags are dropped (its audit events stay): the new run checks everything anew. */
async function restartRescreen(
  m: EntityManager,
  run: { versionId: string; previousVersionId: string | null },
): Promise<void> {
  await deleteRunFlags(m, run.versionId);
  await deleteRunCandidates(m, run.versionId);
  const key = await restartRun(m, run.versionId, run.previousVersionId);
  await enqueueInTransaction(m, 'lists.rescreen', { versionId: run.versionId }, { dedupeKey: key });
}

export async function readRescreenRun(db: DataSource | EntityManager, versionId: string): Promise<RescreenView | null> {
  const r = await readRunProgress(db, versionId);
  if (!r) return null;
  return {
    status: r.status,
    deltaEntries: r.delta_entries,
    candidates: r.candidates,
    processed: r.processed,
    flagged: r.flagged,
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
    error: r.error,
  };
}

/** What lists needs of the re-screening: schedule a run at activation, read it, and the version it replaced. */
export const rescreenHook: RescreenHook = {
  schedule: scheduleRescreen,
  read: readRescreenRun,
  async previousVersion(db, versionId) {
    const run = await readRunPreviousVersion(db, versionId);
    return run ? { previousVersionId: run.previous_version_id } : undefined;
  },
};
