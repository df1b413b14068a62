import type { EntityManager } from 'typeorm';
import type { Config } from '../config/config';
import type { AuditActor } from '../audit/audit-event.entity';
import { recordAudit } from '../audit/audit.service';
import { casePriority, PRIORITY_NAMES, slaMinutes, type CasePriority } from './priority';
import { scheduleEscalation } from './sla';

export { casePriority, PRIORITY_NAMES, slaMinutes, type CasePriority } from './priority';

export interface OpenedCase {
  id: string;
  created: boolean;
  priority: CasePriority;
  deadline: Date;
}

/**
 * Opens the review case of a declaration whose screening needs a person, inside the caller's transaction; when a
 * case is already open (a re-screening found more) it raises its level and priority instead. A closed case is
 * reopened: a new hit after a decision needs a new look. Each new deadline gets its SLA escalation job.
 */
export async function openOrUpdateCase(
  m: EntityManager,
  config: Config,
  actor: AuditActor,
  declaration: { id: string; organization: string },
  screening: { id: string; outcome: 'REVIEW' | 'BLOCK'; riskScore: number },
): Promise<OpenedCase> {
  const priority = casePriority(screening.outcome, screening.riskScore);
  const deadline = new Date(Date.now() + Math.round(slaMinutes(config, priority) * 60_000));
  const existing: { id: string; priority: number; deadline: Date; closed_at: Date | null; level: string }[] = await m.query(
    `SELECT id, priority, deadline, closed_at, level FROM review_cases WHERE declaration_id = $1 FOR UPDATE`, [declaration.id]);
  if (existing.length === 0) {
    const [row] = await m.query(
      `INSERT INTO review_cases (declaration_id, organization, status, level, priority, risk_score, deadline)
       VALUES ($1, $2, 'open', $3, $4, $5, $6) RETURNING id`,
      [declaration.id, declaration.organization, screening.outcome, priority, screening.riskScore, deadline]);
    await recordAudit(m, actor, {
      action: 'case.opened', subjectType: 'case', subjectId: row.id,
      data: { declarationId: declaration.id, screeningId: screening.id, level: screening.outcome, priority: PRIORITY_NAMES[priority], deadline: deadline.toISOString() },
    });
    await scheduleEscalation(m, row.id, deadline);
    return { id: row.id, created: true, priority, deadline };
  }
  const current = existing[0];
  const newPriority = Math.min(current.priority, priority) as CasePriority;
  const newDeadline = current.closed_at ? deadline : new Date(Math.min(new Date(current.deadline).getTime(), deadline.getTime()));
  const level = current.level === 'BLOCK' || screening.outcome === 'BLOCK' ? 'BLOCK' : 'REVIEW';
  // A reopened case starts afresh: back in the queue, on time, with no decision pending.
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
    [current.id, level, newPriority, screening.riskScore, newDeadline]);
  await recordAudit(m, actor, {
    action: current.closed_at ? 'case.reopened' : 'case.updated', subjectType: 'case', subjectId: current.id,
    data: { declarationId: declaration.id, screeningId: screening.id, level, priority: PRIORITY_NAMES[newPriority], deadline: newDeadline.toISOString() },
  });
  if (newDeadline.getTime() !== new Date(current.deadline).getTime()) await scheduleEscalation(m, current.id, newDeadline);
  return { id: current.id, created: false, priority: newPriority, deadline: newDeadline };
}
