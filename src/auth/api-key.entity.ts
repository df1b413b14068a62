import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../http/actor';

// The roles are declared with the HTTP layer, whose routes admit them; re-exported for the key management here.

/** Roles whose keys must name the person holding them: four-eyes compares persons, not keys. */
export const PERSONAL_ROLES: readonly Role[] = ['reviewer', 'supervisor', 'admin'];

@Entity({ name: 'api_keys' })
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  role!: Role;

  @Column({ type: 'text' })
  organization!: string;

  /** The person holding the key (a stable id such as an e-mail); required for reviewer, supervisor and admin keys. */
  @Column({ type: 'text', nullable: true })
  person!: string | null;

  /** After this instant the key answers 401. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  /** Kept coarsely (at most one write per key every few minutes), for spotting unused keys. */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  /** Made from BOOTSTRAP_ADMIN_KEY; once revoked it is never restored. */
  @Column({ type: 'boolean', default: false })
  bootstrap!: boolean;

  /** sha256 of the secret; the secret itself is never stored. */
  @Index({ unique: true })
  @Column({ name: 'secret_hash', type: 'text', select: false })
  secretHash!: string;

  /** The first characters of the secret, so a person can tell keys apart without seeing them. */
  @Column({ name: 'secret_prefix', type: 'text' })
  secretPrefix!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
