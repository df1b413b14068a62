import type { EntityManager } from 'typeorm';
import { SYSTEM_ACTOR, recordAudit } from '../audit/audit.service';
import type { UnitOfWork } from '../db/unit-of-work';
import { enqueueInTransaction } from '../jobs/outbox';
import { escalationJob, type EscalationJob } from '../review-rules/case-opening';
import { PRIORITY_NAMES, type CasePriority } from '../review-rules/priority';
import { lockCaseForEscalation, markCaseOverdue } from './cases.repository';

/**
 * Schedules the SLA escalation of a case for its deadline, in the caller's transaction. The dedupe key holds the case
 * and the deadline, so scheduling the same deadline twice is one job; a new deadline is a new job, and the job of the
 * old one finds the deadline changed and does nothing.
 */
export async function scheduleEscalation(m: EntityManager, caseId: string, deadline: Date): Promise<void> {
  await enqueueEscalation(m, escalationJob(caseId, deadline));
}

/** Writes an escalation job built by escalationJob (review-rules) into the outbox, in the caller's transaction. */
export async function enqueueEscalation(m: EntityManager, job: EscalationJob): Promise<void> {
  await enqueueInTransaction(m, job.name, job.payload, { dedupeKey: job.dedupeKey, delayMs: job.delayMs });
}

/** One step more urgent, never above critical. */
export function raisedPriority(priority: CasePriority): CasePriority {
  return Math.max(1, priority - 1) as CasePriority;
}

export class NotDueYetError extends Error {
  constructor(caseId: string, deadline: string) {
    super(`case ${caseId} is not due before ${deadline}; retrying`);
    this.name = 'NotDueYetError';
  }
}

export type EscalationResult = 'escalated' | 'closed' | 'deadline_changed' | 'already_overdue' | 'paused' | 'missing';

/**
 * The cases.escalate job: when the case is still undecided at the deadline the job was scheduled for, mark it overdue
 * and raise its priority one step. The stored deadline and overdue flag make it idempotent: a repeated or outdated
 * job changes nothing. A job that fires early (clock skew) throws so the queue retries it.
 */
export async function escalateOverdue(uow: UnitOfWork, caseId: string, deadline: string): Promise<EscalationResult> {
  return uow.run(async (m) => {
    const c = await lockCaseForEscalation(m, caseId);
    if (!c) return 'missing';
    if (c.closed_at) return 'closed';
    // The clock stands while the broker is asked: the answer moves the deadline and schedules a job for the new one.
    if (c.paused) return 'paused';
    if (c.deadline.getTime() !== Date.parse(deadline)) return 'deadline_changed';
    if (c.overdue) return 'already_overdue';
    if (!c.due) throw new NotDueYetError(caseId, deadline);
    const priority = raisedPriority(c.priority);
    await markCaseOverdue(m, caseId, priority);
    await recordAudit(m, SYSTEM_ACTOR, {
      action: 'case.overdue',
      subjectType: 'case',
      subjectId: caseId,
      data: {
        declarationId: c.declaration_id,
        deadline,
        previousPriority: PRIORITY_NAMES[c.priority],
        priority: PRIORITY_NAMES[priority],
      },
    });
    return 'escalated';
  });
}
