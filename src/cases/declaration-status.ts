import type { EntityManager } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor';
import { recordAudit } from '../audit/audit.service';
import { lockDeclarationStatus, updateDeclarationStatus } from '../declarations/case-decisions.repository';

/** Moves the declaration to the status a decision (or a broker's answer) gives it, with its audit event. */
export async function setDeclarationStatus(
  m: EntityManager,
  who: AuditActor,
  declarationId: string,
  to: 'held' | 'released' | 'refused' | 'information_requested' | 'under_review',
  context: { caseId: string } & Record<string, string>,
): Promise<void> {
  const from = await lockDeclarationStatus(m, declarationId);
  if (from === to) return;
  await updateDeclarationStatus(m, declarationId, to);
  await recordAudit(m, who, {
    action: 'declaration.status_changed',
    subjectType: 'declaration',
    subjectId: declarationId,
    data: { from, to, ...context },
  });
}
