import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import type { AuditActor } from '../audit/audit-actor';
import { recordAudit } from '../audit/audit.service';
import type { UnitOfWork } from '../db/unit-of-work';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors';
import { decodeCursor, page } from '../http/pagination';
import { enqueueInTransaction } from '../jobs/outbox';
import { ImportFormatError, type ListKind } from '../domain/list-entry';
import { ListVersion, ReferenceList, type VersionStatus } from './list.entity';
import { FORMATS, type ImportFormat, type ImportParts } from './importers';
import { deleteEntries, writeEntries } from './entries.repository';
import { deleteLinks, writeLinks } from './links.repository';
import { insertVersionPart, readVersionParts } from './versions.repository';
import { defaultAgainst, diffVersions, type VersionDiff } from './version-diff';
import { heldReason, shrinkVerdict } from './shrink-guard';
import type { RescreenView } from './lists.schemas';
import type { RescreenHook } from './rescreen-hook';

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
  source: 'upload' | 'cli' | 'seed' | 'fetch';
}

export interface VersionView {
  id: string;
  listId: string;
  status: VersionStatus;
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

/** created_at carries microseconds, a cursor milliseconds: page on the truncated value so no row falls between pages. */
const CREATED_MS = `date_trunc('milliseconds', v.created_at)`;

export function versionView(v: ListVersion): VersionView {
  return {
    id: v.id,
    listId: v.listId,
    status: v.status,
    format: v.format,
    sha256: v.sha256,
    entryCount: v.entryCount,
    duplicateCount: v.duplicateCount,
    error: v.error,
    source: v.source,
    importedBy: v.importedBy,
    createdAt: v.createdAt.toISOString(),
    activatedAt: v.activatedAt?.toISOString() ?? null,
    supersededAt: v.supersededAt?.toISOString() ?? null,
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
    /** The delta re-screening an activation schedules (src/rescreen, wired at composition). */
    private readonly rescreen: RescreenHook,
    /** LIST_SHRINK_GUARD_PERCENT: a version removing more of the active version's entries is held, not activated. */
    private readonly shrinkGuardPercent = 100,
  ) {}

  /** Checks the format against the list kind and the parts present; throws a ValidationError naming the field. */
  validateUpload(input: NewVersionInput, partNames: string[], existing: ReferenceList | null): ListKind {
    const spec = FORMATS[input.format];
    const kind = existing?.kind ?? input.kind ?? spec.kind;
    const errors = [];
    if (spec.kind !== kind)
      errors.push({
        path: 'format',
        message: `${input.format} is a ${spec.kind} format; list ${input.listId} holds ${kind}`,
      });
    if (input.kind && input.kind !== kind)
      errors.push({ path: 'kind', message: `list ${input.listId} already exists with kind ${kind}` });
    for (const required of spec.requiredParts)
      if (!partNames.includes(required))
        errors.push({ path: required, message: `file part '${required}' is required for ${input.format}` });
    for (const name of partNames)
      if (!spec.parts.includes(name))
        errors.push({
          path: name,
          message: `unexpected file part '${name}' for ${input.format} (expected ${spec.parts.join(', ')})`,
        });
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
      const v = await this.openVersion(
        m,
        actor,
        input,
        hashed.map((p) => ({ name: p.name, sha256: p.sha256, bytes: p.content.length })),
      );
      for (const p of hashed) {
        await insertVersionPart(m, v.id, p);
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

  /**
   * Locks the list (creating it, audited, when new) after checking the format and part names against it: uploads and
   * list sources (which name the parts they will fetch) share these rules.
   */
  async ensureList(
    m: EntityManager,
    actor: AuditActor,
    input: Omit<NewVersionInput, 'source'>,
    partNames: string[],
  ): Promise<ReferenceList> {
    let list = await m.findOne(ReferenceList, { where: { id: input.listId }, lock: { mode: 'pessimistic_write' } });
    const kind = this.validateUpload({ ...input, source: 'upload' }, partNames, list);
    if (!list) {
      list = m.create(ReferenceList, {
        id: input.listId,
        kind,
        name: input.name ?? input.listId,
        activeVersionId: null,
      });
      await m.insert(ReferenceList, list);
      await recordAudit(m, actor, {
        action: 'list.created',
        subjectType: 'list',
        subjectId: list.id,
        data: { kind, name: list.name },
      });
    }
    return list;
  }

  /** Creates the list when new, then a version in status importing, with their audit events. */
  private async openVersion(
    m: EntityManager,
    actor: AuditActor,
    input: NewVersionInput,
    parts: PartDigest[],
  ): Promise<ListVersion> {
    const list = await this.ensureList(
      m,
      actor,
      input,
      parts.map((p) => p.name),
    );
    const v = m.create(ListVersion, {
      listId: list.id,
      status: 'importing',
      format: input.format,
      sha256: digestParts(parts),
      source: input.source,
      importedBy: actor,
    });
    await m.save(v);
    await recordAudit(m, actor, {
      action: 'list_version.uploaded',
      subjectType: 'list_version',
      subjectId: v.id,
      data: { listId: list.id, format: v.format, sha256: v.sha256, parts, source: v.source },
    });
    return v;
  }

  /** The job: parses the stored parts of a version and activates it. Idempotent: a finished version is left alone. */
  async importStoredVersion(versionId: string): Promise<void> {
    const version = await this.dataSource.getRepository(ListVersion).findOneBy({ id: versionId });
    if (!version || version.status !== 'importing') return;
    const rows = await readVersionParts(this.dataSource, versionId);
    const parts: ImportParts = Object.fromEntries(rows.map((r) => [r.part, () => Readable.from([r.content])]));
    await this.importVersion(version, parts);
  }

  /**
   * Parses parts into entries of the version (streaming, in batches), then activates it, or holds it when it would
   * remove too much of the active version (the shrink guard); a format error fails it.
   */
  async importVersion(version: ListVersion, parts: ImportParts): Promise<VersionView> {
    const list = await this.dataSource.getRepository(ReferenceList).findOneByOrFail({ id: version.listId });
    let counts: { entries: number; duplicates: number };
    try {
      counts = await writeEntries(this.dataSource, version.id, list.kind, version.format as ImportFormat, parts);
      // The ownership and control graph, a second pass over the same parts (nothing for formats without links).
      if (list.kind === 'entities')
        await writeLinks(this.dataSource, version.id, version.format as ImportFormat, parts);
    } catch (err) {
      if (!(err instanceof ImportFormatError)) throw err;
      await this.fail(version, err.message);
      return versionView(await this.dataSource.getRepository(ListVersion).findOneByOrFail({ id: version.id }));
    }
    if (await this.holdIfShrinking(version, list.kind, counts)) {
      return versionView(await this.dataSource.getRepository(ListVersion).findOneByOrFail({ id: version.id }));
    }
    return this.activate(version.id, counts);
  }

  /** Holds the version (status held, the reason in `error`, audited) when the shrink guard says so; true if held. */
  private async holdIfShrinking(
    version: ListVersion,
    kind: ListKind,
    counts: { entries: number; duplicates: number },
  ): Promise<boolean> {
    return this.uow.run(async (m) => {
      const list = await m.findOneOrFail(ReferenceList, {
        where: { id: version.listId },
        lock: { mode: 'pessimistic_write' },
      });
      const verdict = await shrinkVerdict(m, kind, list.activeVersionId, version.id, this.shrinkGuardPercent);
      if (!verdict) return false;
      const reason = heldReason(verdict);
      this.logger.warn({ versionId: version.id, listId: list.id, ...verdict }, 'list version held by the shrink guard');
      const now = new Date();
      const res = await m.update(
        ListVersion,
        { id: version.id, status: 'importing' },
        {
          status: 'held',
          error: reason,
          finishedAt: now,
          entryCount: counts.entries,
          duplicateCount: counts.duplicates,
        },
      );
      if (!res.affected) return true; // another attempt of the same job settled it
      await recordAudit(m, version.importedBy, {
        action: 'list_version.held',
        subjectType: 'list_version',
        subjectId: version.id,
        data: { listId: list.id, reason, ...verdict, entryCount: counts.entries, sha256: version.sha256 },
      });
      return true;
    });
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
      await deleteEntries(m, version.id);
      await deleteLinks(m, version.id);
      await m.update(ListVersion, { id: version.id }, { status: 'failed', error: message, finishedAt: new Date() });
      await recordAudit(m, version.importedBy, {
        action: 'list_version.failed',
        subjectType: 'list_version',
        subjectId: version.id,
        data: { listId: version.listId, error: message },
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
      if (v.status !== 'importing')
        throw new ConflictError('version_not_importing', `Version ${versionId} is ${v.status}.`);
      await m.update(
        ListVersion,
        { id: v.id },
        { finishedAt: new Date(), entryCount: counts.entries, duplicateCount: counts.duplicates },
      );
      return this.switchActive(m, v, v.importedBy, { entryCount: counts.entries, duplicateCount: counts.duplicates });
    });
    this.onActivated();
    return versionView(result);
  }

  /**
   * An admin activates a version by hand: a `held` one (the shrink guard kept it back) or an older `superseded` one
   * (rollback). The same switch as an import's activation, audited with who and why it was not automatic.
   */
  async activateVersion(actor: AuditActor, listId: string, versionId: string): Promise<VersionView> {
    const result = await this.uow.run(async (m) => {
      const v = await m.findOne(ListVersion, { where: { id: versionId, listId }, lock: { mode: 'pessimistic_write' } });
      if (!v) throw new NotFoundError('List version');
      if (v.status === 'active')
        throw new ConflictError(
          'version_already_active',
          `Version ${versionId} is already the active version of ${listId}.`,
        );
      if (v.status === 'importing')
        throw new ConflictError(
          'version_importing',
          `Version ${versionId} is still importing; it activates by itself when valid.`,
        );
      if (v.status === 'failed')
        throw new ConflictError(
          'version_failed',
          `Version ${versionId} failed to import (${v.error ?? 'no entries'}); upload a corrected file instead.`,
        );
      return this.switchActive(m, v, actor, {
        rollback: v.status === 'superseded',
        held: v.status === 'held',
        entryCount: v.entryCount,
      });
    });
    this.onActivated();
    return versionView(result);
  }

  /** The one way a version goes live, inside the caller's transaction (the version row is locked by the caller). */
  private async switchActive(
    m: EntityManager,
    v: ListVersion,
    actor: AuditActor,
    data: Record<string, unknown>,
  ): Promise<ListVersion> {
    const list = await m.findOneOrFail(ReferenceList, { where: { id: v.listId }, lock: { mode: 'pessimistic_write' } });
    const previous = list.activeVersionId;
    const now = new Date();
    if (previous) await m.update(ListVersion, { id: previous }, { status: 'superseded', supersededAt: now });
    await m.update(ListVersion, { id: v.id }, { status: 'active', activatedAt: now, supersededAt: null });
    await m.update(ReferenceList, { id: list.id }, { activeVersionId: v.id });
    await recordAudit(m, actor, {
      action: 'list_version.activated',
      subjectType: 'list_version',
      subjectId: v.id,
      data: { listId: list.id, previousVersionId: previous, ...data, sha256: v.sha256 },
    });
    await this.rescreen.schedule(m, { versionId: v.id, listId: list.id, previousVersionId: previous });
    return m.findOneOrFail(ListVersion, { where: { id: v.id } });
  }

  async listLists(): Promise<{ id: string; kind: ListKind; name: string; activeVersion: VersionView | null }[]> {
    const lists = await this.dataSource.getRepository(ReferenceList).find({ order: { id: 'ASC' } });
    const ids = lists.map((l) => l.activeVersionId).filter((x): x is string => Boolean(x));
    const versions = ids.length
      ? await this.dataSource
          .getRepository(ListVersion)
          .createQueryBuilder('v')
          .where('v.id IN (:...ids)', { ids })
          .getMany()
      : [];
    const byId = new Map(versions.map((v) => [v.id, v]));
    return lists.map((l) => ({
      id: l.id,
      kind: l.kind,
      name: l.name,
      activeVersion: l.activeVersionId ? versionView(byId.get(l.activeVersionId)!) : null,
    }));
  }

  /** The versions of a list, newest first, keyset-paged over (created_at, id). */
  async listVersions(
    listId: string,
    q: { limit: number; cursor?: string },
  ): Promise<{ items: VersionView[]; nextCursor: string | null }> {
    const list = await this.dataSource.getRepository(ReferenceList).findOneBy({ id: listId });
    if (!list) throw new NotFoundError('List');
    const after = decodeCursor(q.cursor);
    const qb = this.dataSource
      .getRepository(ListVersion)
      .createQueryBuilder('v')
      .where('v.list_id = :listId', { listId })
      .orderBy(CREATED_MS, 'DESC')
      .addOrderBy('v.id', 'DESC')
      .limit(q.limit + 1);
    if (after) qb.andWhere(`(${CREATED_MS}, v.id) < (:at, :id)`, { at: after.at, id: after.id });
    const result = page(await qb.getMany(), q.limit, (v) => [v.createdAt, v.id]);
    return { items: result.items.map(versionView), nextCursor: result.nextCursor };
  }

  async getVersion(listId: string, versionId: string): Promise<VersionView> {
    const v = await this.dataSource.getRepository(ListVersion).findOneBy({ id: versionId, listId });
    if (!v) throw new NotFoundError('List version');
    return { ...versionView(v), rescreen: await this.rescreen.read(this.dataSource, v.id) };
  }

  /** What a version adds, removes and changes relative to another (by default the version it replaced). */
  async diff(
    listId: string,
    versionId: string,
    q: { against?: string; limit: number; cursor?: string },
  ): Promise<VersionDiff> {
    const list = await this.dataSource.getRepository(ReferenceList).findOneBy({ id: listId });
    if (!list) throw new NotFoundError('List');
    const versions = this.dataSource.getRepository(ListVersion);
    const version = await versions.findOneBy({ id: versionId, listId });
    if (!version) throw new NotFoundError('List version');
    const againstId = q.against ?? (await defaultAgainst(this.dataSource, this.rescreen, list, version));
    const against = againstId ? await versions.findOneBy({ id: againstId, listId }) : null;
    if (againstId && !against) throw new NotFoundError('Version to compare against');
    return diffVersions(this.dataSource, list, version, against, q);
  }

  async findList(listId: string): Promise<ReferenceList | null> {
    return this.dataSource.getRepository(ReferenceList).findOneBy({ id: listId });
  }
}
