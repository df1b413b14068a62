import type { Role } from '../http/actor';
import {
  AwaitingApprovalError,
  CaseClosedError,
  CaseNotClaimedError,
  LeaseExpiredError,
  NotClaimantError,
  SupervisorRequiredError,
} from './cases.errors';
import type { DecisionAction } from './decisions.repository';

/** The workflow rules, pure: who may act on a case in which state, and which decisions need a second person. */

export interface CaseState {
  status: 'open' | 'held' | 'escalated' | 'awaiting_approval' | 'information_requested' | 'closed';
  assignee_key_id: string | null;
  /** Whether the assignee's lease is unexpired (by the database clock). */
  lease_active: boolean;
}

/**
 * Statuses a role's claim may take: escalated cases are for supervisors only; held ones wait in the queue. A case whose
 * request for information waits is in no queue.
 */
export function claimableStatuses(role: Role): readonly string[] {
  return role === 'supervisor' ? ['open', 'held', 'escalated'] : ['open', 'held'];
}

/** Throws unless the caller holds a live claim on an undecided case its role may decide. */
export function assertClaimant(c: CaseState, actor: { keyId: string; role: Role }): void {
  if (c.status === 'closed') throw new CaseClosedError();
  if (c.status === 'awaiting_approval') throw new AwaitingApprovalError();
  if (c.assignee_key_id === actor.keyId) {
    if (!c.lease_active) throw new LeaseExpiredError();
  } else if (c.assignee_key_id && c.lease_active) {
    throw new NotClaimantError();
  } else {
    throw new CaseNotClaimedError();
  }
  if (c.status === 'escalated' && actor.role !== 'supervisor') throw new SupervisorRequiredError();
}

/**
 * Four-eyes: every refusal, the release of a BLOCK-level case, and false-positive marks meant for every organisation
 * wait for a second person's approval.
 */
export function needsApproval(action: DecisionAction, level: 'REVIEW' | 'BLOCK', marksForAll = false): boolean {
  return action === 'refuse' || (action === 'release' && level === 'BLOCK') || marksForAll;
}

/** Whether two decision-makers are the same person: the same key, or keys naming the same person. */
export function samePerson(
  a: { keyId: string; person: string | null },
  b: { keyId: string; person: string | null },
): boolean {
  return a.keyId === b.keyId || (a.person !== null && a.person === b.person);
}
