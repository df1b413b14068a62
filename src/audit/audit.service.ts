import type { EntityManager } from 'typeorm';
import type { AuditActor } from './audit-event.entity';

export interface AuditRecord {
  action: string;
  subjectType: string;
  subjectId: string;
  data?: Record<string, unknown>;
}

/** The actor for changes the service makes on its own (seeding, background jobs). */
export const SYSTEM_ACTOR: AuditActor = Object.freeze({ keyId: null, role: 'system', organization: null });

/**
 * Appends audit events inside the caller's transaction, so an event exists exactly when its change does.
 * The insert takes no lock: sequence and hash are assigned later by the sealer (see audit-sealer.ts).
 */
export async function recordAudit(manager: EntityManager, actor: AuditActor, events: AuditRecord | AuditRecord[]): Promise<void> {
  const list = Array.isArray(events) ? events : [events];
  if (list.length === 0) return;
  const actorJson = JSON.stringify(actor);
  await manager.query(
    `INSERT INTO audit_events (actor, action, subject_type, subject_id, data)
     SELECT $1::jsonb, a, t, s, d FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[]) AS x(a, t, s, d)`,
    [
      actorJson,
      list.map((e) => e.action),
      list.map((e) => e.subjectType),
      list.map((e) => e.subjectId),
      list.map((e) => JSON.stringify(e.data ?? {})),
    ],
  );
}
