import type { DataSource, EntityManager } from 'typeorm';
import { SqlFilter } from '../db/sql-filter';
import type { Cursor } from '../http/pagination';
import { ApiKey } from './api-key.entity';
import { type Role } from '../http/actor';

/** The api_keys table. */

/** A key as read back (the secret's hash is never selected). */
export type StoredApiKey = Omit<ApiKey, 'secretHash'>;

/** A new key row, not yet written (saveKey writes it). */
export function newKey(m: EntityManager, fields: Omit<ApiKey, 'id' | 'createdAt'>): ApiKey {
  return m.create(ApiKey, fields);
}

/** Inserts a new key, or writes a changed one. */
export async function saveKey(m: EntityManager, key: ApiKey): Promise<void> {
  await m.save(key);
}

/** The roles the person holds through other live keys (unrevoked, unexpired), sorted. */
export async function otherLiveRoles(m: EntityManager, person: string, role: Role): Promise<{ role: Role }[]> {
  return m.query(
    `SELECT DISTINCT role FROM api_keys WHERE person = $1 AND role <> $2 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) ORDER BY role`,
    [person, role],
  );
}

/** Newest first, keyset-paginated on (created_at, id); limit + 1 rows so the caller knows whether there is more. */
export async function listKeys(ds: DataSource, limit: number, after: Cursor | undefined): Promise<StoredApiKey[]> {
  const f = new SqlFilter();
  f.keysetBefore('k.created_at', 'k.id', after);
  return ds.query(
    `SELECT k.id, k.name, k.role, k.organization, k.person, k.expires_at AS "expiresAt", k.last_used_at AS "lastUsedAt", k.bootstrap,
            k.secret_prefix AS "secretPrefix", k.created_at AS "createdAt", k.created_by AS "createdBy", k.revoked_at AS "revokedAt"
     FROM api_keys k ${f.clause()} ORDER BY k.created_at DESC, k.id DESC LIMIT ${f.bind(limit + 1)}`,
    f.params,
  );
}

/** The key, its row locked for the rest of the transaction. */
export async function lockKey(m: EntityManager, id: string): Promise<ApiKey | null> {
  return m.findOne(ApiKey, { where: { id }, lock: { mode: 'pessimistic_write' } });
}

/** Sends `payload` on `channel` when the transaction commits (LISTENers in every process hear it). */
export async function notifyOnCommit(m: EntityManager, channel: string, payload: string): Promise<void> {
  await m.query(`SELECT pg_notify($1, $2)`, [channel, payload]);
}

export interface LiveKeyRow {
  id: string;
  name: string;
  role: Role;
  organization: string;
  person: string | null;
  expires_at: Date | null;
}

/** The live (unrevoked, unexpired) key with this secret hash, or undefined. */
export async function liveKeyBySecretHash(ds: DataSource, hash: string): Promise<LiveKeyRow | undefined> {
  const rows: LiveKeyRow[] = await ds.query(
    `SELECT id, name, role, organization, person, expires_at FROM api_keys
     WHERE secret_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [hash],
  );
  return rows[0];
}

/** Writes the key's last_used_at unless another write happened within the interval. */
export async function touchLastUsed(ds: DataSource, keyId: string, intervalMs: number): Promise<void> {
  await ds.query(
    `UPDATE api_keys SET last_used_at = date_trunc('second', now())
     WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - $2::int * interval '1 millisecond')`,
    [keyId, intervalMs],
  );
}

/** Any key with this secret hash, revoked or not. */
export async function keysBySecretHash(
  ds: DataSource,
  hash: string,
): Promise<{ id: string; revoked_at: Date | null }[]> {
  return ds.query(`SELECT id, revoked_at FROM api_keys WHERE secret_hash = $1`, [hash]);
}

export async function countLiveAdmins(ds: DataSource): Promise<number> {
  const [{ n }]: { n: number }[] = await ds.query(
    `SELECT count(*)::int AS n FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
  );
  return n;
}
