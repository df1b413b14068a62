import type { DataSource } from 'typeorm';
import { prepared, queryPrepared } from '../db/prepared';

const CLAIM_KEY = prepared(
  'claim_idempotency_key',
  `INSERT INTO idempotency_keys (organization, key, request_hash, status) VALUES ($1, $2, $3, 'in_flight')
   ON CONFLICT (organization, key) DO NOTHING RETURNING 1`,
);

/** Claims the key for a request in flight; false when the organisation already holds it. */
export async function claimIdempotencyKey(
  ds: DataSource,
  organization: string,
  key: string,
  hash: string,
): Promise<boolean> {
  const claimed = await queryPrepared(ds.manager, CLAIM_KEY, [organization, key, hash]);
  return claimed.length > 0;
}

export interface IdempotencyKeyRow {
  request_hash: string;
  status: 'in_flight' | 'done';
  response_status: number;
  response_body: unknown;
  /** Seconds since the key was claimed. */
  age: string | number;
}

export async function findIdempotencyKey(
  ds: DataSource,
  organization: string,
  key: string,
): Promise<IdempotencyKeyRow | undefined> {
  const [row] = await ds.query(
    `SELECT request_hash, status, response_status, response_body, extract(epoch FROM now() - created_at) AS age FROM idempotency_keys
     WHERE organization = $1 AND key = $2`,
    [organization, key],
  );
  return row;
}

/** Takes over a key still in flight after `abandonedAfterSeconds` (its process died); false when another did first. */
export async function retakeAbandonedKey(
  ds: DataSource,
  organization: string,
  key: string,
  abandonedAfterSeconds: number,
): Promise<boolean> {
  const taken: unknown[] = await ds.query(
    `WITH t AS (UPDATE idempotency_keys SET created_at = now() WHERE organization = $1 AND key = $2 AND status = 'in_flight'
       AND created_at < now() - make_interval(secs => $3) RETURNING 1) SELECT * FROM t`,
    [organization, key, abandonedAfterSeconds],
  );
  return taken.length > 0;
}

/** Frees a key whose request failed, so the client can retry with it. */
export async function releaseIdempotencyKey(ds: DataSource, organization: string, key: string): Promise<void> {
  await ds.query(`DELETE FROM idempotency_keys WHERE organization = $1 AND key = $2 AND status = 'in_flight'`, [
    organization,
    key,
  ]);
}
