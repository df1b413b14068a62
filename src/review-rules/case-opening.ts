/**
 * The rules of opening a review case, shared by the two ways a screening is recorded: the one-statement writer of a
 * new declaration (src/declarations/declaration-writer.ts) and the re-screening of a stored one (openOrUpdateCase in
 * src/cases/case-opening.ts). Pure: each writer stores what these decide in its own statements.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/config';
import type { AuditRecord } from '../audit/audit.repository';
import { casePriority, PRIORITY_NAMES, slaDeadline, type CasePriority } from './priority';

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

/**
 * A new review case: its id, terms and `case.opened` audit record. Its deadline needs no job: the SLA sweep
 * (src/cases/sla.ts) finds the case once the deadline has passed.
 */
export interface CaseOpening extends CaseTerms {
  id: string;
  audit: AuditRecord;
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
  };
}
