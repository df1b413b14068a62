import type { AuditActor } from '../audit/audit-event.entity';
import type { Role } from './api-key.entity';

/** The authenticated caller of a request. */
export interface Actor {
  keyId: string;
  name: string;
  role: Role;
  organization: string;
}

export function auditActor(actor: Actor): AuditActor {
  return { keyId: actor.keyId, role: actor.role, organization: actor.organization };
}

/** Customs-authority roles see every organisation's data; brokers see only their own. */
export function seesAllOrganizations(actor: Actor): boolean {
  return actor.role !== 'broker';
}
