import type { EntityManager } from 'typeorm';

/**
 * Reconciler: the import jobs (outbox dedupe keys) of versions still `importing` after `olderThanMs`. Versions imported
 * by the CLI have no such job (their files are on the importer's disk), so the reconciler finds nothing to re-queue.
 */
export async function stuckImports(m: EntityManager, olderThanMs: number): Promise<string[]> {
  const rows: { key: string }[] = await m.query(
    `SELECT 'lists.import:' || id AS key FROM list_versions WHERE status = 'importing' AND created_at < now() - ($1::int * interval '1 millisecond')`,
    [olderThanMs]);
  return rows.map((r) => r.key);
}
