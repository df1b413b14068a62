import type { EntityManager } from 'typeorm';
import type { AuditActor } from '../audit/audit-event.entity';
import { PRIORITY_NAMES, type CasePriority } from './priority';
import type { ListCasesQuery } from './cases.schemas';
import { decodeOpaqueCursor, isCursorTimestamp, isUuid } from '../http/pagination';
import { searchConditions } from '../declarations/search-filter';

/** A review_cases row with what a view of it needs (reference, claimant's name, pending decision). */
export interface CaseRow {
  id: string;
  declaration_id: string;
  reference: string;
  organization: string;
  status: 'open' | 'held' | 'escalated' | 'awaiting_approval' | 'information_requested' | 'closed';
  level: 'REVIEW' | 'BLOCK';
  priority: CasePriority;
  risk_score: number;
  deadline: Date;
  sla_paused_at: Date | null;
  overdue: boolean;
  escalated_at: Date | null;
  assignee_key_id: string | null;
  assignee_name: string | null;
  assignee_person: string | null;
  lease_expires_at: Date | null;
  lease_active: boolean;
  resolution: 'released' | 'refused' | null;
  pending_decision_id: string | null;
  pending_action: string | null;
  pending_decided_by: string | null;
  pending_decided_by_person: string | null;
  pending_decided_at: Date | null;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

const SELECT_CASE = `
  SELECT c.id, c.declaration_id, d.reference, c.organization, c.status, c.level, c.priority, c.risk_score, c.deadline, c.sla_paused_at, c.overdue,
         c.escalated_at, c.assignee_key_id, k.name AS assignee_name, k.person AS assignee_person, c.lease_expires_at,
         (c.assignee_key_id IS NOT NULL AND c.lease_expires_at > now()) AS lease_active,
         c.resolution, c.pending_decision_id, p.action AS pending_action, p.decided_by AS pending_decided_by, p.decided_by_person AS pending_decided_by_person, p.decided_at AS pending_decided_at,
         c.created_at, c.updated_at, c.closed_at
  FROM review_cases c
  JOIN declarations d ON d.id = c.declaration_id
  LEFT JOIN api_keys k ON k.id = c.assignee_key_id
  LEFT JOIN case_decisions p ON p.id = c.pending_decision_id`;

export function caseView(r: CaseRow) {
  return {
    id: r.id,
    declarationId: r.declaration_id,
    reference: r.reference,
    organization: r.organization,
    status: r.status,
    level: r.level,
    priority: PRIORITY_NAMES[r.priority] as 'critical' | 'high' | 'normal' | 'low',
    priorityRank: r.priority,
    riskScore: r.risk_score,
    deadline: r.deadline.toISOString(),
    slaPausedAt: r.sla_paused_at?.toISOString() ?? null,
    overdue: r.overdue,
    escalated: r.escalated_at !== null,
    assignee: r.assignee_key_id,
    assigneeName: r.assignee_name,
    assigneePerson: r.assignee_person,
    leaseExpiresAt: r.lease_expires_at?.toISOString() ?? null,
    claimed: r.lease_active,
    resolution: r.resolution,
    awaitingApproval: r.pending_decision_id ? {
      decisionId: r.pending_decision_id,
      action: r.pending_action as 'release' | 'refuse',
      decidedBy: r.pending_decided_by!,
      decidedByPerson: r.pending_decided_by_person,
      decidedAt: r.pending_decided_at!.toISOString(),
      awaiting: `a supervisor other than ${r.pending_decided_by_person ?? `key ${r.pending_decided_by}`} (any of that person's keys)`,
    } : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    closedAt: r.closed_at?.toISOString() ?? null,
  };
}
export type CaseView = ReturnType<typeof caseView>;

export async function readCase(m: EntityManager, id: string): Promise<CaseRow | undefined> {
  const [row] = await m.query(`${SELECT_CASE} WHERE c.id = $1`, [id]);
  return row;
}

/** Locks the case row for the rest of the transaction (decisions, approvals, unclaims serialise on it). */
export async function lockCase(m: EntityManager, id: string): Promise<CaseRow | undefined> {
  const locked: unknown[] = await m.query(`SELECT 1 FROM review_cases WHERE id = $1 FOR UPDATE`, [id]);
  return locked.length ? readCase(m, id) : undefined;
}

/**
 * Hands the most urgent claimable case to the key, with a lease. Two arms, each `FOR UPDATE SKIP LOCKED` so concurrent
 * claimers never wait for or take the same row: the most urgent case nobody holds (a partial index), and the most
 * urgent case whose lease ran out (found by lease expiry, usually few). The better of the two wins.
 *
 * Claiming is the hottest write of the review queue, so it is one statement (one round trip, atomic without a
 * transaction block): the claim, its `case.claimed` audit event (the columns recordAudit writes; the sealer chains it
 * like any other) and the row for the answer.
 */
export async function claimNext(
  m: EntityManager, actor: AuditActor, statuses: readonly string[], leaseMs: number,
): Promise<(CaseRow & { previous_assignee: string | null }) | undefined> {
  const [row] = await m.query(
    `WITH fresh AS (
       SELECT id, priority, deadline, created_at, NULL::uuid AS previous_assignee FROM review_cases
       WHERE closed_at IS NULL AND assignee_key_id IS NULL AND status = ANY($2::text[])
       ORDER BY priority, deadline, created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED),
     lapsed AS (
       SELECT id, priority, deadline, created_at, assignee_key_id AS previous_assignee FROM review_cases
       WHERE closed_at IS NULL AND assignee_key_id IS NOT NULL AND lease_expires_at <= now() AND status = ANY($2::text[])
       ORDER BY priority, deadline, created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED),
     pick AS (
       SELECT * FROM (SELECT * FROM fresh UNION ALL SELECT * FROM lapsed) x ORDER BY priority, deadline, created_at, id LIMIT 1),
     claimed AS (
       UPDATE review_cases c SET assignee_key_id = $1, claimed_at = now(), lease_expires_at = now() + ($3::int * interval '1 millisecond'), updated_at = now()
       FROM pick WHERE c.id = pick.id
       RETURNING c.*, pick.previous_assignee),
     audited AS (
       INSERT INTO audit_events (actor, action, subject_type, subject_id, data)
       SELECT $4::jsonb, 'case.claimed', 'case', claimed.id::text, jsonb_build_object(
         'declarationId', claimed.declaration_id, 'previousAssignee', claimed.previous_assignee,
         'leaseExpiresAt', to_char(claimed.lease_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
       FROM claimed)
     SELECT c.id, c.declaration_id, d.reference, c.organization, c.status, c.level, c.priority, c.risk_score, c.deadline, c.sla_paused_at, c.overdue,
            c.escalated_at, c.assignee_key_id, k.name AS assignee_name, k.person AS assignee_person, c.lease_expires_at, true AS lease_active, c.resolution,
            NULL::uuid AS pending_decision_id, NULL AS pending_action, NULL::uuid AS pending_decided_by, NULL AS pending_decided_by_person, NULL::timestamptz AS pending_decided_at,
            c.created_at, c.updated_at, c.closed_at, c.previous_assignee
     FROM claimed c JOIN declarations d ON d.id = c.declaration_id LEFT JOIN api_keys k ON k.id = c.assignee_key_id`,
    [actor.keyId, statuses, leaseMs, JSON.stringify(actor)]);
  return row;
}

/** Extends the key's live claim on the case; false when it holds none. */
export async function renewLease(m: EntityManager, caseId: string, keyId: string, leaseMs: number): Promise<boolean> {
  const rows: unknown[] = await m.query(
    `WITH renewed AS (
       UPDATE review_cases SET lease_expires_at = now() + ($3::int * interval '1 millisecond')
       WHERE id = $1 AND assignee_key_id = $2 AND lease_expires_at > now() AND closed_at IS NULL RETURNING 1)
     SELECT * FROM renewed`,
    [caseId, keyId, leaseMs]);
  return rows.length > 0;
}

interface Keyset {
  p: number;
  d: string;
  c: string;
  id: string;
}

/** Opaque keyset cursor in claim order: (priority, deadline, created_at, id). */
export function encodeClaimCursor(r: CaseRow): string {
  const k: Keyset = { p: r.priority, d: r.deadline.toISOString(), c: r.created_at.toISOString(), id: r.id };
  return Buffer.from(JSON.stringify(k)).toString('base64url');
}

export function decodeClaimCursor(cursor: string): Keyset {
  return decodeOpaqueCursor<Keyset>(cursor, (k) => Number.isInteger(k.p) && (k.p as number) >= 0 && (k.p as number) <= 100
    && isCursorTimestamp(k.d) && isCursorTimestamp(k.c) && isUuid(k.id));
}

/** The filtered page query; returns limit + 1 rows so the caller knows whether there is more. */
export async function listCases(
  m: EntityManager, q: ListCasesQuery, selfKeyId: string, after: { claim?: Keyset; newest?: { at: string; id: string } },
): Promise<CaseRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
  if (q.status) where.push(`c.status = ${p(q.status)}`);
  if (q.priority) where.push(`c.priority = ${p(Object.entries(PRIORITY_NAMES).find(([, n]) => n === q.priority)![0])}::int`);
  if (q.level) where.push(`c.level = ${p(q.level)}`);
  if (q.overdue !== undefined) where.push(`c.overdue = ${p(q.overdue)}`);
  if (q.organization) where.push(`c.organization = ${p(q.organization)}`);
  // The declaration search filters (issue 13), on the case's declaration's search keys.
  const search = searchConditions(q, 's', p);
  if (search.length) where.push(`EXISTS (SELECT 1 FROM declaration_search s WHERE s.declaration_id = c.declaration_id AND ${search.join(' AND ')})`);
  if (q.assignee === 'none') where.push(`(c.assignee_key_id IS NULL OR c.lease_expires_at <= now())`);
  else if (q.assignee) where.push(`c.assignee_key_id = ${p(q.assignee === 'me' ? selfKeyId : q.assignee)}::uuid AND c.lease_expires_at > now()`);
  let order = 'c.priority, c.deadline, c.created_at, c.id';
  if (q.order === 'newest') {
    order = 'c.created_at DESC, c.id DESC';
    if (after.newest) where.push(`(c.created_at, c.id) < (${p(after.newest.at)}::timestamptz, ${p(after.newest.id)}::uuid)`);
  } else if (after.claim) {
    const k = after.claim;
    where.push(`(c.priority, c.deadline, c.created_at, c.id) > (${p(k.p)}::int, ${p(k.d)}::timestamptz, ${p(k.c)}::timestamptz, ${p(k.id)}::uuid)`);
  }
  return m.query(`${SELECT_CASE} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ${p(q.limit + 1)}`, params);
}

export async function caseHistory(m: EntityManager, caseId: string, declarationId: string): Promise<unknown[]> {
  return m.query(
    `SELECT seq, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "occurredAt", actor, action,
            subject_type AS "subjectType", subject_id AS "subjectId", data
     FROM audit_events WHERE subject_id = $1 OR subject_id = $2 ORDER BY id`,
    [caseId, declarationId]);
}
