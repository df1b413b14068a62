import type { EntityManager } from 'typeorm';
import type { AuditActor } from './audit-actor';
import { insertAuditEvents, type AuditRecord } from './audit.repository';

/** The actor for changes the service makes on its own (seeding, background jobs). */
export const SYSTEM_ACTOR: AuditActor = Object.freeze({ keyId: null, role: 'system', organization: null });

/**
 * Appends audit events inside the caller's transaction, so an event exists exactly when its change does.
 * The insert takes no lock: sequence and hash are assigned later by the sealer (see audit-sealer.ts).
 */
export async function recordAudit(
  manager: EntityManager,
  actor: AuditActor,
  events: AuditRecord | AuditRecord[],
): Promise<void> {
  const list = Array.isArray(events) ? events : [events];
  if (list.length === 0) return;
  await insertAuditEvents(manager, actor, list);
}
