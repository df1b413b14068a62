import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.service';
import type { UnitOfWork } from '../db/unit-of-work';
import {
  catchUpCandidates,
  lockDeclarationStatus,
  type RescreenCandidate as Candidate,
} from '../declarations/rescreen.repository';
import type { ScreeningPipeline } from '../declarations/screening-pipeline';
import type { ReferenceIndex } from '../lists/reference-index';
import { activationWait } from '../lists/versions.repository';
import { DeltaScreen } from './delta';
import { rescreenDelistings } from './delistings';
import type { GraphPolicy } from '../screening/ownership/list-graph';
import {
  clearedSince,
  completeRun,
  deleteRunCandidates,
  failRun,
  incrementFlagged,
  insertCandidates,
  insertFlag,
  isFlagged,
  markAllProcessed,
  markRunStarted,
  readCandidateChunk,
  readRunStatus,
  releaseRunLease,
  renewRunLease,
  saveProgress,
  setDeltaEntries,
  takeRunLease,
  type RunRow,
} from './rescreen.repository';

/** Statuses a re-screen may change: open cases, held ones, those waiting for the broker, and (within the look-back) cleared ones. */
const ELIGIBLE = ['under_review', 'held', 'information_requested', 'cleared'];

export class RunBusyError extends Error {
  constructor(versionId: string) {
    super(`the re-screening of version ${versionId} is running elsewhere; retrying`);
    this.name = 'RunBusyError';
  }
}

export interface RescreenOptions {
  lookbackDays: number;
  chunkSize: number;
  /** Wait after the activation before the catch-up pass, so screenings in flight at the switch have committed. */
  catchUpDelayMs: number;
  /** The rule set's review band: the delta check finds what a full screening would report. */
  minScore: number;
  /** The rule set's targetTopics and ownership threshold: graph changes are part of the delta. */
  graph?: GraphPolicy;
}

/**
 * The lists.rescreen job. The candidates (open, held, and recently cleared declarations) are fixed when the run
 * starts; they are then read in keyset-paginated chunks and checked against the delta only. A declaration the delta
 * hits is screened in full and, when the full screening confirms a live hit on a changed entry, recorded (trigger
 * rescreen), which opens or updates its case. Progress (cursor, counts) is saved per chunk and each flagged
 * declaration is recorded once per run, so a repeated or resumed job neither skips nor repeats work. A catch-up pass
 * then covers declarations screened with the older version around the switch (see catchUp).
 */
export class RescreenService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly logger: Logger,
    private readonly index: ReferenceIndex,
    private readonly pipeline: ScreeningPipeline,
    private readonly options: RescreenOptions,
  ) {}

  async run(versionId: string, lastAttempt: boolean): Promise<void> {
    const run = await this.takeRun(versionId);
    if (!run) return;
    try {
      if (run.status === 'queued') await this.start(run);
      // This process screens with at least this version from here on (waits for its index, or fails the attempt).
      await this.index.current();
      await rescreenDelistings({ dataSource: this.dataSource, uow: this.uow, pipeline: this.pipeline }, run);
      const delta = await DeltaScreen.load(
        this.dataSource,
        { listId: run.list_id, versionId, previousVersionId: run.previous_version_id, kind: run.kind },
        this.options.minScore,
        this.options.graph,
      );
      await setDeltaEntries(this.dataSource, versionId, delta.size);
      if (delta.size === 0) {
        await markAllProcessed(this.dataSource, versionId);
        await this.complete(run);
        return;
      }
      let cursor = run.cursor;
      for (;;) {
        const chunk = await readCandidateChunk(
          this.dataSource,
          versionId,
          cursor ?? '00000000-0000-0000-0000-000000000000',
          this.options.chunkSize,
        );
        if (chunk.length === 0) break;
        for (const d of chunk) {
          if (!ELIGIBLE.includes(d.status)) continue;
          const keys = delta.affected(d.body);
          if (keys.size) await this.flag(run, d, keys);
        }
        cursor = chunk[chunk.length - 1].id;
        await saveProgress(this.dataSource, versionId, chunk.length, cursor);
      }
      await this.catchUp(run, delta);
      await this.complete(run);
    } catch (err) {
      if (lastAttempt) {
        await this.fail(versionId, err);
      } else {
        this.logger.warn(
          { err, versionId },
          're-screening attempt failed; it resumes from its saved progress on the next attempt',
        );
        await releaseRunLease(this.dataSource, versionId);
      }
      throw err;
    }
  }

  /**
   * The safety net of read-your-writes activation: a request that passed its list-generation check just before the
   * activation committed may record a screening made with the older version after the candidates were fixed. Once
   * such requests have had time to commit, every eligible declaration whose latest screening recorded an older
   * version of this list (or none), written since shortly before the activation, is checked against the delta too.
   * Declarations already handled by this run are skipped; flag() records each at most once, so a retry is harmless.
   */
  private async catchUp(run: RunRow, delta: DeltaScreen): Promise<void> {
    const { activated_at: activatedAt, wait_ms: waitMs } = await activationWait(
      this.dataSource,
      run.version_id,
      this.options.catchUpDelayMs,
    );
    if (!activatedAt) return;
    if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
    let cursor = '00000000-0000-0000-0000-000000000000';
    let checked = 0;
    for (;;) {
      const chunk = await catchUpCandidates(
        this.dataSource,
        { versionId: run.version_id, listId: run.list_id, activatedAt },
        ELIGIBLE,
        cursor,
        this.options.chunkSize,
      );
      if (chunk.length === 0) break;
      for (const d of chunk) {
        const keys = delta.affected(d.body);
        if (keys.size) await this.flag(run, d, keys);
      }
      checked += chunk.length;
      cursor = chunk[chunk.length - 1].id;
      await renewRunLease(this.dataSource, run.version_id);
    }
    if (checked)
      this.logger.info(
        { versionId: run.version_id, listId: run.list_id, checked },
        're-screening catch-up checked screenings made with an older version',
      );
  }

  /** Takes the run's lease; undefined when there is nothing (left) to do. Throws while another attempt holds it. */
  private async takeRun(versionId: string): Promise<RunRow | undefined> {
    const existing = await readRunStatus(this.dataSource, versionId);
    if (!existing || existing.status === 'completed') return undefined;
    const run = await takeRunLease(this.dataSource, versionId);
    if (!run) throw new RunBusyError(versionId);
    return run;
  }

  /** Fixes the candidate set and marks the run running, in one transaction. */
  private async start(run: RunRow): Promise<void> {
    await this.uow.run(async (m) => {
      const since = await clearedSince(m, this.options.lookbackDays);
      await deleteRunCandidates(m, run.version_id);
      const n = await insertCandidates(m, run.version_id, since);
      await markRunStarted(m, run.version_id, since, n);
      await recordAudit(m, SYSTEM_ACTOR, {
        action: 'list_version.rescreen_started',
        subjectType: 'list_version',
        subjectId: run.version_id,
        data: {
          listId: run.list_id,
          previousVersionId: run.previous_version_id,
          candidates: n,
          clearedSince: since.toISOString(),
        },
      });
    });
    run.status = 'running';
    run.cursor = null;
  }

  /** Screens one declaration in full; records it when a live hit on a changed entry is confirmed. */
  private async flag(run: RunRow, d: Candidate, keys: Set<string>): Promise<void> {
    const result = await this.pipeline.screen(d.body, d.organization);
    const confirmed = result.hits.filter(
      (h) => !h.suppressed && h.listId === run.list_id && h.entryId !== undefined && keys.has(h.entryId),
    );
    if (confirmed.length === 0) return;
    await this.uow.run(async (m) => {
      const current = await lockDeclarationStatus(m, d.id);
      if (!current || !ELIGIBLE.includes(current.status)) return;
      if (await isFlagged(m, run.version_id, d.id)) return;
      const stored = await this.pipeline.record(m, SYSTEM_ACTOR, d, result, 'rescreen');
      await insertFlag(m, run.version_id, d.id, stored.id);
      await incrementFlagged(m, run.version_id);
    });
  }

  private async complete(run: RunRow): Promise<void> {
    await this.uow.run(async (m) => {
      const r = await completeRun(m, run.version_id);
      await deleteRunCandidates(m, run.version_id);
      await recordAudit(m, SYSTEM_ACTOR, {
        action: 'list_version.rescreen_completed',
        subjectType: 'list_version',
        subjectId: run.version_id,
        data: {
          listId: run.list_id,
          deltaEntries: r.delta_entries,
          candidates: r.candidates,
          processed: r.processed,
          flagged: r.flagged,
        },
      });
      this.logger.info({ versionId: run.version_id, listId: run.list_id, ...r }, 're-screening completed');
    });
  }

  private async fail(versionId: string, err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    await this.uow.run(async (m) => {
      await failRun(m, versionId, message);
      await recordAudit(m, SYSTEM_ACTOR, {
        action: 'list_version.rescreen_failed',
        subjectType: 'list_version',
        subjectId: versionId,
        data: { error: message },
      });
    });
  }
}
