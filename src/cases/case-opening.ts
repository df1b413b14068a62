import type { EntityManager } from 'typeorm';
import type { Config } from '../config/config';
import type { AuditActor } from '../audit/audit-actor';
import { recordAudit } from '../audit/audit.service';
import { caseOpening, caseTerms, type ScreeningForCase } from '../review-rules/case-opening';
import { PRIORITY_NAMES, type CasePriority } from '../review-rules/priority';
import { insertOpenCase, lockCaseOfDeclaration, raiseOrReopenCase } from './case-opening.repository';

export interface OpenedCase {
  id: string;
  created: boolean;
  priority: CasePriority;
  deadline: Date;
}

/**
 * Opens the review case of a declaration whose screening needs a person, inside the caller's transaction; when a
 * case is already open (a re-screening found more) it raises its level and priority instead. A closed case is
 * reopened: a new hit after a decision needs a new look. No job is scheduled for the (new) deadline: the SLA sweep
 * (sla.ts) reads the stored one. A new case is decided by caseOpening (review-rules), as for the one-statement writer
 * of new declarations.
 */
export async function openOrUpdateCase(
  m: EntityManager,
  config: Config,
  actor: AuditActor,
  declaration: { id: string; organization: string },
  screening: ScreeningForCase,
): Promise<OpenedCase> {
  const terms = caseTerms(config, screening);
  const current = await lockCaseOfDeclaration(m, declaration.id);
  if (!current) {
    const opened = caseOpening(declaration.id, screening, terms);
    await insertOpenCase(m, {
      id: opened.id,
      declarationId: declaration.id,
      organization: declaration.organization,
      level: screening.outcome,
      priority: opened.priority,
      riskScore: screening.riskScore,
      deadline: opened.deadline,
    });
    await recordAudit(m, actor, opened.audit);
    return { id: opened.id, created: true, priority: opened.priority, deadline: opened.deadline };
  }
  const newPriority = Math.min(current.priority, terms.priority) as CasePriority;
  const newDeadline = current.closed_at
    ? terms.deadline
    : new Date(Math.min(new Date(current.deadline).getTime(), terms.deadline.getTime()));
  const level = current.level === 'BLOCK' || screening.outcome === 'BLOCK' ? 'BLOCK' : 'REVIEW';
  await raiseOrReopenCase(m, {
    id: current.id,
    level,
    priority: newPriority,
    riskScore: screening.riskScore,
    deadline: newDeadline,
  });
  await recordAudit(m, actor, {
    action: current.closed_at ? 'case.reopened' : 'case.updated',
    subjectType: 'case',
    subjectId: current.id,
    data: {
      declarationId: declaration.id,
      screeningId: screening.id,
      level,
      priority: PRIORITY_NAMES[newPriority],
      deadline: newDeadline.toISOString(),
    },
  });
  return { id: current.id, created: false, priority: newPriority, deadline: newDeadline };
}
