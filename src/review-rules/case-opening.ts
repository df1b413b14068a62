/**
 * The rules of opening a review case, shared by the two ways a screening is recorded: the one-statement writer of a
 * new declaration (src/declarations/declaration-writer.ts) and the re-screening of a stored one (openOrUpdateCase in
 * src/cases/case-opening.ts). Pure: each writer stores what these decide in its own statements.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/config';
import type { AuditRecord } from '../audit/audit.repository';
import { casePriority, PRIORITY_NAMES, slaDeadline, type CasePriority } from './priority';

/** The outbox row of a case's SLA escalation. */
export interface EscalationJob {
  name: 'cases.escalate';
  payload: { caseId: string; deadline: string };
  dedupeKey: string;
  delayMs: number;
}

/**
 * The outbox row of a case's SLA escalation. The dedupe key holds the case and the deadline, so scheduling the same
 * deadline twice is one job; a new deadline is a new job, and the job of the old one finds the deadline changed and
 * does nothing.
 */
export function escalationJob(caseId: string, deadline: Date): EscalationJob {
  const at = deadline.toISOString();
  return {
    name: 'cases.escalate',
    payload: { caseId, deadline: at },
    dedupeKey: `cases.escalate:${caseId}:${at}`,
    delayMs: Math.max(0, deadline.getTime() - Date.now()),
  };
}

/** A screening that needs a person. */
export interface ScreeningForCase {
  id: string;
  outcome: 'REVIEW' | 'BLOCK';
  riskScore: number;
}

export interface CaseTerms {
  priority: CasePriority;
  deadline: Date;
}

/** The priority a screening gives its case, and the SLA deadline of that priority counted from now. */
export function caseTerms(config: Config, screening: Pick<ScreeningForCase, 'outcome' | 'riskScore'>): CaseTerms {
  const priority = casePriority(screening.outcome, screening.riskScore);
  return { priority, deadline: slaDeadline(config, priority) };
}

/** A new review case: its id, terms, `case.opened` audit record and SLA escalation job. */
export interface CaseOpening extends CaseTerms {
  id: string;
  audit: AuditRecord;
  escalation: EscalationJob;
}

/** Opens a new review case of a declaration for a screening that needs a person, on the given terms. */
export function caseOpening(declarationId: string, screening: ScreeningForCase, terms: CaseTerms): CaseOpening {
  const id = randomUUID();
  const { priority, deadline } = terms;
  return {
    id,
    priority,
    deadline,
    audit: {
      action: 'case.opened',
      subjectType: 'case',
      subjectId: id,
      data: {
        declarationId,
        screeningId: screening.id,
        level: screening.outcome,
        priority: PRIORITY_NAMES[priority],
        deadline: deadline.toISOString(),
      },
    },
    escalation: escalationJob(id, deadline),
  };
}
