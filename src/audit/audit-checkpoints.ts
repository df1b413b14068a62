import type { DataSource } from 'typeorm';
import type { Queryable } from '../db/queryable';
import { decodeOpaqueCursor, isCursorTimestamp, encodeCursor } from '../http/pagination';
import { checkpointMessage, type AuditSigner } from './audit-signing';
import { repeatSerially } from './audit-sealer';
import {
  chainHead,
  checkpointAt,
  checkpointsNewestFirst,
  insertCheckpoint,
  type Checkpoint,
  type CheckpointReason,
} from './audit.repository';

/**
 * Signs `head` (default: the current chain head) unless a checkpoint at that position exists, in which case that one is
 * returned: one checkpoint per position, whichever process got there first. Null when the chain is empty.
 */
export async function checkpointHead(
  db: Queryable,
  signer: AuditSigner,
  reason: CheckpointReason,
  head?: { seq: number; hash: string },
): Promise<Checkpoint | null> {
  const at = head ?? (await chainHead(db));
  if (!at || at.seq === 0) return null;
  const existing = await checkpointAt(db, at.seq);
  if (existing) return existing;
  const signedAt = new Date().toISOString();
  const signature = signer.sign(checkpointMessage(at.seq, at.hash, signedAt));
  await insertCheckpoint(db, {
    seq: at.seq,
    hash: at.hash,
    signedAt,
    keyId: signer.keyId,
    publicKey: signer.publicKey,
    signature,
    reason,
  });
  return checkpointAt(db, at.seq);
}

/** Newest first, keyset-paged by seq (the cursor carries the last seq returned). */
export async function listCheckpoints(
  db: Queryable,
  limit: number,
  cursor?: string,
): Promise<{ items: Checkpoint[]; nextCursor: string | null }> {
  // The cursor is keyed by seq (a positive integer), not the (timestamp, uuid) pair of the other collections.
  const after =
    cursor === undefined
      ? undefined
      : decodeOpaqueCursor<{ at: string; id: string }>(
          cursor,
          (c) => isCursorTimestamp(c.at) && typeof c.id === 'string' && /^[1-9][0-9]{0,17}$/.test(c.id),
        );
  const rows = await checkpointsNewestFirst(db, limit + 1, after ? after.id : undefined);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.signedAt, String(last.seq)) : null };
}

/** Signs the head every `intervalMs` when it has moved; errors are logged and retried next round. */
export function startCheckpointer(
  dataSource: DataSource,
  signer: AuditSigner,
  intervalMs: number,
  onError: (err: unknown) => void,
): { stop(): Promise<void> } {
  return repeatSerially(() => checkpointHead(dataSource, signer, 'scheduled'), intervalMs, onError);
}
