import type { DataSource, EntityManager } from 'typeorm';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors';
import type { ListKind } from '../domain/list-entry';
import type { ListVersion, ReferenceList } from './list.entity';

export type EntryChange = 'added' | 'removed' | 'changed';

export interface DiffItem {
  change: EntryChange;
  entryId: string;
  name: string;
}

export interface VersionDiff {
  versionId: string;
  against: string | null;
  added: number;
  removed: number;
  changed: number;
  items: DiffItem[];
  nextCursor: string | null;
}

/**
 * The entries of version `$1` that differ from version `$2` (null: none), as rows (entry_id, change, name). `where`
 * narrows both sides by entry id (goods: prefix) before they are joined, so a page or a handful of ids reads only
 * those rows of the primary-key index. Entity entries compare by their content hash, goods entries by their fields.
 * Shared by the diff endpoint and the delisting re-screen, so both agree on what changed.
 */
export function entryChangesSql(kind: ListKind, where: (column: string) => string): string {
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

/** An opaque cursor over entry ids (diff pages are ordered by entry id, not by time). */
function encodeEntryCursor(entryId: string): string {
  return Buffer.from(JSON.stringify({ after: entryId })).toString('base64url');
}

function decodeEntryCursor(cursor: string | undefined): string {
  if (!cursor) return '';
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed.after === 'string' && parsed.after !== '') return parsed.after;
  } catch {
    // fall through
  }
  throw new ValidationError([{ path: 'query.cursor', message: 'Invalid cursor' }]);
}

/**
 * What a version is compared with when the caller names nothing: the version its (latest) activation replaced; for a
 * version never activated (held), the one active now; else the last version activated before it was uploaded.
 */
export async function defaultAgainst(db: DataSource | EntityManager, list: ReferenceList, version: ListVersion): Promise<string | null> {
  const [run]: { previous_version_id: string | null }[] = await db.query(`SELECT previous_version_id FROM rescreen_runs WHERE version_id = $1`, [version.id]);
  if (run) return run.previous_version_id;
  if (list.activeVersionId && list.activeVersionId !== version.id) return list.activeVersionId;
  const [before]: { id: string }[] = await db.query(
    `SELECT id FROM list_versions WHERE list_id = $1 AND activated_at IS NOT NULL AND created_at < $2 AND id <> $3 ORDER BY created_at DESC LIMIT 1`,
    [list.id, version.createdAt, version.id]);
  return before?.id ?? null;
}

/** The counts of the whole difference, and one page of it ordered by entry id. */
export async function diffVersions(
  db: DataSource | EntityManager,
  list: ReferenceList,
  version: ListVersion,
  against: ListVersion | null,
  q: { limit: number; cursor?: string },
): Promise<VersionDiff> {
  for (const v of [version, against]) {
    // Entries of an import still running are incomplete; a failed import's entries are deleted.
    if (v?.status === 'importing') throw new ConflictError('version_importing', `Version ${v.id} is still importing; its entries are incomplete.`);
  }
  if (against && against.listId !== list.id) throw new NotFoundError('Version to compare against');
  const after = decodeEntryCursor(q.cursor);
  const againstId = against?.id ?? null;
  const [counts]: { added: number; removed: number; changed: number }[] = await db.query(
    `SELECT count(*) FILTER (WHERE change = 'added')::int AS added, count(*) FILTER (WHERE change = 'removed')::int AS removed,
       count(*) FILTER (WHERE change = 'changed')::int AS changed
     FROM (${entryChangesSql(list.kind, () => 'true')}) c`,
    [version.id, againstId]);
  const rows: { entry_id: string; change: EntryChange; name: string | null }[] = await db.query(
    `SELECT * FROM (${entryChangesSql(list.kind, (col) => `${col} > $3`)}) c ORDER BY entry_id LIMIT $4`,
    [version.id, againstId, after, q.limit + 1]);
  const items = rows.slice(0, q.limit).map((r) => ({ change: r.change, entryId: r.entry_id, name: r.name ?? '' }));
  const nextCursor = rows.length > q.limit ? encodeEntryCursor(items[items.length - 1].entryId) : null;
  return { versionId: version.id, against: againstId, ...counts, items, nextCursor };
}
