import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.service';
import type { UnitOfWork } from '../db/unit-of-work';
import type { DeclarationInput } from '../declarations/declarations.schemas';
import type { ScreeningPipeline } from '../declarations/screening-pipeline';
import type { ReferenceIndex } from '../lists/reference-index';
import { DeltaScreen } from './delta';
import { rescreenDelistings } from './delistings';
import type { GraphPolicy } from '../screening/ownership/list-graph';

/** Statuses a re-screen may change: open cases, held ones, those waiting for the broker, and (within the look-back) cleared ones. */
const ELIGIBLE = ['under_review', 'held', 'information_requested', 'cleared'];
/** How long a run's holder may go without saving progress before another attempt may take the run over. */
const RUN_LEASE = `interval '5 minutes'`;

interface RunRow {
  version_id: string;
  list_id: string;
  previous_version_id: string | null;
  status: 'queued' | 'running' | 'completed' | 'failed';
  cursor: string | null;
  kind: 'goods' | 'entities';
}

interface Candidate {
  id: string;
  organization: string;
  reference: string;
  status: string;
  body: DeclarationInput;
}

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
      const delta = await DeltaScreen.load(this.dataSource, { listId: run.list_id, versionId, previousVersionId: run.previous_version_id, kind: run.kind }, this.options.minScore, this.options.graph);
      await this.dataSource.query(`UPDATE rescreen_runs SET delta_entries = $2 WHERE version_id = $1`, [versionId, delta.size]);
      if (delta.size === 0) {
        await this.dataSource.query(`UPDATE rescreen_runs SET processed = candidates WHERE version_id = $1`, [versionId]);
        await this.complete(run);
        return;
      }
      let cursor = run.cursor;
      for (;;) {
        const chunk: Candidate[] = await this.dataSource.query(
          `SELECT d.id, d.organization, d.reference, d.status, d.body FROM rescreen_candidates c JOIN declarations d ON d.id = c.declaration_id
           WHERE c.version_id = $1 AND c.declaration_id > $2 ORDER BY c.declaration_id LIMIT $3`,
          [versionId, cursor ?? '00000000-0000-0000-0000-000000000000', this.options.chunkSize]);
        if (chunk.length === 0) break;
        for (const d of chunk) {
          if (!ELIGIBLE.includes(d.status)) continue;
          const keys = delta.affected(d.body);
          if (keys.size) await this.flag(run, d, keys);
        }
        cursor = chunk[chunk.length - 1].id;
        await this.dataSource.query(
          `UPDATE rescreen_runs SET processed = processed + $2, cursor = $3, locked_until = now() + ${RUN_LEASE} WHERE version_id = $1`,
          [versionId, chunk.length, cursor]);
      }
      await this.catchUp(run, delta);
      await this.complete(run);
    } catch (err) {
      if (lastAttempt) {
        await this.fail(versionId, err);
      } else {
        this.logger.warn({ err, versionId }, 're-screening attempt failed; it resumes from its saved progress on the next attempt');
        await this.dataSource.query(`UPDATE rescreen_runs SET locked_until = NULL WHERE version_id = $1`, [versionId]);
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
    const [{ activated_at: activatedAt, wait_ms: waitMs }] = await this.dataSource.query(
      `SELECT activated_at, GREATEST(0, extract(epoch FROM activated_at + $2::int * interval '1 millisecond' - clock_timestamp()) * 1000)::int AS wait_ms
       FROM list_versions WHERE id = $1`, [run.version_id, this.options.catchUpDelayMs]);
    if (!activatedAt) return;
    if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
    let cursor = '00000000-0000-0000-0000-000000000000';
    let checked = 0;
    for (;;) {
      const chunk: Candidate[] = await this.dataSource.query(
        `SELECT d.id, d.organization, d.reference, d.status, d.body FROM declarations d JOIN screenings s ON s.id = d.latest_screening_id
         WHERE d.status = ANY($4::text[]) AND d.updated_at >= $3::timestamptz - interval '1 minute' AND d.id > $5::uuid
           AND (s.list_versions->>$2) IS DISTINCT FROM $1::uuid::text
           AND NOT EXISTS (SELECT 1 FROM list_versions n WHERE n.list_id = $2 AND n.id::text = s.list_versions->>$2 AND n.activated_at > $3::timestamptz)
           AND NOT EXISTS (SELECT 1 FROM rescreen_flags f WHERE f.version_id = $1::uuid AND f.declaration_id = d.id)
         ORDER BY d.id LIMIT $6`,
        [run.version_id, run.list_id, activatedAt, ELIGIBLE, cursor, this.options.chunkSize]);
      if (chunk.length === 0) break;
      for (const d of chunk) {
        const keys = delta.affected(d.body);
        if (keys.size) await this.flag(run, d, keys);
      }
      checked += chunk.length;
      cursor = chunk[chunk.length - 1].id;
      await this.dataSource.query(`UPDATE rescreen_runs SET locked_until = now() + ${RUN_LEASE} WHERE version_id = $1`, [run.version_id]);
    }
    if (checked) this.logger.info({ versionId: run.version_id, listId: run.list_id, checked }, 're-screening catch-up checked screenings made with an older version');
  }

  /** Takes the run's lease; undefined when there is nothing (left) to do. Throws while another attempt holds it. */
  private async takeRun(versionId: string): Promise<RunRow | undefined> {
    const [existing] = await this.dataSource.query(`SELECT status FROM rescreen_runs WHERE version_id = $1`, [versionId]);
    if (!existing || existing.status === 'completed') return undefined;
    const [run]: RunRow[] = await this.dataSource.query(
      `WITH taken AS (
         UPDATE rescreen_runs SET locked_until = now() + ${RUN_LEASE}, status = CASE WHEN status = 'failed' THEN 'queued' ELSE status END, error = NULL
         WHERE version_id = $1 AND status <> 'completed' AND (locked_until IS NULL OR locked_until < now())
         RETURNING *)
       SELECT taken.*, l.kind FROM taken JOIN lists l ON l.id = taken.list_id`,
      [versionId]);
    if (!run) throw new RunBusyError(versionId);
    return run;
  }

  /** Fixes the candidate set and marks the run running, in one transaction. */
  private async start(run: RunRow): Promise<void> {
    await this.uow.run(async (m) => {
      const [{ since }] = await m.query(`SELECT now() - ($1::int * interval '1 day') AS since`, [this.options.lookbackDays]);
      await m.query(`DELETE FROM rescreen_candidates WHERE version_id = $1`, [run.version_id]);
      await m.query(
        `INSERT INTO rescreen_candidates (version_id, declaration_id)
         SELECT $1::uuid, id FROM declarations WHERE status IN ('under_review', 'held', 'information_requested')
         UNION ALL
         SELECT $1::uuid, id FROM declarations WHERE status = 'cleared' AND updated_at >= $2`,
        [run.version_id, since]);
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM rescreen_candidates WHERE version_id = $1`, [run.version_id]);
      await m.query(
        `UPDATE rescreen_runs SET status = 'running', started_at = now(), cleared_since = $2, candidates = $3, processed = 0, cursor = NULL,
           flagged = (SELECT count(*) FROM rescreen_flags WHERE version_id = $1)
         WHERE version_id = $1`,
        [run.version_id, since, n]);
      await recordAudit(m, SYSTEM_ACTOR, {
        action: 'list_version.rescreen_started', subjectType: 'list_version', subjectId: run.version_id,
        data: { listId: run.list_id, previousVersionId: run.previous_version_id, candidates: n, clearedSince: (since as Date).toISOString() },
      });
    });
    run.status = 'running';
    run.cursor = null;
  }

  /** Screens one declaration in full; records it when a live hit on a changed entry is confirmed. */
  private async flag(run: RunRow, d: Candidate, keys: Set<string>): Promise<void> {
    const result = await this.pipeline.screen(d.body, d.organization);
    const confirmed = result.hits.filter((h) => !h.suppressed && h.listId === run.list_id && h.entryId !== undefined && keys.has(h.entryId));
    if (confirmed.length === 0) return;
    await this.uow.run(async (m) => {
      const [current]: { status: string }[] = await m.query(`SELECT status FROM declarations WHERE id = $1 FOR UPDATE`, [d.id]);
      if (!current || !ELIGIBLE.includes(current.status)) return;
      const done: unknown[] = await m.query(`SELECT 1 FROM rescreen_flags WHERE version_id = $1 AND declaration_id = $2`, [run.version_id, d.id]);
      if (done.length) return;
      const stored = await this.pipeline.record(m, SYSTEM_ACTOR, d, result, 'rescreen');
      await m.query(`INSERT INTO rescreen_flags (version_id, declaration_id, screening_id) VALUES ($1, $2, $3)`, [run.version_id, d.id, stored.id]);
      await m.query(`UPDATE rescreen_runs SET flagged = flagged + 1 WHERE version_id = $1`, [run.version_id]);
    });
  }

  private async complete(run: RunRow): Promise<void> {
    await this.uow.run(async (m) => {
      const [r] = await m.query(
        `WITH done AS (
           UPDATE rescreen_runs SET status = 'completed', finished_at = now(), locked_until = NULL WHERE version_id = $1
           RETURNING candidates, processed, flagged, delta_entries, extract(epoch FROM finished_at - started_at) * 1000 AS ms)
         SELECT * FROM done`,
        [run.version_id]);
      await m.query(`DELETE FROM rescreen_candidates WHERE version_id = $1`, [run.version_id]);
      await recordAudit(m, SYSTEM_ACTOR, {
        action: 'list_version.rescreen_completed', subjectType: 'list_version', subjectId: run.version_id,
        data: { listId: run.list_id, deltaEntries: r.delta_entries, candidates: r.candidates, processed: r.processed, flagged: r.flagged },
      });
      this.logger.info({ versionId: run.version_id, listId: run.list_id, ...r }, 're-screening completed');
    });
  }

  private async fail(versionId: string, err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    await this.uow.run(async (m) => {
      await m.query(`UPDATE rescreen_runs SET status = 'failed', error = $2, finished_at = now(), locked_until = NULL WHERE version_id = $1`, [versionId, message]);
      await recordAudit(m, SYSTEM_ACTOR, { action: 'list_version.rescreen_failed', subjectType: 'list_version', subjectId: versionId, data: { error: message } });
    });
  }
}
