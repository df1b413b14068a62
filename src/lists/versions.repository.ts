import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

export async function insertVersionPart(
  m: EntityManager,
  versionId: string,
  part: { name: string; content: Buffer; sha256: string },
): Promise<void> {
  await m.query(`INSERT INTO list_version_parts (version_id, part, content, sha256) VALUES ($1, $2, $3, $4)`, [
    versionId,
    part.name,
    part.content,
    part.sha256,
  ]);
}

export async function readVersionParts(
  dataSource: DataSource,
  versionId: string,
): Promise<{ part: string; content: Buffer }[]> {
  return dataSource.query(`SELECT part, content FROM list_version_parts WHERE version_id = $1`, [versionId]);
}

/** The last version of the list activated (at any time) among those uploaded before this one; undefined when none. */
export async function lastActivatedBefore(
  db: DataSource | EntityManager,
  listId: string,
  createdAt: Date,
  versionId: string,
): Promise<string | undefined> {
  const [before]: { id: string }[] = await db.query(
    `SELECT id FROM list_versions WHERE list_id = $1 AND activated_at IS NOT NULL AND created_at < $2 AND id <> $3 ORDER BY created_at DESC LIMIT 1`,
    [listId, createdAt, versionId],
  );
  return before?.id;
}

/**
 * The version's activation time (null when never activated) and how many milliseconds remain until `delayMs` after
 * it (0 once past), by the database clock.
 */
export async function activationWait(
  db: DataSource | EntityManager,
  versionId: string,
  delayMs: number,
): Promise<{ activated_at: Date | null; wait_ms: number }> {
  const [row] = await db.query(
    `SELECT activated_at, GREATEST(0, extract(epoch FROM activated_at + $2::int * interval '1 millisecond' - clock_timestamp()) * 1000)::int AS wait_ms
     FROM list_versions WHERE id = $1`,
    [versionId, delayMs],
  );
  return row;
}

/**
 * Reconciler: the import jobs (outbox dedupe keys) of versions still `importing` after `olderThanMs`. Versions imported
 * by the CLI have no such job (their files are on the importer's disk), so the reconciler finds nothing to re-queue.
 */
export async function stuckImports(m: EntityManager, olderThanMs: number): Promise<string[]> {
  const rows: { key: string }[] = await m.query(
    `SELECT 'lists.import:' || id AS key FROM list_versions WHERE status = 'importing' AND created_at < now() - ($1::int * interval '1 millisecond')`,
    [olderThanMs],
  );
  return rows.map((r) => r.key);
}

/** Takes the session advisory lock marking a running import of the version, on the runner's connection; true if taken. */
export async function tryImportLock(runner: QueryRunner, versionId: string): Promise<boolean> {
  const [{ locked }] = await runner.query(
    `SELECT pg_try_advisory_lock(hashtext('lists.import'), hashtext($1)) AS locked`,
    [versionId],
  );
  return locked;
}

export async function releaseImportLock(runner: QueryRunner, versionId: string): Promise<void> {
  await runner.query(`SELECT pg_advisory_unlock(hashtext('lists.import'), hashtext($1))`, [versionId]);
}
