import type { EntityManager } from 'typeorm';

/** What the allow-list (src/allow-list) reads of list entries: the content hash an entry had in a list version. */
export async function entryContentHash(
  m: EntityManager,
  versionId: string,
  entryId: string,
): Promise<string | undefined> {
  const [stored]: { content_hash: string }[] = await m.query(
    `SELECT content_hash FROM entity_entries WHERE version_id = $1 AND entry_id = $2`,
    [versionId, entryId],
  );
  return stored?.content_hash;
}
