import type { DataSource, EntityManager } from 'typeorm';
import type { DeclarationInput } from '../screening/declaration-input';

/** A new batch; `completed` (finished now) when no item is left to screen. Answers its id. */
export async function insertBatch(
  m: EntityManager,
  b: { organization: string; status: 'queued' | 'completed'; total: number; processed: number; submittedBy: string },
): Promise<string> {
  const [batch] = await m.query(
    `INSERT INTO batches (organization, status, total, processed, submitted_by, finished_at)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $2 = 'completed' THEN now() END) RETURNING id`,
    [b.organization, b.status, b.total, b.processed, b.submittedBy],
  );
  return batch.id;
}

export async function insertBatchItems(
  m: EntityManager,
  batchId: string,
  items: { index: number; body: unknown; error: unknown }[],
): Promise<void> {
  await m.query(
    `INSERT INTO batch_items (batch_id, idx, body, error) SELECT $1, i, b, e FROM unnest($2::int[], $3::jsonb[], $4::jsonb[]) AS x(i, b, e)`,
    [
      batchId,
      items.map((i) => i.index),
      items.map((i) => JSON.stringify(i.body)),
      items.map((i) => (i.error ? JSON.stringify(i.error) : null)),
    ],
  );
}

export async function findBatchToScreen(
  ds: DataSource,
  batchId: string,
): Promise<{ organization: string; submitted_by: string; status: string } | undefined> {
  const [batch] = await ds.query(`SELECT organization, submitted_by, status FROM batches WHERE id = $1`, [batchId]);
  return batch;
}

export async function markBatchProcessing(ds: DataSource, batchId: string): Promise<void> {
  await ds.query(`UPDATE batches SET status = 'processing' WHERE id = $1 AND status = 'queued'`, [batchId]);
}

/** The items of [from, to) not screened yet (no declaration, no error), in order. */
export async function findPendingItems(
  ds: DataSource,
  batchId: string,
  from: number,
  to: number,
): Promise<{ idx: number; body: DeclarationInput }[]> {
  return ds.query(
    `SELECT idx, body FROM batch_items WHERE batch_id = $1 AND idx >= $2 AND idx < $3 AND declaration_id IS NULL AND error IS NULL ORDER BY idx`,
    [batchId, from, to],
  );
}

/** Locks an item for screening; false when it is already done (screened or failed). */
export async function claimPendingItem(m: EntityManager, batchId: string, idx: number): Promise<boolean> {
  const [claimed] = await m.query(
    `SELECT 1 FROM batch_items WHERE batch_id = $1 AND idx = $2 AND declaration_id IS NULL AND error IS NULL FOR UPDATE`,
    [batchId, idx],
  );
  return !!claimed;
}

export async function setItemDeclaration(
  m: EntityManager,
  batchId: string,
  idx: number,
  declarationId: string,
): Promise<void> {
  await m.query(`UPDATE batch_items SET declaration_id = $3 WHERE batch_id = $1 AND idx = $2`, [
    batchId,
    idx,
    declarationId,
  ]);
}

/** Records why a pending item was not screened. */
export async function setItemError(m: EntityManager, batchId: string, idx: number, error: unknown): Promise<void> {
  await m.query(
    `UPDATE batch_items SET error = $3::jsonb WHERE batch_id = $1 AND idx = $2 AND declaration_id IS NULL AND error IS NULL`,
    [batchId, idx, JSON.stringify(error)],
  );
}

/** The first item of [from, to) not screened yet, or null. */
export async function firstPendingItem(
  m: EntityManager,
  batchId: string,
  from: number,
  to: number,
): Promise<number | null> {
  const [item] = await m.query(
    `SELECT min(idx) AS idx FROM batch_items WHERE batch_id = $1 AND idx >= $2 AND idx < $3 AND declaration_id IS NULL AND error IS NULL`,
    [batchId, from, to],
  );
  return item?.idx ?? null;
}

/** Ends an unfinished batch as failed with the reason; undefined when it had already ended. */
export async function failBatch(
  m: EntityManager,
  batchId: string,
  reason: string,
): Promise<{ submitted_by: string; organization: string; processed: number; total: number } | undefined> {
  const [b] = await m.query(
    `WITH u AS (UPDATE batches SET status = 'failed', error = $2, finished_at = now() WHERE id = $1 AND status IN ('queued', 'processing')
                RETURNING submitted_by, organization, processed, total)
     SELECT * FROM u`,
    [batchId, reason],
  );
  return b;
}

/** The chunk jobs (outbox dedupe keys) of unfinished batches older than `olderThanMs` that still have items to screen. */
export async function findStuckChunkKeys(m: EntityManager, olderThanMs: number, chunk: number): Promise<string[]> {
  const rows: { key: string }[] = await m.query(
    `SELECT DISTINCT 'batches.screen:' || b.id || ':' || (i.idx / $2) * $2 AS key
     FROM batches b JOIN batch_items i ON i.batch_id = b.id AND i.declaration_id IS NULL AND i.error IS NULL
     WHERE b.status IN ('queued', 'processing') AND b.created_at < now() - ($1::int * interval '1 millisecond')`,
    [olderThanMs, chunk],
  );
  return rows.map((r) => r.key);
}

/** Counts one more item done; answers the batch's counts. */
export async function countItemProcessed(
  m: EntityManager,
  batchId: string,
): Promise<{ processed: number; total: number; organization: string }> {
  const [b] = await m.query(
    `WITH u AS (UPDATE batches SET processed = processed + 1 WHERE id = $1 RETURNING processed, total, organization) SELECT * FROM u`,
    [batchId],
  );
  return b;
}

export async function completeBatch(m: EntityManager, batchId: string): Promise<void> {
  await m.query(`UPDATE batches SET status = 'completed', finished_at = now() WHERE id = $1`, [batchId]);
}

export async function findBatch(
  ds: DataSource,
  id: string,
  organization: string,
): Promise<Record<string, any> | undefined> {
  const [b] = await ds.query(`SELECT * FROM batches WHERE id = $1 AND organization = $2`, [id, organization]);
  return b;
}

/** The items already screened or failed, in order. */
export async function findDoneItems(
  ds: DataSource,
  batchId: string,
): Promise<{ idx: number; declaration_id: string | null; error: unknown }[]> {
  return ds.query(
    `SELECT idx, declaration_id, error FROM batch_items WHERE batch_id = $1 AND (declaration_id IS NOT NULL OR error IS NOT NULL) ORDER BY idx`,
    [batchId],
  );
}
