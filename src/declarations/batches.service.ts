import type { DataSource, EntityManager } from 'typeorm';
import type { Config } from '../config/config';
import { auditActor } from '../auth/actor';
import { type Actor } from '../http/actor';
import type { AuditActor } from '../audit/audit-actor';
import { recordAudit } from '../audit/audit.service';
import type { UnitOfWork } from '../db/unit-of-work';
import { NotFoundError } from '../http/errors';
import { fieldErrors } from '../http/route';
import { enqueueInTransaction } from '../jobs/outbox';
import { findKeyRole } from '../auth/batch-keys.repository';
import { emitWebhookEvent } from '../webhooks/events';
import {
  claimPendingItem,
  completeBatch,
  countItemProcessed,
  failBatch,
  findBatch,
  findBatchToScreen,
  findDoneItems,
  findPendingItems,
  findStuckChunkKeys,
  firstPendingItem,
  insertBatch,
  insertBatchItems,
  markBatchProcessing,
  setItemDeclaration,
  setItemError,
} from './batches.repository';
import { declarationSchema } from '../screening/declaration-input';
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
        : {
            index,
            body: raw ?? null,
            error: { code: 'validation_failed', errors: fieldErrors(`declarations[${index}]`, parsed.error) },
          };
    });
    const invalid = items.filter((i) => i.error).length;
    const batchId = await this.uow.run(async (m) => {
      const id = await insertBatch(m, {
        organization: actor.organization,
        status: invalid === items.length ? 'completed' : 'queued',
        total: items.length,
        processed: invalid,
        submittedBy: actor.keyId,
      });
      await insertBatchItems(m, id, items);
      await recordAudit(m, auditActor(actor), {
        action: 'batch.accepted',
        subjectType: 'batch',
        subjectId: id,
        data: { organization: actor.organization, total: items.length, invalid },
      });
      for (let from = 0; from < items.length; from += CHUNK) {
        await enqueueInTransaction(
          m,
          'batches.screen',
          { batchId: id, from, to: Math.min(items.length, from + CHUNK) },
          { dedupeKey: `batches.screen:${id}:${from}` },
        );
      }
      return id;
    });
    return { batchId, total: items.length, invalid };
  }

  /**
   * The job: screens the chunk's pending items, each in its own transaction with its item row, so a crash or a repeated
   * job never screens an item twice (an item with a declaration or an error is done).
   */
  async screenChunk(batchId: string, from: number, to: number): Promise<void> {
    const batch = await findBatchToScreen(this.dataSource, batchId);
    if (!batch) return;
    if (batch.status === 'queued') await markBatchProcessing(this.dataSource, batchId);
    const role = await findKeyRole(this.dataSource, batch.submitted_by);
    const actor: AuditActor = { keyId: batch.submitted_by, role: role ?? 'broker', organization: batch.organization };
    const pending = await findPendingItems(this.dataSource, batchId, from, to);
    for (const item of pending) {
      const result = await this.declarations.pipeline.screen(item.body, batch.organization);
      try {
        await this.uow.run(async (m) => {
          if (!(await claimPendingItem(m, batchId, item.idx))) return;
          const stored = await writeNewDeclaration(m, this.config, {
            actor,
            organization: batch.organization,
            submittedBy: batch.submitted_by,
            input: item.body,
            result,
            trigger: 'batch',
            batchId,
          });
          if (stored.status === 'cleared' && citesLicences(item.body))
            await drawDownLicences(m, actor, stored.id as string, item.body, 'clearance');
          await setItemDeclaration(m, batchId, item.idx, stored.id as string);
          await this.countProcessed(m, batchId, actor);
        });
      } catch (err) {
        if (!isReferenceConflict(err)) throw err;
        await this.uow.run(async (m) => {
          await setItemError(m, batchId, item.idx, {
            code: 'reference_exists',
            message: `reference "${item.body.reference}" already exists for your organisation`,
          });
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
      const idx = await firstPendingItem(m, batchId, from, to);
      const where = idx != null ? `item ${idx}` : `items ${from} to ${to - 1}`;
      const reason = `${where} could not be screened: ${error}`;
      const b = await failBatch(m, batchId, reason);
      if (!b) return;
      const role = await findKeyRole(m, b.submitted_by);
      await recordAudit(
        m,
        { keyId: b.submitted_by, role: role ?? 'broker', organization: b.organization },
        {
          action: 'batch.failed',
          subjectType: 'batch',
          subjectId: batchId,
          data: { error: reason, processed: b.processed, total: b.total },
        },
      );
      // The broker is told with the failure, as with a completion: nobody should have to poll for it.
      await emitWebhookEvent(m, {
        type: 'batch.failed',
        organization: b.organization,
        subjectId: batchId,
        eventId: batchId,
        data: { batchId, total: b.total, processed: b.processed, error: reason },
      });
    });
  }

  /** Reconciler: the chunk jobs (outbox dedupe keys) of unfinished batches older than `olderThanMs` that still have items to screen. */
  async stuckChunks(m: EntityManager, olderThanMs: number): Promise<string[]> {
    return findStuckChunkKeys(m, olderThanMs, CHUNK);
  }

  private async countProcessed(m: EntityManager, batchId: string, actor: AuditActor): Promise<void> {
    const b = await countItemProcessed(m, batchId);
    if (b.processed < b.total) return;
    await completeBatch(m, batchId);
    await recordAudit(m, actor, {
      action: 'batch.completed',
      subjectType: 'batch',
      subjectId: batchId,
      data: { total: b.total },
    });
    await emitWebhookEvent(m, {
      type: 'batch.completed',
      organization: b.organization,
      subjectId: batchId,
      eventId: batchId,
      data: { batchId, total: b.total },
    });
  }

  async get(actor: Actor, id: string): Promise<Record<string, unknown>> {
    const b = await findBatch(this.dataSource, id, actor.organization);
    if (!b) throw new NotFoundError('Batch');
    const items = await findDoneItems(this.dataSource, id);
    return {
      id: b.id,
      status: b.status,
      total: b.total,
      processed: b.processed,
      ...(b.error ? { error: b.error } : {}),
      createdAt: b.created_at.toISOString(),
      finishedAt: b.finished_at?.toISOString() ?? null,
      items: items.map((i) => ({
        index: i.idx,
        ...(i.declaration_id ? { declarationId: i.declaration_id } : {}),
        ...(i.error ? { error: i.error } : {}),
      })),
    };
  }
}
