import type { DataSource } from 'typeorm';
import type { ListKind } from '../domain/list-entry';

/** How many lists have this id (0 or 1): a seed list is loaded only into a database that lacks it. */
export async function countListsById(dataSource: DataSource, listId: string): Promise<number> {
  const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM lists WHERE id = $1`, [listId]);
  return n;
}

/** The lists among `listIds` with no active version yet while a seed version of theirs is still importing. */
export async function listsAwaitingSeed(dataSource: DataSource, listIds: string[]): Promise<string[]> {
  const rows: { id: string }[] = await dataSource.query(
    `SELECT l.id FROM lists l WHERE l.id = ANY($1::text[]) AND l.active_version_id IS NULL
       AND EXISTS (SELECT 1 FROM list_versions v WHERE v.list_id = l.id AND v.status = 'importing' AND v.source = 'seed')`,
    [listIds],
  );
  return rows.map((r) => r.id);
}

/** The list generation (bumped by a trigger with every change of a list's active version). */
export async function readListGeneration(dataSource: DataSource): Promise<number> {
  const [row] = await dataSource.query(`SELECT generation FROM list_generation`);
  return Number(row.generation);
}

export interface ActiveListRow {
  generation: string;
  id: string | null;
  kind: ListKind | null;
  active_version_id: string | null;
}

/**
 * One statement, one snapshot: the generation and the active versions it stands for (one row with null list columns
 * when no list has an active version).
 */
export async function readActiveLists(dataSource: DataSource): Promise<ActiveListRow[]> {
  return dataSource.query(
    `SELECT g.generation, l.id, l.kind, l.active_version_id FROM list_generation g LEFT JOIN lists l ON l.active_version_id IS NOT NULL`,
  );
}
