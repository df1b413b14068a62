import type { DataSource, EntityManager } from 'typeorm';
import type { Config } from '../config/config';
import { auditActor, type Actor } from '../auth/actor';
import type { AuditActor } from '../audit/audit-event.entity';
import { recordAudit } from '../audit/audit.service';
import type { UnitOfWork } from '../db/unit-of-work';
import { NotFoundError } from '../http/errors';
import { fieldErrors } from '../http/route';
import { enqueueInTransaction } from '../jobs/outbox';
import { emitWebhookEvent } from '../webhooks/events';
import { declarationSchema, type DeclarationInput } from './declarations.schemas';
import { citesLicences, drawDownLicences } from '../licences/drawdown';
import { writeNewDeclaration } from './declaration-writer';
import { isReferenceConflict, type DeclarationsService } from './declarations.service';

/** Items per background job: small enough to spread over workers, large enough to keep queue overhead low. */
export const CHUNK = 50;

export class BatchesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly declarations: DeclarationsService,
    private readonly config: Config,
  ) {}

  /**
   * Accepts a batch: every item is validated now (an invalid one is recorded with its field errors and skipped), the
   * batch, its items and one job per chunk are committed together, and workers screen the chunks.
   */
  async create(actor: Actor, declarations: unknown[]): Promise<{ batchId: string; total: number; invalid: number }> {
    const items = declarations.map((raw, index) => {
      const parsed = declarationSchema.safeParse(raw);
      return parsed.success
        ? { index, body: parsed.data as unknown, error: null }
        : { index, body: raw ?? null, error: { code: 'validation_failed', errors: fieldErrors(`declarations[${index}]`, parsed.error) } };
    });
    const invalid = items.filter((i) => i.error).length;
    const batchId = await this.uow.run(async (m) => {
      const [batch] = await m.query(
        `INSERT INTO batches (organization, status, total, processed, submitted_by, finished_at)
         VALUES ($1, $2, $3, $4, $5, CASE WHEN $2 = 'completed' THEN now() END) RETURNING id`,
        [actor.organization, invalid === items.length ? 'completed' : 'queued', items.length, invalid, actor.keyId]);
      await m.query(
        `INSERT INTO batch_items (batch_id, idx, body, error) SELECT $1, i, b, e FROM unnest($2::int[], $3::jsonb[], $4::jsonb[]) AS x(i, b, e)`,
        [batch.id, items.map((i) => i.index), items.map((i) => JSON.stringify(i.body)), items.map((i) => (i.error ? JSON.stringify(i.error) : null))]);
      await recordAudit(m, auditActor(actor), {
        action: 'batch.accepted', subjectType: 'batch', subjectId: batch.id, data: { organization: actor.organization, total: items.length, invalid },
      });
      for (let from = 0; from < items.length; from += CHUNK) {
        await enqueueInTransaction(m, 'batches.screen', { batchId: batch.id, from, to: Math.min(items.length, from + CHUNK) }, { dedupeKey: `batches.screen:${batch.id}:${from}` });
      }
      return batch.id as string;
    });
    return { batchId, total: items.length, invalid };
  }

  /**
   * The job: screens the chunk's pending items, each in its own transaction with its item row, so a crash or a repeated
   * job never screens an item twice (an item with a declaration or an error is done).
   */
  async screenChunk(batchId: string, from: number, to: number): Promise<void> {
    const [batch] = await this.dataSource.query(`SELECT organization, submitted_by, status FROM batches WHERE id = $1`, [batchId]);
    if (!batch) return;
    if (batch.status === 'queued') await this.dataSource.query(`UPDATE batches SET status = 'processing' WHERE id = $1 AND status = 'queued'`, [batchId]);
    const [key] = await this.dataSource.query(`SELECT role, organization FROM api_keys WHERE id = $1`, [batch.submitted_by]);
    const actor: AuditActor = { keyId: batch.submitted_by, role: key?.role ?? 'broker', organization: batch.organization };
    const pending: { idx: number; body: DeclarationInput }[] = await this.dataSource.query(
      `SELECT idx, body FROM batch_items WHERE batch_id = $1 AND idx >= $2 AND idx < $3 AND declaration_id IS NULL AND error IS NULL ORDER BY idx`,
      [batchId, from, to]);
    for (const item of pending) {
      const result = await this.declarations.pipeline.screen(item.body, batch.organization);
      try {
        await this.uow.run(async (m) => {
          const [claimed] = await m.query(
            `SELECT 1 FROM batch_items WHERE batch_id = $1 AND idx = $2 AND declaration_id IS NULL AND error IS NULL FOR UPDATE`, [batchId, item.idx]);
          if (!claimed) return;
          const stored = await writeNewDeclaration(m, this.config, {
            actor, organization: batch.organization, submittedBy: batch.submitted_by, input: item.body, result, trigger: 'batch', batchId,
          });
          if (stored.status === 'cleared' && citesLicences(item.body)) await drawDownLicences(m, actor, stored.id as string, 'clearance');
          await m.query(`UPDATE batch_items SET declaration_id = $3 WHERE batch_id = $1 AND idx = $2`, [batchId, item.idx, stored.id]);
          await this.countProcessed(m, batchId, actor);
        });
      } catch (err) {
        if (!isReferenceConflict(err)) throw err;
        await this.uow.run(async (m) => {
          await m.query(`UPDATE batch_items SET error = $3::jsonb WHERE batch_id = $1 AND idx = $2 AND declaration_id IS NULL AND error IS NULL`,
            [batchId, item.idx, JSON.stringify({ code: 'reference_exists', message: `reference "${item.body.reference}" already exists for your organisation` })]);
          await this.countProcessed(m, batchId, actor);
        });
      }
    }
  }

  /**
   * The chunk's job failed on its last attempt: the batch ends `failed` with the reason (naming the item that would not
   * go through), so the broker is not left polling a batch that stays `processing`. Items already screened stay filed;
   * other chunks may still finish theirs. Idempotent: a batch that already ended is left alone.
   */
  async failChunk(batchId: string, from: number, to: number, error: string): Promise<void> {
    await this.uow.run(async (m) => {
      const [item] = await m.query(
        `SELECT min(idx) AS idx FROM batch_items WHERE batch_id = $1 AND idx >= $2 AND idx < $3 AND declaration_id IS NULL AND error IS NULL`, [batchId, from, to]);
      const where = item?.idx != null ? `item ${item.idx}` : `items ${from} to ${to - 1}`;
      const reason = `${where} could not be screened: ${error}`;
      const [b] = await m.query(
        `WITH u AS (UPDATE batches SET status = 'failed', error = $2, finished_at = now() WHERE id = $1 AND status IN ('queued', 'processing')
                    RETURNING submitted_by, organization, processed, total)
         SELECT * FROM u`, [batchId, reason]);
      if (!b) return;
      const [key] = await m.query(`SELECT role FROM api_keys WHERE id = $1`, [b.submitted_by]);
      await recordAudit(m, { keyId: b.submitted_by, role: key?.role ?? 'broker', organization: b.organization }, {
        action: 'batch.failed', subjectType: 'batch', subjectId: batchId, data: { error: reason, processed: b.processed, total: b.total },
      });
      // The broker is told with the failure, as with a completion: nobody should have to poll for it.
      await emitWebhookEvent(m, {
        type: 'batch.failed', organization: b.organization, subjectId: batchId, eventId: batchId,
        data: { batchId, total: b.total, processed: b.processed, error: reason },
      });
    });
  }

  /** Reconciler: the chunk jobs (outbox dedupe keys) of unfinished batches older than `olderThanMs` that still have items to screen. */
  async stuckChunks(m: EntityManager, olderThanMs: number): Promise<string[]> {
    const rows: { key: string }[] = await m.query(
      `SELECT DISTINCT 'batches.screen:' || b.id || ':' || (i.idx / $2) * $2 AS key
       FROM batches b JOIN batch_items i ON i.batch_id = b.id AND i.declaration_id IS NULL AND i.error IS NULL
       WHERE b.status IN ('queued', 'processing') AND b.created_at < now() - ($1::int * interval '1 millisecond')`,
      [olderThanMs, CHUNK]);
    return rows.map((r) => r.key);
  }

  private async countProcessed(m: EntityManager, batchId: string, actor: AuditActor): Promise<void> {
    const [b] = await m.query(
      `WITH u AS (UPDATE batches SET processed = processed + 1 WHERE id = $1 RETURNING processed, total, organization) SELECT * FROM u`, [batchId]);
    if (b.processed < b.total) return;
    await m.query(`UPDATE batches SET status = 'completed', finished_at = now() WHERE id = $1`, [batchId]);
    await recordAudit(m, actor, { action: 'batch.completed', subjectType: 'batch', subjectId: batchId, data: { total: b.total } });
    await emitWebhookEvent(m, { type: 'batch.completed', organization: b.organization, subjectId: batchId, eventId: batchId, data: { batchId, total: b.total } });
  }

  async get(actor: Actor, id: string): Promise<Record<string, unknown>> {
    const [b] = await this.dataSource.query(`SELECT * FROM batches WHERE id = $1 AND organization = $2`, [id, actor.organization]);
    if (!b) throw new NotFoundError('Batch');
    const items = await this.dataSource.query(
      `SELECT idx, declaration_id, error FROM batch_items WHERE batch_id = $1 AND (declaration_id IS NOT NULL OR error IS NOT NULL) ORDER BY idx`, [id]);
    return {
      id: b.id, status: b.status, total: b.total, processed: b.processed, ...(b.error ? { error: b.error } : {}), createdAt: b.created_at.toISOString(), finishedAt: b.finished_at?.toISOString() ?? null,
      items: items.map((i: { idx: number; declaration_id: string | null; error: unknown }) => ({
        index: i.idx, ...(i.declaration_id ? { declarationId: i.declaration_id } : {}), ...(i.error ? { error: i.error } : {}),
      })),
    };
  }
}
