import type { EntityManager } from 'typeorm';

export type DecisionAction = 'release' | 'hold' | 'refuse' | 'escalate' | 'request_info';
export type ApprovalState = 'not_required' | 'pending' | 'approved' | 'rejected' | 'outdated';
export type FalsePositiveScope = 'organization' | 'all';

export interface DecisionRow {
  id: string;
  case_id: string;
  declaration_id: string;
  screening_id: string | null;
  action: DecisionAction;
  level: 'REVIEW' | 'BLOCK';
  reason: string;
  false_positive_hit_ids: string[];
  false_positive_scope: FalsePositiveScope;
  decided_by: string;
  decided_by_person: string | null;
  decided_by_role: string;
  decided_by_name: string | null;
  decided_at: Date;
  approval: ApprovalState;
  approved_by: string | null;
  approved_by_person: string | null;
  approved_by_name: string | null;
  approval_reason: string | null;
  approved_at: Date | null;
}

const SELECT_DECISION = `
  SELECT x.*, dk.name AS decided_by_name, ak.name AS approved_by_name
  FROM case_decisions x
  LEFT JOIN api_keys dk ON dk.id = x.decided_by
  LEFT JOIN api_keys ak ON ak.id = x.approved_by`;

export function decisionView(r: DecisionRow) {
  return {
    id: r.id,
    action: r.action,
    level: r.level,
    reason: r.reason,
    falsePositiveHitIds: r.false_positive_hit_ids,
    falsePositiveScope: r.false_positive_scope,
    screeningId: r.screening_id,
    decidedBy: { keyId: r.decided_by, name: r.decided_by_name, person: r.decided_by_person, role: r.decided_by_role },
    decidedAt: r.decided_at.toISOString(),
    approval: r.approval,
    approvedBy: r.approved_by ? { keyId: r.approved_by, name: r.approved_by_name, person: r.approved_by_person } : null,
    approvalReason: r.approval_reason,
    approvedAt: r.approved_at?.toISOString() ?? null,
  };
}
export type DecisionView = ReturnType<typeof decisionView>;

export async function insertDecision(
  m: EntityManager,
  d: {
    caseId: string;
    declarationId: string;
    screeningId: string | null;
    action: DecisionAction;
    level: string;
    reason: string;
    falsePositiveHitIds: string[];
    falsePositiveScope: FalsePositiveScope;
    decidedBy: string;
    decidedByPerson: string;
    decidedByRole: string;
    approval: ApprovalState;
  },
): Promise<string> {
  const [row] = await m.query(
    `INSERT INTO case_decisions (case_id, declaration_id, screening_id, action, level, reason, false_positive_hit_ids, false_positive_scope,
       decided_by, decided_by_person, decided_by_role, approval)
     VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8, $9, $10, $11, $12) RETURNING id`,
    [
      d.caseId,
      d.declarationId,
      d.screeningId,
      d.action,
      d.level,
      d.reason,
      d.falsePositiveHitIds,
      d.falsePositiveScope,
      d.decidedBy,
      d.decidedByPerson,
      d.decidedByRole,
      d.approval,
    ],
  );
  return row.id;
}

export async function recordApproval(
  m: EntityManager,
  decisionId: string,
  outcome: 'approved' | 'rejected' | 'outdated',
  approvedBy: { keyId: string; person: string },
  reason: string,
): Promise<void> {
  await m.query(
    `UPDATE case_decisions SET approval = $2, approved_by = $3, approved_by_person = $4, approval_reason = $5,
       approved_at = date_trunc('milliseconds', clock_timestamp())
     WHERE id = $1`,
    [decisionId, outcome, approvedBy.keyId, approvedBy.person, reason],
  );
}

export async function readDecision(m: EntityManager, id: string): Promise<DecisionRow> {
  const [row] = await m.query(`${SELECT_DECISION} WHERE x.id = $1`, [id]);
  return row;
}

export async function caseDecisions(m: EntityManager, caseId: string): Promise<DecisionRow[]> {
  return m.query(`${SELECT_DECISION} WHERE x.case_id = $1 ORDER BY x.decided_at DESC, x.id DESC`, [caseId]);
}
