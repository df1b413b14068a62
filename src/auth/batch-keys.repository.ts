import type { DataSource, EntityManager } from 'typeorm';

/** The role of an API key (undefined when it no longer exists): a batch's work is audited as its submitter's. */
export async function findKeyRole(m: DataSource | EntityManager, keyId: string): Promise<string | undefined> {
  const [key]: { role: string }[] = await m.query(`SELECT role FROM api_keys WHERE id = $1`, [keyId]);
  return key?.role;
}
