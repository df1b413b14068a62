import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { canonicalJson } from '../audit/canonical-json';
import { ConflictError, UnprocessableError } from '../http/errors';

/** A request still marked in flight after this long was abandoned (its process died): the key may be used again. */
const ABANDONED_AFTER_SECONDS = 60;

export type IdempotencyStart = { kind: 'new' } | { kind: 'replay'; status: number; body: unknown };

export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/**
 * Idempotency-Key handling. The key is claimed in its own short transaction before the work starts, so a concurrent
 * duplicate sees it at once (409) instead of doing the work twice; the stored answer is written in the work's own
 * transaction, so it exists exactly when the work committed. Keys are kept (never purged by the service).
 */
export class IdempotencyStore {
  constructor(private readonly dataSource: DataSource) {}

  async begin(organization: string, key: string, hash: string): Promise<IdempotencyStart> {
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (organization, key, request_hash, status) VALUES ($1, $2, $3, 'in_flight')
       ON CONFLICT (organization, key) DO NOTHING RETURNING 1`, [organization, key, hash]);
    if (claimed.length) return { kind: 'new' };
    const [row] = await this.dataSource.query(
      `SELECT request_hash, status, response_status, response_body, extract(epoch FROM now() - created_at) AS age FROM idempotency_keys
       WHERE organization = $1 AND key = $2`, [organization, key]);
    if (!row) return this.begin(organization, key, hash);
    if (row.request_hash !== hash) {
      throw new UnprocessableError('idempotency_key_reused', 'This Idempotency-Key was used with a different request body.');
    }
    if (row.status === 'done') return { kind: 'replay', status: row.response_status, body: row.response_body };
    if (Number(row.age) > ABANDONED_AFTER_SECONDS) {
      const taken: unknown[] = await this.dataSource.query(
        `WITH t AS (UPDATE idempotency_keys SET created_at = now() WHERE organization = $1 AND key = $2 AND status = 'in_flight'
           AND created_at < now() - make_interval(secs => $3) RETURNING 1) SELECT * FROM t`, [organization, key, ABANDONED_AFTER_SECONDS]);
      if (taken.length) return { kind: 'new' };
    }
    throw new ConflictError('request_in_flight', 'A request with this Idempotency-Key is still being processed; retry shortly.');
  }

  async complete(m: EntityManager, organization: string, key: string, status: number, body: unknown): Promise<void> {
    await m.query(
      `UPDATE idempotency_keys SET status = 'done', response_status = $3, response_body = $4::jsonb WHERE organization = $1 AND key = $2`,
      [organization, key, status, JSON.stringify(body)]);
  }

  /** The work failed: free the key so the client can retry with it. */
  async abandon(organization: string, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE organization = $1 AND key = $2 AND status = 'in_flight'`, [organization, key]);
  }
}
