import type { AuditActor } from '../audit/audit-actor';
import type { Actor } from '../http/actor';

// The Actor type is the HTTP layer's (routes hand it to handlers); the rules about actors are here.

export function auditActor(actor: Actor): AuditActor {
  return {
    keyId: actor.keyId,
    role: actor.role,
    organization: actor.organization,
    ...(actor.person ? { person: actor.person } : {}),
  };
}

/** Customs-authority roles see every organisation's data; brokers see only their own. */
export function seesAllOrganizations(actor: Actor): boolean {
  return actor.role !== 'broker';
}

/** Who a person is for four-eyes: the person named on the key, or the key itself when it names none. */
export function personOf(actor: { keyId: string; person: string | null }): string {
  return actor.person ?? `key:${actor.keyId}`;
}
