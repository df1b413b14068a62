import type { DataSource, EntityManager } from 'typeorm';
import type { EntityEntry, GoodsEntry, ListKind } from '../domain/list-entry';

export type EntryChange = 'added' | 'removed' | 'changed';

/**
 * The entries of version `$1` that differ from version `$2` (null: none), as rows (entry_id, change, name). `where`
 * narrows both sides by entry id (goods: prefix) before they are joined, so a page or a handful of ids reads only
 * those rows of the primary-key index. Entity entries compare by their content hash, goods entries by their fields.
 * Shared by the diff endpoint and the delisting re-screen, so both agree on what changed.
 */
function entryChangesSql(kind: ListKind, where: (column: string) => string): string {
  if (kind === 'entities') {
    return `SELECT coalesce(n.entry_id, o.entry_id) AS entry_id,
        CASE WHEN o.entry_id IS NULL THEN 'added' WHEN n.entry_id IS NULL THEN 'removed' ELSE 'changed' END AS change,
        coalesce(n.entry, o.entry)->'names'->>0 AS name
      FROM (SELECT entry_id, entry, content_hash FROM entity_entries WHERE version_id = $1::uuid AND ${where('entry_id')}) n
      FULL JOIN (SELECT entry_id, entry, content_hash FROM entity_entries WHERE version_id = $2::uuid AND ${where('entry_id')}) o ON o.entry_id = n.entry_id
      WHERE n.entry_id IS NULL OR o.entry_id IS NULL OR n.content_hash <> o.content_hash`;
  }
  return `SELECT coalesce(n.prefix, o.prefix) AS entry_id,
      CASE WHEN o.prefix IS NULL THEN 'added' WHEN n.prefix IS NULL THEN 'removed' ELSE 'changed' END AS change,
      coalesce(n.label, o.label) AS name
    FROM (SELECT prefix, severity, label, source FROM goods_entries WHERE version_id = $1::uuid AND ${where('prefix')}) n
    FULL JOIN (SELECT prefix, severity, label, source FROM goods_entries WHERE version_id = $2::uuid AND ${where('prefix')}) o ON o.prefix = n.prefix
    WHERE n.prefix IS NULL OR o.prefix IS NULL OR n.severity <> o.severity OR n.label <> o.label OR n.source IS DISTINCT FROM o.source`;
}

/** The counts of the whole difference between two versions (`againstId` null: everything is added). */
export async function countEntryChanges(
  db: DataSource | EntityManager,
  kind: ListKind,
  versionId: string,
  againstId: string | null,
): Promise<{ added: number; removed: number; changed: number }> {
  const [counts]: { added: number; removed: number; changed: number }[] = await db.query(
    `SELECT count(*) FILTER (WHERE change = 'added')::int AS added, count(*) FILTER (WHERE change = 'removed')::int AS removed,
       count(*) FILTER (WHERE change = 'changed')::int AS changed
     FROM (${entryChangesSql(kind, () => 'true')}) c`,
    [versionId, againstId],
  );
  return counts;
}

/** Up to `limit` changes with an entry id after `after`, ordered by entry id. */
export async function pageEntryChanges(
  db: DataSource | EntityManager,
  kind: ListKind,
  versionId: string,
  againstId: string | null,
  after: string,
  limit: number,
): Promise<{ entry_id: string; change: EntryChange; name: string | null }[]> {
  return db.query(`SELECT * FROM (${entryChangesSql(kind, (col) => `${col} > $3`)}) c ORDER BY entry_id LIMIT $4`, [
    versionId,
    againstId,
    after,
    limit,
  ]);
}

/** Of the given entry ids (goods: prefixes), those removed or changed between `previousVersionId` and `versionId`. */
export async function removedOrChangedEntries(
  db: DataSource | EntityManager,
  kind: ListKind,
  versionId: string,
  previousVersionId: string,
  entryIds: string[],
): Promise<{ entry_id: string; change: string }[]> {
  return db.query(
    `SELECT entry_id, change FROM (${entryChangesSql(kind, (col) => `${col} = ANY($3::text[])`)}) c WHERE change <> 'added'`,
    [versionId, previousVersionId, entryIds],
  );
}

/** The entity entries of `versionId` that are new or whose content differs from `previousVersionId` (all when null). */
export async function changedEntityEntries(
  dataSource: DataSource,
  versionId: string,
  previousVersionId: string | null,
): Promise<EntityEntry[]> {
  const rows: { entry: EntityEntry }[] = await dataSource.query(
    `SELECT n.entry FROM entity_entries n
     LEFT JOIN entity_entries o ON o.version_id = $2 AND o.entry_id = n.entry_id
     WHERE n.version_id = $1 AND (o.entry_id IS NULL OR o.content_hash <> n.content_hash)`,
    [versionId, previousVersionId],
  );
  return rows.map((r) => r.entry);
}

/** The goods entries of `versionId` that are new or differ from `previousVersionId` (all when null). */
export async function changedGoodsEntries(
  dataSource: DataSource,
  versionId: string,
  previousVersionId: string | null,
): Promise<GoodsEntry[]> {
  return dataSource.query(
    `SELECT n.prefix, n.severity, n.label FROM goods_entries n
     LEFT JOIN goods_entries o ON o.version_id = $2 AND o.prefix = n.prefix
     WHERE n.version_id = $1 AND (o.prefix IS NULL OR o.severity <> n.severity OR o.label <> n.label OR o.source IS DISTINCT FROM n.source)`,
    [versionId, previousVersionId],
  );
}
