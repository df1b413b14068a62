/**
 * Who calls the API, as the HTTP layer sees it: routes declare the roles they admit and handlers receive the actor.
 * Declared here, below the auth feature (which authenticates keys into actors), so that http imports no feature.
 */

export const ROLES = ['broker', 'reviewer', 'supervisor', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

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
