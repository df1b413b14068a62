import type { AuditActor } from '../audit/audit-event.entity';
import type { Role } from './api-key.entity';

/** The authenticated caller of a request. */
export interface Actor {
  keyId: string;
  name: string;
  role: Role;
  organization: string;
  /** The person holding the key; null only for broker and auditor keys made without one. */
  person: string | null;
  /** Epoch milliseconds after which the key is refused (a cached actor is checked against it too). */
  expiresAtMs: number | null;
}

export function auditActor(actor: Actor): AuditActor {
  return { keyId: actor.keyId, role: actor.role, organization: actor.organization, ...(actor.person ? { person: actor.person } : {}) };
}

/** Customs-authority roles see every organisation's data; brokers see only their own. */
export function seesAllOrganizations(actor: Actor): boolean {
  return actor.role !== 'broker';
}

/** Who a person is for four-eyes: the person named on the key, or the key itself when it names none. */
export function personOf(actor: { keyId: string; person: string | null }): string {
  return actor.person ?? `key:${actor.keyId}`;
}
