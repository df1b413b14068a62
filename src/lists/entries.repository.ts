import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { canonicalJson } from '../audit/canonical-json';
import type { EntityEntry, GoodsEntry, ListKind } from '../domain/list-entry';
import { entityImporter, goodsImporter, type ImportFormat, type ImportParts } from './importers';

const BATCH = 1000;

/** A stable digest of an entry's content: delta re-screening compares it across versions. */
export function entryHash(entry: EntityEntry): string {
  return createHash('sha256').update(canonicalJson(entry)).digest('hex').slice(0, 32);
}

/**
 * Streams the importer's entries into the version's rows, BATCH at a time, so memory stays flat whatever the file size.
 * Rows left by an interrupted earlier attempt are removed first, which makes the import job safe to run twice.
 * A duplicate id in the file keeps its first entry and is counted.
 */
export async function writeEntries(
  dataSource: DataSource,
  versionId: string,
  kind: ListKind,
  format: ImportFormat,
  parts: ImportParts,
): Promise<{ entries: number; duplicates: number }> {
  const table = kind === 'entities' ? 'entity_entries' : 'goods_entries';
  await dataSource.query(`DELETE FROM ${table} WHERE version_id = $1`, [versionId]);
  let entries = 0;
  let seen = 0;
  if (kind === 'entities') {
    let batch: EntityEntry[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const res: unknown[] = await dataSource.query(
        `INSERT INTO entity_entries (version_id, entry_id, entry, content_hash)
         SELECT $1, e->>'entryId', e, h FROM unnest($2::jsonb[], $3::text[]) AS x(e, h)
         ON CONFLICT (version_id, entry_id) DO NOTHING RETURNING 1`,
        [versionId, batch.map((e) => JSON.stringify(e)), batch.map(entryHash)],
      );
      entries += res.length;
      batch = [];
    };
    for await (const entry of entityImporter(format)(parts)) {
      seen += 1;
      batch.push(entry);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
  } else {
    let batch: GoodsEntry[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const res: unknown[] = await dataSource.query(
        `INSERT INTO goods_entries (version_id, prefix, severity, label, source)
         SELECT $1, p, s, l, src FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS x(p, s, l, src)
         ON CONFLICT (version_id, prefix) DO NOTHING RETURNING 1`,
        [
          versionId,
          batch.map((g) => g.prefix),
          batch.map((g) => g.severity),
          batch.map((g) => g.label),
          batch.map((g) => g.source ?? null),
        ],
      );
      entries += res.length;
      batch = [];
    };
    for await (const entry of goodsImporter(format)(parts)) {
      seen += 1;
      batch.push(entry);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
  }
  return { entries, duplicates: seen - entries };
}

export async function* readEntityEntries(
  dataSource: DataSource,
  versionId: string,
): AsyncGenerator<{ entry: EntityEntry; hash: string }[]> {
  let after = '';
  for (;;) {
    const rows: { entry_id: string; entry: EntityEntry; content_hash: string }[] = await dataSource.query(
      `SELECT entry_id, entry, content_hash FROM entity_entries WHERE version_id = $1 AND entry_id > $2 ORDER BY entry_id LIMIT 5000`,
      [versionId, after],
    );
    if (!rows.length) return;
    yield rows.map((r) => ({ entry: r.entry, hash: r.content_hash }));
    after = rows[rows.length - 1].entry_id;
  }
}

export async function readGoodsEntries(dataSource: DataSource, versionId: string): Promise<GoodsEntry[]> {
  const rows: { prefix: string; severity: GoodsEntry['severity']; label: string; source: string | null }[] =
    await dataSource.query(`SELECT prefix, severity, label, source FROM goods_entries WHERE version_id = $1`, [
      versionId,
    ]);
  return rows.map((r) => ({ prefix: r.prefix, severity: r.severity, label: r.label, source: r.source ?? undefined }));
}

/**
 * The active version's entries (entity ids, or goods prefixes) and how many of them `versionId` no longer has; undefined
 * when the query returns no row.
 */
export async function countRemovedEntries(
  m: EntityManager,
  kind: ListKind,
  activeVersionId: string,
  versionId: string,
): Promise<{ active: number; removed: number } | undefined> {
  const [row]: { active: number; removed: number }[] =
    kind === 'entities'
      ? await m.query(
          `SELECT count(*)::int AS active,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM entity_entries n WHERE n.version_id = $2 AND n.entry_id = a.entry_id))::int AS removed
         FROM entity_entries a WHERE a.version_id = $1`,
          [activeVersionId, versionId],
        )
      : await m.query(
          `SELECT count(*)::int AS active,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM goods_entries n WHERE n.version_id = $2 AND n.prefix = a.prefix))::int AS removed
         FROM goods_entries a WHERE a.version_id = $1`,
          [activeVersionId, versionId],
        );
  return row;
}

/** Removes a failed version's entries of both kinds (its links: deleteLinks). */
export async function deleteEntries(m: EntityManager, versionId: string): Promise<void> {
  await m.query(`DELETE FROM entity_entries WHERE version_id = $1`, [versionId]);
  await m.query(`DELETE FROM goods_entries WHERE version_id = $1`, [versionId]);
}

/** The entity entries of a version with the given ids (those present). */
export async function readEntityEntriesById(
  dataSource: DataSource,
  versionId: string,
  entryIds: string[],
): Promise<EntityEntry[]> {
  const rows: { entry: EntityEntry }[] = await dataSource.query(
    `SELECT entry FROM entity_entries WHERE version_id = $1 AND entry_id = ANY($2::text[])`,
    [versionId, entryIds],
  );
  return rows.map((r) => r.entry);
}
