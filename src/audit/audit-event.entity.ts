import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export interface AuditActor {
  keyId: string | null;
  role: string;
  organization: string | null;
  /** The person holding the key (absent for the service itself and for keys made without one). */
  person?: string;
}

/**
 * One row of the append-only audit log. `id` orders inserts; `seq`, `prevHash` and `hash` are written once by the
 * sealer, which chains committed events in order. The database refuses any other UPDATE, DELETE and TRUNCATE.
 */
@Entity({ name: 'audit_events' })
export class AuditEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'bigint', nullable: true, unique: true })
  seq!: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'jsonb' })
  actor!: AuditActor;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'subject_type', type: 'text' })
  subjectType!: string;

  @Column({ name: 'subject_id', type: 'text' })
  subjectId!: string;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Column({ name: 'prev_hash', type: 'text', nullable: true })
  prevHash!: string | null;

  @Column({ type: 'text', nullable: true })
  hash!: string | null;
}
