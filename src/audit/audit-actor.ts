/** Who did something, as the audit log records it. */
export interface AuditActor {
  keyId: string | null;
  role: string;
  organization: string | null;
  /** The person holding the key (absent for the service itself and for keys made without one). */
  person?: string;
}
