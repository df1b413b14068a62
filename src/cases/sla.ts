import type { DataSource } from 'typeorm';
import { repeatSerially } from '../audit/audit-sealer';
import type { AuditRecord } from '../audit/audit.repository';
import { SYSTEM_ACTOR, recordAudit } from '../audit/audit.service';
import type { UnitOfWork } from '../db/unit-of-work';
import { PRIORITY_NAMES, type CasePriority } from '../review-rules/priority';
import { escalateDueCases, lockCaseForEscalation, markCaseOverdue } from './cases.repository';

/** Cases the SLA sweep escalates in one transaction; a sweep takes batches until one comes back short. */
export const SLA_SWEEP_BATCH = 500;

/** One step more urgent, never above critical (escalateDueCases raises priorities the same way, in SQL). */
export function raisedPriority(priority: CasePriority): CasePriority {
  return Math.max(1, priority - 1) as CasePriority;
}

export class NotDueYetError extends Error {
  constructor(caseId: string, deadline: string) {
    super(`case ${caseId} is not due before ${deadline}; retrying`);
    this.name = 'NotDueYetError';
  }
}

/** The `case.overdue` audit record of a case escalated at its deadline (by the sweep or by a cases.escalate job). */
function overdueAudit(c: {
  caseId: string;
  declarationId: string;
  deadline: string;
  previousPriority: CasePriority;
  priority: CasePriority;
}): AuditRecord {
  return {
    action: 'case.overdue',
    subjectType: 'case',
    subjectId: c.caseId,
    data: {
      declarationId: c.declarationId,
      deadline: c.deadline,
      previousPriority: PRIORITY_NAMES[c.previousPriority],
      priority: PRIORITY_NAMES[c.priority],
    },
  };
}

/**
 * The SLA sweep: every undecided case whose deadline has passed (not closed, not already overdue, its clock not paused
 * for a request for information) becomes overdue and one priority step more urgent, with its `case.overdue` audit
 * record. Batches of `batch` cases, one transaction each (the escalation and its audit records commit together), until
 * a batch comes back short. The due cases are taken `FOR UPDATE SKIP LOCKED`: sweeps running at once in several
 * processes, or a cases.escalate job of an older deployment on the same case, never escalate a case twice; a case
 * locked by a decision being taken is left to the next sweep. The deadline is the stored one, so a deadline moved by
 * an answered request for information or a re-screening is the one that counts. Straight on the DataSource: the sweep
 * writes no outbox row, so the job relay need not be woken after it. Answers how many cases it escalated.
 */
export async function sweepOverdueCases(dataSource: DataSource, batch = SLA_SWEEP_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const escalated = await dataSource.transaction(async (m) => {
      const rows = await escalateDueCases(m, batch);
      await recordAudit(
        m,
        SYSTEM_ACTOR,
        rows.map((r) =>
          overdueAudit({
            caseId: r.id,
            declarationId: r.declaration_id,
            deadline: r.deadline.toISOString(),
            previousPriority: r.previous_priority,
            priority: r.priority,
          }),
        ),
      );
      return rows.length;
    });
    total += escalated;
    if (escalated < batch) return total;
  }
}

/** Runs sweepOverdueCases every `intervalMs` until stopped; errors are logged and the next round runs as usual. */
export function startSlaSweep(
  dataSource: DataSource,
  intervalMs: number,
  onError: (err: unknown) => void,
): { stop(): Promise<void> } {
  return repeatSerially(() => sweepOverdueCases(dataSource), intervalMs, onError);
}

export type EscalationResult = 'escalated' | 'closed' | 'deadline_changed' | 'already_overdue' | 'paused' | 'missing';

/**
 * The cases.escalate job, kept for the jobs an older deployment queued (one per deadline, delayed to it): nothing
 * enqueues it any more, the SLA sweep (sweepOverdueCases) escalates cases instead. When the case is still undecided at
 * the deadline the job was scheduled for, it marks it overdue and raises its priority one step, as the sweep does. The
 * stored deadline and overdue flag make it idempotent: a repeated or outdated job, or one for a case the sweep already
 * escalated, changes nothing (the two serialise on the case row). A job that fires early (clock skew) throws so the
 * queue retries it.
 */
export async function escalateOverdue(uow: UnitOfWork, caseId: string, deadline: string): Promise<EscalationResult> {
  return uow.run(async (m) => {
    const c = await lockCaseForEscalation(m, caseId);
    if (!c) return 'missing';
    if (c.closed_at) return 'closed';
    // The clock stands while the broker is asked: the answer moves the deadline, and the sweep acts on the new one.
    if (c.paused) return 'paused';
    if (c.deadline.getTime() !== Date.parse(deadline)) return 'deadline_changed';
    if (c.overdue) return 'already_overdue';
    if (!c.due) throw new NotDueYetError(caseId, deadline);
    const priority = raisedPriority(c.priority);
    await markCaseOverdue(m, caseId, priority);
    await recordAudit(
      m,
      SYSTEM_ACTOR,
      overdueAudit({ caseId, declarationId: c.declaration_id, deadline, previousPriority: c.priority, priority }),
    );
    return 'escalated';
  });
}
