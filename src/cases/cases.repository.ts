import type { EntityManager } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor';
import { PRIORITY_NAMES, type CasePriority } from '../review-rules/priority';
import type { ListCasesQuery } from './cases.schemas';
import { decodeOpaqueCursor, isCursorTimestamp, isUuid, type Cursor } from '../http/pagination';
import { SqlFilter } from '../db/sql-filter';
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
    awaitingApproval: r.pending_decision_id
      ? {
          decisionId: r.pending_decision_id,
          action: r.pending_action as 'release' | 'refuse',
          decidedBy: r.pending_decided_by!,
          decidedByPerson: r.pending_decided_by_person,
          decidedAt: r.pending_decided_at!.toISOString(),
          awaiting: `a supervisor other than ${r.pending_decided_by_person ?? `key ${r.pending_decided_by}`} (any of that person's keys)`,
        }
      : null,
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
  m: EntityManager,
  actor: AuditActor,
  statuses: readonly string[],
  leaseMs: number,
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
    [actor.keyId, statuses, leaseMs, JSON.stringify(actor)],
  );
  return row;
}

/** Extends the key's live claim on the case; false when it holds none. */
export async function renewLease(m: EntityManager, caseId: string, keyId: string, leaseMs: number): Promise<boolean> {
  const rows: unknown[] = await m.query(
    `WITH renewed AS (
       UPDATE review_cases SET lease_expires_at = now() + ($3::int * interval '1 millisecond')
       WHERE id = $1 AND assignee_key_id = $2 AND lease_expires_at > now() AND closed_at IS NULL RETURNING 1)
     SELECT * FROM renewed`,
    [caseId, keyId, leaseMs],
  );
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
  return decodeOpaqueCursor<Keyset>(
    cursor,
    (k) =>
      Number.isInteger(k.p) &&
      (k.p as number) >= 0 &&
      (k.p as number) <= 100 &&
      isCursorTimestamp(k.d) &&
      isCursorTimestamp(k.c) &&
      isUuid(k.id),
  );
}

/** The filtered page query; returns limit + 1 rows so the caller knows whether there is more. */
export async function listCases(
  m: EntityManager,
  q: ListCasesQuery,
  selfKeyId: string,
  after: { claim?: Keyset; newest?: Cursor },
): Promise<CaseRow[]> {
  const f = new SqlFilter();
  const p = f.bind;
  if (q.status) f.where(`c.status = ${p(q.status)}`);
  if (q.priority)
    f.where(`c.priority = ${p(Object.entries(PRIORITY_NAMES).find(([, n]) => n === q.priority)![0])}::int`);
  if (q.level) f.where(`c.level = ${p(q.level)}`);
  if (q.overdue !== undefined) f.where(`c.overdue = ${p(q.overdue)}`);
  if (q.organization) f.where(`c.organization = ${p(q.organization)}`);
  // The declaration search filters (issue 13), on the case's declaration's search keys.
  const search = searchConditions(q, 's', p);
  if (search.length) {
    f.where(
      `EXISTS (SELECT 1 FROM declaration_search s WHERE s.declaration_id = c.declaration_id AND ${search.join(' AND ')})`,
    );
  }
  if (q.assignee === 'none') f.where(`(c.assignee_key_id IS NULL OR c.lease_expires_at <= now())`);
  else if (q.assignee)
    f.where(
      `c.assignee_key_id = ${p(q.assignee === 'me' ? selfKeyId : q.assignee)}::uuid AND c.lease_expires_at > now()`,
    );
  let order = 'c.priority, c.deadline, c.created_at, c.id';
  if (q.order === 'newest') {
    order = 'c.created_at DESC, c.id DESC';
    f.keysetBefore('c.created_at', 'c.id', after.newest);
  } else if (after.claim) {
    const k = after.claim;
    f.keysetAfter([
      { column: 'c.priority', value: k.p, cast: 'int' },
      { column: 'c.deadline', value: k.d, cast: 'timestamptz' },
      { column: 'c.created_at', value: k.c, cast: 'timestamptz' },
      { column: 'c.id', value: k.id, cast: 'uuid' },
    ]);
  }
  return m.query(`${SELECT_CASE} ${f.clause()} ORDER BY ${order} LIMIT ${p(q.limit + 1)}`, f.params);
}

/** Gives the case back to the queue (unassigned, no lease). */
export async function releaseClaim(m: EntityManager, id: string): Promise<void> {
  await m.query(
    `UPDATE review_cases SET assignee_key_id = NULL, lease_expires_at = NULL, updated_at = now() WHERE id = $1`,
    [id],
  );
}

/** The case's declaration, read without a lock; undefined when there is no such case. */
export async function caseDeclarationId(m: EntityManager, id: string): Promise<string | undefined> {
  const [c]: { declaration_id: string }[] = await m.query(`SELECT declaration_id FROM review_cases WHERE id = $1`, [
    id,
  ]);
  return c?.declaration_id;
}

/** A decision that needs a second person: the case waits, unassigned, for the approval of `decisionId`. */
export async function awaitApproval(m: EntityManager, id: string, decisionId: string): Promise<void> {
  await m.query(
    `UPDATE review_cases SET status = 'awaiting_approval', pending_decision_id = $2, assignee_key_id = NULL, lease_expires_at = NULL, updated_at = now() WHERE id = $1`,
    [id, decisionId],
  );
}

/** To the supervisors, unassigned. */
export async function escalateCase(m: EntityManager, id: string): Promise<void> {
  await m.query(
    `UPDATE review_cases SET status = 'escalated', escalated_at = now(), assignee_key_id = NULL, lease_expires_at = NULL, updated_at = now() WHERE id = $1`,
    [id],
  );
}

/** Held: the case stays open and with its claimant, the lease renewed. */
export async function holdCase(m: EntityManager, id: string, leaseMs: number): Promise<void> {
  await m.query(
    `UPDATE review_cases SET status = 'held', lease_expires_at = now() + ($2::int * interval '1 millisecond'), updated_at = now() WHERE id = $1`,
    [id, leaseMs],
  );
}

/** Back to the queue undecided and unclaimed (`open`, or `escalated` if it was). */
export async function returnUndecided(m: EntityManager, id: string): Promise<void> {
  await m.query(
    `UPDATE review_cases SET status = CASE WHEN escalated_at IS NULL THEN 'open' ELSE 'escalated' END, pending_decision_id = NULL,
       assignee_key_id = NULL, lease_expires_at = NULL, updated_at = now() WHERE id = $1`,
    [id],
  );
}

export async function closeCase(m: EntityManager, id: string, resolution: 'released' | 'refused'): Promise<void> {
  await m.query(
    `UPDATE review_cases SET status = 'closed', resolution = $2, closed_at = now(), assignee_key_id = NULL, lease_expires_at = NULL,
       pending_decision_id = NULL, updated_at = now() WHERE id = $1`,
    [id, resolution],
  );
}

/** What a cases.escalate job (queued by an older deployment) decides on, with the case row locked. */
export async function lockCaseForEscalation(
  m: EntityManager,
  id: string,
): Promise<
  | {
      priority: CasePriority;
      deadline: Date;
      overdue: boolean;
      closed_at: Date | null;
      due: boolean;
      declaration_id: string;
      paused: boolean;
    }
  | undefined
> {
  const [c] = await m.query(
    `SELECT priority, deadline, overdue, closed_at, declaration_id, deadline <= now() AS due, sla_paused_at IS NOT NULL AS paused FROM review_cases WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return c;
}

export async function markCaseOverdue(m: EntityManager, id: string, priority: CasePriority): Promise<void> {
  await m.query(`UPDATE review_cases SET overdue = true, priority = $2, updated_at = now() WHERE id = $1`, [
    id,
    priority,
  ]);
}

/** A case the SLA sweep escalated: its priority before and after, and the deadline it missed. */
export interface EscalatedCase {
  id: string;
  declaration_id: string;
  deadline: Date;
  previous_priority: CasePriority;
  priority: CasePriority;
}

/**
 * Marks up to `limit` due cases overdue, one priority step more urgent (never above critical), the most overdue first:
 * undecided (not closed), not already overdue, SLA clock running (not paused), deadline passed. One statement; the
 * rows are taken `FOR UPDATE SKIP LOCKED`, so two sweeps at once never take the same case, and a row another
 * transaction changed meanwhile is checked again against the conditions before it is updated. Found through the partial
 * index review_cases_sla_due (migration 1764192400000), which holds exactly the cases the sweep may escalate.
 */
export async function escalateDueCases(m: EntityManager, limit: number): Promise<EscalatedCase[]> {
  return m.query(
    `WITH due AS (
       SELECT id, priority FROM review_cases
       WHERE closed_at IS NULL AND NOT overdue AND sla_paused_at IS NULL AND deadline <= now()
       ORDER BY deadline LIMIT $1 FOR UPDATE SKIP LOCKED),
     escalated AS (
       UPDATE review_cases c SET overdue = true, priority = GREATEST(1, due.priority - 1), updated_at = now()
       FROM due WHERE c.id = due.id
       RETURNING c.id, c.declaration_id, c.deadline, due.priority AS previous_priority, c.priority)
     SELECT * FROM escalated`,
    [limit],
  );
}

/**
 * Takes the case out of the queue while the broker is asked (unassigned, not claimable), its SLA paused at `at`;
 * returns the deadline.
 */
export async function pauseForInformation(m: EntityManager, id: string, at: Date): Promise<Date> {
  // UPDATE ... RETURNING inside a CTE: TypeORM answers a bare UPDATE with [rows, count] instead of the rows.
  const [{ deadline }]: { deadline: Date }[] = await m.query(
    `WITH paused AS (
       UPDATE review_cases SET status = 'information_requested', assignee_key_id = NULL, lease_expires_at = NULL, sla_paused_at = $2, updated_at = now()
       WHERE id = $1 RETURNING deadline)
     SELECT * FROM paused`,
    [id, at],
  );
  return deadline;
}

/** The declaration's case, locked (FOR UPDATE); undefined when it has none. */
export async function lockCaseOfDeclaration(
  m: EntityManager,
  declarationId: string,
): Promise<{ id: string; status: string } | undefined> {
  const [c]: { id: string; status: string }[] = await m.query(
    `SELECT id, status FROM review_cases WHERE declaration_id = $1 FOR UPDATE`,
    [declarationId],
  );
  return c;
}

/** The case's status and its declaration's reference, the case row locked (FOR UPDATE OF c). */
export async function lockCaseStatus(
  m: EntityManager,
  id: string,
): Promise<{ status: string; reference: string } | undefined> {
  const [c]: { status: string; reference: string }[] = await m.query(
    `SELECT c.status, d.reference FROM review_cases c JOIN declarations d ON d.id = c.declaration_id WHERE c.id = $1 FOR UPDATE OF c`,
    [id],
  );
  return c;
}

/**
 * Back to a queue with the SLA running again at `at`: the deadline moves later by exactly the paused span. `queue`
 * returns the case where it was (`open`, or `escalated` if it had been); `escalate` sends it to the supervisors.
 */
export async function resumeFromPause(
  m: EntityManager,
  id: string,
  at: Date,
  to: 'queue' | 'escalate',
): Promise<{
  status: string;
  deadline: Date;
  previous_deadline: Date;
  paused_at: Date;
}> {
  const [row] = await m.query(
    `WITH resumed AS (
       UPDATE review_cases c SET
         deadline = date_trunc('milliseconds', c.deadline + ($2::timestamptz - c.sla_paused_at)),
         sla_paused_at = NULL, assignee_key_id = NULL, lease_expires_at = NULL, updated_at = now(),
         status = CASE WHEN $3::text = 'escalate' OR c.escalated_at IS NOT NULL THEN 'escalated' ELSE 'open' END,
         escalated_at = CASE WHEN $3::text = 'escalate' THEN COALESCE(c.escalated_at, $2::timestamptz) ELSE c.escalated_at END
       FROM (SELECT deadline, sla_paused_at FROM review_cases WHERE id = $1) old
       WHERE c.id = $1
       RETURNING c.status, c.deadline, old.deadline AS previous_deadline, old.sla_paused_at AS paused_at)
     SELECT * FROM resumed`,
    [id, at, to],
  );
  return row;
}
