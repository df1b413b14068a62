import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type OutboxStatus = 'pending' | 'relayed' | 'done' | 'failed';

/** Work to run after a business transaction commits; written in that transaction, relayed or run afterwards. */
@Entity({ name: 'outbox' })
export class OutboxJob {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'job_name', type: 'text' })
  jobName!: string;

  @Column({ type: 'jsonb' })
  payload!: unknown;

  /** The BullMQ job id: a random uuid given when the relay first sends the row (NULL before; `o<id>` for rows relayed before it existed). */
  @Column({ name: 'job_id', type: 'uuid', nullable: true })
  jobId!: string | null;

  @Column({ name: 'dedupe_key', type: 'text', nullable: true, unique: true })
  dedupeKey!: string | null;

  @Column({ type: 'text' })
  status!: OutboxStatus;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ name: 'available_at', type: 'timestamptz' })
  availableAt!: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
