import type { EntityManager } from 'typeorm';
import { SqlFilter } from '../db/sql-filter';
import type { Cursor } from '../http/pagination';
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
  created_by_person: string | null;
  scope: string;
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
  /** The organisation the mark holds for, or 'all'. */
  scope: string;
  days: number;
}

const SELECT = `SELECT a.*, k.person AS created_by_person, a.expires_at <= now() AS expired
  FROM allow_list_entries a LEFT JOIN api_keys k ON k.id = a.created_by`;

export async function insertMark(m: EntityManager, k: NewMark): Promise<AllowListRow> {
  const [row] = await m.query(
    `INSERT INTO allow_list_entries (party_fingerprint, list_id, entry_id, entry_hash, party, matched_name, hit_id, case_id, declaration_id,
       decision_id, reason, created_by, created_by_role, scope, expires_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13, $14, now() + ($15::int * interval '1 day'))
     RETURNING id`,
    [
      k.partyFingerprint,
      k.listId,
      k.entryId,
      k.entryHash,
      JSON.stringify(k.party),
      k.matchedName,
      k.hitId,
      k.caseId,
      k.declarationId,
      k.decisionId,
      k.reason,
      k.createdBy,
      k.createdByRole,
      k.scope,
      k.days,
    ],
  );
  return (await readMark(m, row.id))!;
}

/** Unrevoked, unexpired marks for these party fingerprints that hold for this organisation, newest first. */
export async function activeMarks(
  m: EntityManager,
  fingerprints: string[],
  organization: string,
): Promise<Suppression[]> {
  const rows: { id: string; party_fingerprint: string; list_id: string; entry_id: string; entry_hash: string }[] =
    await m.query(
      `SELECT id, party_fingerprint, list_id, entry_id, entry_hash FROM allow_list_entries
     WHERE party_fingerprint = ANY($1::text[]) AND revoked_at IS NULL AND expires_at > now() AND scope IN ($2, 'all')
     ORDER BY created_at DESC, id DESC`,
      [fingerprints, organization],
    );
  return rows.map((r) => ({
    id: r.id,
    partyFingerprint: r.party_fingerprint,
    listId: r.list_id,
    entryId: r.entry_id,
    entryHash: r.entry_hash,
  }));
}

export async function readMark(m: EntityManager, id: string, lock = false): Promise<AllowListRow | undefined> {
  const [row] = await m.query(`${SELECT} WHERE a.id = $1${lock ? ' FOR UPDATE OF a' : ''}`, [id]);
  return row;
}

export async function revokeMark(m: EntityManager, id: string, by: string): Promise<void> {
  await m.query(
    `UPDATE allow_list_entries SET revoked_at = date_trunc('milliseconds', clock_timestamp()), revoked_by = $2 WHERE id = $1`,
    [id, by],
  );
}

export async function listMarks(m: EntityManager, q: AllowListQuery, after?: Cursor): Promise<AllowListRow[]> {
  const f = new SqlFilter();
  if (q.listId) f.where(`a.list_id = ${f.bind(q.listId)}`);
  if (q.entryId) f.where(`a.entry_id = ${f.bind(q.entryId)}`);
  if (q.scope) f.where(`a.scope = ${f.bind(q.scope)}`);
  if (q.status === 'revoked') f.where('a.revoked_at IS NOT NULL');
  if (q.status === 'expired') f.where('a.revoked_at IS NULL AND a.expires_at <= now()');
  if (q.status === 'active') f.where('a.revoked_at IS NULL AND a.expires_at > now()');
  f.keysetBefore('a.created_at', 'a.id', after);
  return m.query(
    `${SELECT} ${f.clause()} ORDER BY a.created_at DESC, a.id DESC LIMIT ${f.bind(q.limit + 1)}`,
    f.params,
  );
}
