import type { DataSource, EntityManager } from 'typeorm';
import { decodeOpaqueCursor, isCursorTimestamp, encodeCursor } from '../http/pagination';
import { checkpointMessage, type AuditSigner } from './audit-signing';
import { repeatSerially } from './audit-sealer';

export type CheckpointReason = 'scheduled' | 'export' | 'verify';

/** A signed statement "event `seq` of the chain has hash `hash`", as auditors see it. */
export interface Checkpoint {
  seq: number;
  hash: string;
  signedAt: string;
  keyId: string;
  publicKey: string;
  signature: string;
  reason: CheckpointReason;
}

type Queryable = DataSource | EntityManager;

const COLUMNS = `seq, hash, to_char(signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS signed_at,
  key_id, public_key, signature, reason`;

interface CheckpointRow {
  seq: string;
  hash: string;
  signed_at: string;
  key_id: string;
  public_key: string;
  signature: string;
  reason: CheckpointReason;
}

function fromRow(r: CheckpointRow): Checkpoint {
  return { seq: Number(r.seq), hash: r.hash, signedAt: r.signed_at, keyId: r.key_id, publicKey: r.public_key, signature: r.signature, reason: r.reason };
}

export async function checkpointAt(db: Queryable, seq: number): Promise<Checkpoint | null> {
  const rows: CheckpointRow[] = await db.query(`SELECT ${COLUMNS} FROM audit_checkpoints WHERE seq = $1`, [seq]);
  return rows.length ? fromRow(rows[0]) : null;
}

/** Checkpoints with lo <= seq <= hi (hi omitted: no upper bound), in chain order. */
export async function checkpointsBetween(db: Queryable, lo: number, hi?: number): Promise<Checkpoint[]> {
  const rows: CheckpointRow[] = hi === undefined
    ? await db.query(`SELECT ${COLUMNS} FROM audit_checkpoints WHERE seq >= $1 ORDER BY seq`, [lo])
    : await db.query(`SELECT ${COLUMNS} FROM audit_checkpoints WHERE seq BETWEEN $1 AND $2 ORDER BY seq`, [lo, hi]);
  return rows.map(fromRow);
}

/** The current head of the sealed chain, or null while nothing is sealed. */
export async function chainHead(db: Queryable): Promise<{ seq: number; hash: string } | null> {
  const rows: { seq: string; hash: string }[] = await db.query(`SELECT seq, hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`);
  return rows.length ? { seq: Number(rows[0].seq), hash: rows[0].hash } : null;
}

/**
 * Signs `head` (default: the current chain head) unless a checkpoint at that position exists, in which case that one is
 * returned: one checkpoint per position, whichever process got there first. Null when the chain is empty.
 */
export async function checkpointHead(db: Queryable, signer: AuditSigner, reason: CheckpointReason, head?: { seq: number; hash: string }): Promise<Checkpoint | null> {
  const at = head ?? await chainHead(db);
  if (!at || at.seq === 0) return null;
  const existing = await checkpointAt(db, at.seq);
  if (existing) return existing;
  const signedAt = new Date().toISOString();
  const signature = signer.sign(checkpointMessage(at.seq, at.hash, signedAt));
  await db.query(
    `INSERT INTO audit_checkpoints (seq, hash, signed_at, key_id, public_key, signature, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (seq) DO NOTHING`,
    [at.seq, at.hash, signedAt, signer.keyId, signer.publicKey, signature, reason],
  );
  return checkpointAt(db, at.seq);
}

/** Newest first, keyset-paged by seq (the cursor carries the last seq returned). */
export async function listCheckpoints(db: Queryable, limit: number, cursor?: string): Promise<{ items: Checkpoint[]; nextCursor: string | null }> {
  // The cursor is keyed by seq (a positive integer), not the (timestamp, uuid) pair of the other collections.
  const after = cursor === undefined ? undefined
    : decodeOpaqueCursor<{ at: string; id: string }>(cursor, (c) => isCursorTimestamp(c.at) && typeof c.id === 'string' && /^[1-9][0-9]{0,17}$/.test(c.id));
  const rows: CheckpointRow[] = after
    ? await db.query(`SELECT ${COLUMNS} FROM audit_checkpoints WHERE seq < $1 ORDER BY seq DESC LIMIT $2`, [after.id, limit + 1])
    : await db.query(`SELECT ${COLUMNS} FROM audit_checkpoints ORDER BY seq DESC LIMIT $1`, [limit + 1]);
  const items = rows.slice(0, limit).map(fromRow);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.signedAt, String(last.seq)) : null };
}

/** Signs the head every `intervalMs` when it has moved; errors are logged and retried next round. */
export function startCheckpointer(dataSource: DataSource, signer: AuditSigner, intervalMs: number, onError: (err: unknown) => void): { stop(): Promise<void> } {
  return repeatSerially(() => checkpointHead(dataSource, signer, 'scheduled'), intervalMs, onError);
}
