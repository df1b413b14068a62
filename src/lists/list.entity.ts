import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor';
import type { ListKind } from '../domain/list-entry';

export type VersionStatus = 'importing' | 'held' | 'active' | 'failed' | 'superseded';

@Entity({ name: 'lists' })
export class ReferenceList {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  kind!: ListKind;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'active_version_id', type: 'uuid', nullable: true })
  activeVersionId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

@Entity({ name: 'list_versions' })
export class ListVersion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'list_id', type: 'text' })
  listId!: string;

  @Column({ type: 'text' })
  status!: VersionStatus;

  @Column({ type: 'text' })
  format!: string;

  @Column({ type: 'text' })
  sha256!: string;

  @Column({ name: 'entry_count', type: 'int', nullable: true })
  entryCount!: number | null;

  @Column({ name: 'duplicate_count', type: 'int', default: 0 })
  duplicateCount!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** upload (HTTP), cli, seed, or fetch (from the list's source). */
  @Column({ type: 'text', default: 'upload' })
  source!: string;

  @Column({ name: 'imported_by', type: 'jsonb' })
  importedBy!: AuditActor;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;

  @Column({ name: 'superseded_at', type: 'timestamptz', nullable: true })
  supersededAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
