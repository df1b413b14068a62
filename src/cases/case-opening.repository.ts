import type { EntityManager } from 'typeorm';
import type { CasePriority } from '../review-rules/priority';

/** The case of a declaration as case opening needs it (there is at most one per declaration). */
export interface CaseOfDeclaration {
  id: string;
  priority: CasePriority;
  deadline: Date;
  closed_at: Date | null;
  level: string;
}

/** The declaration's review case, locked for the caller's transaction; undefined when it has none yet. */
export async function lockCaseOfDeclaration(
  m: EntityManager,
  declarationId: string,
): Promise<CaseOfDeclaration | undefined> {
  const rows: CaseOfDeclaration[] = await m.query(
    `SELECT id, priority, deadline, closed_at, level FROM review_cases WHERE declaration_id = $1 FOR UPDATE`,
    [declarationId],
  );
  return rows[0];
}

export async function insertOpenCase(
  m: EntityManager,
  c: {
    id: string;
    declarationId: string;
    organization: string;
    level: 'REVIEW' | 'BLOCK';
    priority: CasePriority;
    riskScore: number;
    deadline: Date;
  },
): Promise<void> {
  await m.query(
    `INSERT INTO review_cases (id, declaration_id, organization, status, level, priority, risk_score, deadline)
     VALUES ($1, $2, $3, 'open', $4, $5, $6, $7)`,
    [c.id, c.declarationId, c.organization, c.level, c.priority, c.riskScore, c.deadline],
  );
}

/**
 * Raises an existing case's level, priority and risk score to a new screening's and sets its deadline. A reopened
 * case starts afresh: back in the queue, on time, with no decision pending.
 */
export async function raiseOrReopenCase(
  m: EntityManager,
  c: { id: string; level: 'REVIEW' | 'BLOCK'; priority: CasePriority; riskScore: number; deadline: Date },
): Promise<void> {
  await m.query(
    `UPDATE review_cases SET level = $2, priority = $3, risk_score = GREATEST(risk_score, $4), deadline = $5, updated_at = now(),
       status = CASE WHEN closed_at IS NULL THEN status ELSE 'open' END,
       assignee_key_id = CASE WHEN closed_at IS NULL THEN assignee_key_id ELSE NULL END,
       lease_expires_at = CASE WHEN closed_at IS NULL THEN lease_expires_at ELSE NULL END,
       overdue = CASE WHEN closed_at IS NULL THEN overdue ELSE false END,
       escalated_at = CASE WHEN closed_at IS NULL THEN escalated_at ELSE NULL END,
       resolution = CASE WHEN closed_at IS NULL THEN resolution ELSE NULL END,
       closed_at = NULL
     WHERE id = $1`,
    [c.id, c.level, c.priority, c.riskScore, c.deadline],
  );
}
