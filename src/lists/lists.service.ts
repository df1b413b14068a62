import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import type { AuditActor } from '../audit/audit-event.entity';
import { recordAudit } from '../audit/audit.service';
import type { UnitOfWork } from '../db/unit-of-work';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors';
import { enqueueInTransaction } from '../jobs/outbox';
import { ImportFormatError } from './list-entry';
import { ListVersion, ReferenceList, type ListKind } from './list.entity';
import { FORMATS, type ImportFormat, type ImportParts } from './importers';
import { writeEntries } from './entries.repository';
import { readRescreenRun, scheduleRescreen, type RescreenView } from '../rescreen/rescreen-runs';

export interface UploadedPart {
  name: string;
  content: Buffer;
}

export interface PartDigest {
  name: string;
  sha256: string;
  bytes: number;
}

export interface NewVersionInput {
  listId: string;
  format: ImportFormat;
  kind?: ListKind;
  name?: string;
  source: 'upload' | 'cli' | 'seed';
}

export interface VersionView {
  id: string;
  listId: string;
  status: string;
  format: string;
  sha256: string;
  entryCount: number | null;
  duplicateCount: number;
  error: string | null;
  source: string;
  importedBy: AuditActor;
  createdAt: string;
  activatedAt: string | null;
  supersededAt: string | null;
  /** Delta re-screening started by the activation (GET of one version only). */
  rescreen?: RescreenView | null;
}

export function versionView(v: ListVersion): VersionView {
  return {
    id: v.id, listId: v.listId, status: v.status, format: v.format, sha256: v.sha256, entryCount: v.entryCount,
    duplicateCount: v.duplicateCount, error: v.error, source: v.source, importedBy: v.importedBy,
    createdAt: v.createdAt.toISOString(), activatedAt: v.activatedAt?.toISOString() ?? null, supersededAt: v.supersededAt?.toISOString() ?? null,
  };
}

/** sha256 over the parts in name order: one part's digest is simply the file's sha256. */
export function digestParts(parts: { name: string; sha256: string }[]): string {
  if (parts.length === 1) return parts[0].sha256;
  const h = createHash('sha256');
  for (const p of [...parts].sort((a, b) => a.name.localeCompare(b.name))) h.update(`${p.name}:${p.sha256}\n`);
  return h.digest('hex');
}

export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

export class ListsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly logger: Logger,
    private readonly onActivated: () => void,
  ) {}

  /** Checks the format against the list kind and the parts present; throws a ValidationError naming the field. */
  validateUpload(input: NewVersionInput, partNames: string[], existing: ReferenceList | null): ListKind {
    const spec = FORMATS[input.format];
    const kind = existing?.kind ?? input.kind ?? spec.kind;
    const errors = [];
    if (spec.kind !== kind) errors.push({ path: 'format', message: `${input.format} is a ${spec.kind} format; list ${input.listId} holds ${kind}` });
    if (input.kind && input.kind !== kind) errors.push({ path: 'kind', message: `list ${input.listId} already exists with kind ${kind}` });
    for (const required of spec.requiredParts) if (!partNames.includes(required)) errors.push({ path: required, message: `file part '${required}' is required for ${input.format}` });
    for (const name of partNames) if (!spec.parts.includes(name)) errors.push({ path: name, message: `unexpected file part '${name}' for ${input.format} (expected ${spec.parts.join(', ')})` });
    if (errors.length) throw new ValidationError(errors);
    return kind;
  }

  /**
   * Stores an uploaded version and enqueues its import, in one transaction: the file, the version row (status
   * importing), the audit events and the outbox row exist together or not at all.
   */
  async createVersion(actor: AuditActor, input: NewVersionInput, parts: UploadedPart[]): Promise<VersionView> {
    const hashed = parts.map((p) => ({ ...p, sha256: sha256(p.content) }));
    const version = await this.uow.run(async (m) => {
      const v = await this.openVersion(m, actor, input, hashed.map((p) => ({ name: p.name, sha256: p.sha256, bytes: p.content.length })));
      for (const p of hashed) {
        await m.query(`INSERT INTO list_version_parts (version_id, part, content, sha256) VALUES ($1, $2, $3, $4)`, [v.id, p.name, p.content, p.sha256]);
      }
      await enqueueInTransaction(m, 'lists.import', { versionId: v.id }, { dedupeKey: `lists.import:${v.id}` });
      return v;
    });
    return versionView(version);
  }

  /**
   * Records a version whose files stay on the importer's disk (the CLI for files too big for HTTP); the caller then
   * runs importVersion with streams over those files. Nothing is enqueued.
   */
  async createLocalVersion(actor: AuditActor, input: NewVersionInput, parts: PartDigest[]): Promise<ListVersion> {
    return this.uow.run((m) => this.openVersion(m, actor, input, parts));
  }

  /** Creates the list when new, then a version in status importing, with their audit events. */
  private async openVersion(m: EntityManager, actor: AuditActor, input: NewVersionInput, parts: PartDigest[]): Promise<ListVersion> {
    let list = await m.findOne(ReferenceList, { where: { id: input.listId }, lock: { mode: 'pessimistic_write' } });
    const kind = this.validateUpload(input, parts.map((p) => p.name), list);
    if (!list) {
      list = m.create(ReferenceList, { id: input.listId, kind, name: input.name ?? input.listId, activeVersionId: null });
      await m.insert(ReferenceList, list);
      await recordAudit(m, actor, { action: 'list.created', subjectType: 'list', subjectId: list.id, data: { kind, name: list.name } });
    }
    const v = m.create(ListVersion, { listId: list.id, status: 'importing', format: input.format, sha256: digestParts(parts), source: input.source, importedBy: actor });
    await m.save(v);
    await recordAudit(m, actor, {
      action: 'list_version.uploaded', subjectType: 'list_version', subjectId: v.id,
      data: { listId: list.id, format: v.format, sha256: v.sha256, parts, source: v.source },
    });
    return v;
  }

  /** The job: parses the stored parts of a version and activates it. Idempotent: a finished version is left alone. */
  async importStoredVersion(versionId: string): Promise<void> {
    const version = await this.dataSource.getRepository(ListVersion).findOneBy({ id: versionId });
    if (!version || version.status !== 'importing') return;
    const rows: { part: string; content: Buffer }[] = await this.dataSource.query(
      `SELECT part, content FROM list_version_parts WHERE version_id = $1`, [versionId]);
    const parts: ImportParts = Object.fromEntries(rows.map((r) => [r.part, () => Readable.from([r.content])]));
    await this.importVersion(version, parts);
  }

  /** Parses parts into entries of the version (streaming, in batches), then activates it; a format error fails it. */
  async importVersion(version: ListVersion, parts: ImportParts): Promise<VersionView> {
    const list = await this.dataSource.getRepository(ReferenceList).findOneByOrFail({ id: version.listId });
    let counts: { entries: number; duplicates: number };
    try {
      counts = await writeEntries(this.dataSource, version.id, list.kind, version.format as ImportFormat, parts);
    } catch (err) {
      if (!(err instanceof ImportFormatError)) throw err;
      await this.fail(version, err.message);
      return versionView(await this.dataSource.getRepository(ListVersion).findOneByOrFail({ id: version.id }));
    }
    return this.activate(version.id, counts);
  }

  /** The import job failed on its last attempt (or gave up stalling): the version fails with the reason. Idempotent. */
  async failImport(versionId: string, message: string): Promise<void> {
    const version = await this.dataSource.getRepository(ListVersion).findOneBy({ id: versionId });
    if (!version || version.status !== 'importing') return;
    await this.fail(version, `import failed: ${message}`);
  }

  private async fail(version: ListVersion, message: string): Promise<void> {
    this.logger.warn({ versionId: version.id, error: message }, 'list version failed to import');
    await this.uow.run(async (m) => {
      await m.query(`DELETE FROM entity_entries WHERE version_id = $1`, [version.id]);
      await m.query(`DELETE FROM goods_entries WHERE version_id = $1`, [version.id]);
      await m.update(ListVersion, { id: version.id }, { status: 'failed', error: message, finishedAt: new Date() });
      await recordAudit(m, version.importedBy, {
        action: 'list_version.failed', subjectType: 'list_version', subjectId: version.id, data: { listId: version.listId, error: message },
      });
    });
  }

  /**
   * Atomic switch: the list points at the new version, the previous active one becomes superseded (still readable), and
   * the delta re-screening of open and recent declarations is scheduled with it.
   */
  async activate(versionId: string, counts: { entries: number; duplicates: number }): Promise<VersionView> {
    const result = await this.uow.run(async (m) => {
      const v = await m.findOneOrFail(ListVersion, { where: { id: versionId }, lock: { mode: 'pessimistic_write' } });
      if (v.status !== 'importing') throw new ConflictError('version_not_importing', `Version ${versionId} is ${v.status}.`);
      const list = await m.findOneOrFail(ReferenceList, { where: { id: v.listId }, lock: { mode: 'pessimistic_write' } });
      const previous = list.activeVersionId;
      const now = new Date();
      if (previous) await m.update(ListVersion, { id: previous }, { status: 'superseded', supersededAt: now });
      await m.update(ListVersion, { id: v.id }, { status: 'active', activatedAt: now, finishedAt: now, entryCount: counts.entries, duplicateCount: counts.duplicates });
      await m.update(ReferenceList, { id: list.id }, { activeVersionId: v.id });
      await recordAudit(m, v.importedBy, {
        action: 'list_version.activated', subjectType: 'list_version', subjectId: v.id,
        data: { listId: list.id, previousVersionId: previous, entryCount: counts.entries, duplicateCount: counts.duplicates, sha256: v.sha256 },
      });
      await scheduleRescreen(m, { versionId: v.id, listId: list.id, previousVersionId: previous });
      return m.findOneOrFail(ListVersion, { where: { id: v.id } });
    });
    this.onActivated();
    return versionView(result);
  }

  async listLists(): Promise<{ id: string; kind: ListKind; name: string; activeVersion: VersionView | null }[]> {
    const lists = await this.dataSource.getRepository(ReferenceList).find({ order: { id: 'ASC' } });
    const ids = lists.map((l) => l.activeVersionId).filter((x): x is string => Boolean(x));
    const versions = ids.length ? await this.dataSource.getRepository(ListVersion).createQueryBuilder('v').where('v.id IN (:...ids)', { ids }).getMany() : [];
    const byId = new Map(versions.map((v) => [v.id, v]));
    return lists.map((l) => ({ id: l.id, kind: l.kind, name: l.name, activeVersion: l.activeVersionId ? versionView(byId.get(l.activeVersionId)!) : null }));
  }

  async listVersions(listId: string): Promise<VersionView[]> {
    const list = await this.dataSource.getRepository(ReferenceList).findOneBy({ id: listId });
    if (!list) throw new NotFoundError('List');
    const versions = await this.dataSource.getRepository(ListVersion).find({ where: { listId }, order: { createdAt: 'DESC' }, take: 100 });
    return versions.map(versionView);
  }

  async getVersion(listId: string, versionId: string): Promise<VersionView> {
    const v = await this.dataSource.getRepository(ListVersion).findOneBy({ id: versionId, listId });
    if (!v) throw new NotFoundError('List version');
    return { ...versionView(v), rescreen: await readRescreenRun(this.dataSource, v.id) };
  }

  async findList(listId: string): Promise<ReferenceList | null> {
    return this.dataSource.getRepository(ReferenceList).findOneBy({ id: listId });
  }
}
