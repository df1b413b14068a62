import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { AuditActor } from './audit-actor';

export const GENESIS_HASH = '0'.repeat(64);

/** The part of an event the chain covers, in the shape auditors see in exports. */
export interface ChainedEventContent {
  seq: number;
  occurredAt: string;
  actor: AuditActor;
  action: string;
  subjectType: string;
  subjectId: string;
  data: unknown;
}

/** hash = sha256(canonical JSON of the event + previous hash), hex. */
export function chainHash(event: ChainedEventContent, prevHash: string): string {
  return createHash('sha256').update(canonicalJson(event)).update(prevHash).digest('hex');
}

/** Columns read identically by the sealer, the verifier and the exports, so all three hash the same text. */
export const EVENT_COLUMNS = `id, seq, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at,
  actor, action, subject_type, subject_id, data, prev_hash, hash`;

export interface EventRow {
  id: string;
  seq: string | null;
  occurred_at: string;
  actor: AuditActor;
  action: string;
  subject_type: string;
  subject_id: string;
  data: unknown;
  prev_hash: string | null;
  hash: string | null;
}

export function contentOf(row: EventRow, seq: number): ChainedEventContent {
  return {
    seq,
    occurredAt: row.occurred_at,
    actor: row.actor,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    data: row.data,
  };
}
