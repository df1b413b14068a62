import type { EntityManager } from 'typeorm';
import type { Suppression } from '../screening/suppressions';
import type { AllowListQuery } from './allow-list.schemas';

export interface AllowListRow {
  id: string;
  party_fingerprint: string;
  list_id: string;
  entry_id: string;
  entry_hash: string;
  party: { name: string; country?: string; subject: string };
  matched_name: string | null;
  hit_id: string;
  case_id: string | null;
  declaration_id: string | null;
  decision_id: string | null;
  reason: string;
  created_by: string | null;
  created_by_role: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
  expired: boolean;
}

export interface NewMark {
  partyFingerprint: string;
  listId: string;
  entryId: string;
  entryHash: string;
  party: { name: string; country?: string; subject: string };
  matchedName: string | null;
  hitId: string;
  caseId: string;
  declarationId: string;
  decisionId: string;
  reason: string;
  createdBy: string | null;
  createdByRole: string;
  days: number;
}

const SELECT = `SELECT *, expires_at <= now() AS expired FROM allow_list_entries`;

export async function insertMark(m: EntityManager, k: NewMark): Promise<AllowListRow> {
  const [row] = await m.query(
    `INSERT INTO allow_list_entries (party_fingerprint, list_id, entry_id, entry_hash, party, matched_name, hit_id, case_id, declaration_id,
       decision_id, reason, created_by, created_by_role, expires_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13, now() + ($14::int * interval '1 day'))
     RETURNING *, false AS expired`,
    [k.partyFingerprint, k.listId, k.entryId, k.entryHash, JSON.stringify(k.party), k.matchedName, k.hitId, k.caseId, k.declarationId,
      k.decisionId, k.reason, k.createdBy, k.createdByRole, k.days]);
  return row;
}

/** Unrevoked, unexpired marks for these party fingerprints, newest first. */
export async function activeMarks(m: EntityManager, fingerprints: string[]): Promise<Suppression[]> {
  const rows: { id: string; party_fingerprint: string; list_id: string; entry_id: string; entry_hash: string }[] = await m.query(
    `SELECT id, party_fingerprint, list_id, entry_id, entry_hash FROM allow_list_entries
     WHERE party_fingerprint = ANY($1::text[]) AND revoked_at IS NULL AND expires_at > now()
     ORDER BY created_at DESC, id DESC`,
    [fingerprints]);
  return rows.map((r) => ({ id: r.id, partyFingerprint: r.party_fingerprint, listId: r.list_id, entryId: r.entry_id, entryHash: r.entry_hash }));
}

export async function readMark(m: EntityManager, id: string, lock = false): Promise<AllowListRow | undefined> {
  const [row] = await m.query(`${SELECT} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return row;
}

export async function revokeMark(m: EntityManager, id: string, by: string): Promise<void> {
  await m.query(`UPDATE allow_list_entries SET revoked_at = date_trunc('milliseconds', clock_timestamp()), revoked_by = $2 WHERE id = $1`, [id, by]);
}

export async function listMarks(m: EntityManager, q: AllowListQuery, after?: { at: string; id: string }): Promise<AllowListRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
  if (q.listId) where.push(`list_id = ${p(q.listId)}`);
  if (q.entryId) where.push(`entry_id = ${p(q.entryId)}`);
  if (q.status === 'revoked') where.push('revoked_at IS NOT NULL');
  if (q.status === 'expired') where.push('revoked_at IS NULL AND expires_at <= now()');
  if (q.status === 'active') where.push('revoked_at IS NULL AND expires_at > now()');
  if (after) where.push(`(created_at, id) < (${p(after.at)}::timestamptz, ${p(after.id)}::uuid)`);
  return m.query(`${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ${p(q.limit + 1)}`, params);
}
