import type { DataSource, EntityManager } from 'typeorm';
import type { GraphLink } from '../screening/ownership/graph';
import { linksOf, type EntityLink } from './importers/links';
import type { ImportFormat, ImportParts } from './importers';

const BATCH = 2000;

/**
 * Streams the version's ownership and control links (importers/links.ts) into entity_links. Rows of an interrupted
 * earlier attempt go first, so the import job stays safe to run twice; a repeated link id keeps its first row.
 */
export async function writeLinks(
  dataSource: DataSource,
  versionId: string,
  format: ImportFormat,
  parts: ImportParts,
): Promise<number> {
  await dataSource.query(`DELETE FROM entity_links WHERE version_id = $1`, [versionId]);
  const links = linksOf(format, parts);
  if (!links) return 0;
  let written = 0;
  let batch: EntityLink[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const res: unknown[] = await dataSource.query(
      `INSERT INTO entity_links (version_id, link_id, kind, from_id, to_id, percentage, role)
       SELECT $1, l, k, f, t, p, r FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::text[]) AS x(l, k, f, t, p, r)
       ON CONFLICT (version_id, link_id) DO NOTHING RETURNING 1`,
      [
        versionId,
        batch.map((b) => b.linkId),
        batch.map((b) => b.kind),
        batch.map((b) => b.fromId),
        batch.map((b) => b.toId),
        batch.map((b) => b.percentage ?? null),
        batch.map((b) => b.role ?? null),
      ],
    );
    written += res.length;
    batch = [];
  };
  for await (const link of links) {
    batch.push(link);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return written;
}

export async function readLinks(dataSource: DataSource, versionId: string): Promise<GraphLink[]> {
  const rows: {
    link_id: string;
    kind: GraphLink['kind'];
    from_id: string;
    to_id: string;
    percentage: string | null;
    role: string | null;
  }[] = await dataSource.query(
    `SELECT link_id, kind, from_id, to_id, percentage, role FROM entity_links WHERE version_id = $1`,
    [versionId],
  );
  return rows.map((r) => {
    const link: GraphLink = { linkId: r.link_id, kind: r.kind, fromId: r.from_id, toId: r.to_id };
    if (r.percentage !== null) link.percentage = Number(r.percentage);
    if (r.role !== null) link.role = r.role;
    return link;
  });
}

export async function deleteLinks(m: EntityManager, versionId: string): Promise<void> {
  await m.query(`DELETE FROM entity_links WHERE version_id = $1`, [versionId]);
}
