import type { DataSource } from 'typeorm';
import { prepared, queryPrepared } from '../db/prepared';

const CLAIM_KEYS = prepared(
  'claim_idempotency_keys',
  `WITH x AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS x(o, k, h, i)),
     c AS (
       INSERT INTO idempotency_keys (organization, key, request_hash, status) SELECT o, k, h, 'in_flight' FROM x
       ON CONFLICT (organization, key) DO NOTHING RETURNING organization, key)
   SELECT g.generation, ARRAY(SELECT x.i FROM c JOIN x ON x.o = c.organization AND x.k = c.key) AS claimed
   FROM list_generation g`,
);

export interface KeyClaim {
  organization: string;
  key: string;
  hash: string;
}

export interface KeyClaims {
  /** Per claim, in order: true when this statement took the key, false when the organisation already held it. */
  claimed: boolean[];
  /** The lists' generation (list_generation) in the statement's snapshot, which started after every claim was asked. */
  listGeneration: number;
}

/**
 * Claims keys for requests in flight, any number in one statement and one commit, and reads the lists' generation in
 * the same snapshot. The (organization, key) pairs must differ from each other.
 */
export async function claimIdempotencyKeys(ds: DataSource, claims: readonly KeyClaim[]): Promise<KeyClaims> {
  const [row] = await queryPrepared<{ generation: string; claimed: (number | string)[] }>(ds.manager, CLAIM_KEYS, [
    claims.map((c) => c.organization),
    claims.map((c) => c.key),
    claims.map((c) => c.hash),
  ]);
  const claimed = claims.map(() => false);
  for (const i of row.claimed) claimed[Number(i) - 1] = true;
  return { claimed, listGeneration: Number(row.generation) };
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
