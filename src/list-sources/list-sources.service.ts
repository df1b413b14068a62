import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { AuditActor } from '../audit/audit-actor';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.service';
import type { UnitOfWork } from '../db/unit-of-work';
import { NotFoundError, ValidationError } from '../http/errors';
import { enqueueInTransaction } from '../jobs/outbox';
import type { ImportFormat } from '../lists/importers';
import { digestParts, sha256, type ListsService } from '../lists/lists.service';
import { fetchParts, SourceFetchError, type FetchLimits, type PartResult } from './fetcher';
import {
  allSources,
  claimDueSources,
  findSource,
  insertSourceIfAbsent,
  leaseSource,
  recordCheck,
  releaseSource,
  upsertSource,
  versionWithDigest,
  type CheckResult,
  type SourceRow,
  type Validators,
} from './list-sources.repository';
import type { SourceBody, SourceStatus, SourceView } from './list-sources.schemas';
import type { DefaultSource } from './defaults';

export function sourceStatus(row: Pick<SourceRow, 'status' | 'lastVersionStatus'>): SourceStatus {
  // A reachable source whose last new file did not import is failed: the active version stays, and someone must look.
  if (row.status === 'ok' && row.lastVersionStatus === 'failed') return 'failed';
  return row.status;
}

export function sourceView(row: SourceRow): SourceView {
  const parts = Object.keys(row.urls);
  const error = row.status === 'stale' ? row.lastError : sourceStatus(row) === 'failed' ? row.lastVersionError : null;
  return {
    listId: row.listId,
    format: row.format,
    ...(parts.length === 1 && parts[0] === 'file' ? { url: row.urls.file } : {}),
    urls: row.urls,
    refreshMinutes: row.refreshMinutes,
    enabled: row.enabled,
    origin: row.origin,
    status: sourceStatus(row),
    lastCheckedAt: row.lastCheckedAt?.toISOString() ?? null,
    lastChangedAt: row.lastChangedAt?.toISOString() ?? null,
    ...(error ? { lastError: error } : {}),
    lastOutcome: row.lastOutcome,
    lastVersionId: row.lastVersionId,
    lastVersionStatus: row.lastVersionStatus,
    nextCheckAt: row.nextCheckAt.toISOString(),
  };
}

/** The upload rules name parts as fields; in a source they are keys of urls (or url itself for one file). */
function sourceFieldPath(path: string): string {
  if (path === 'format' || path === 'kind') return `body.${path}`;
  return path === 'file' ? 'body.url' : `body.urls.${path}`;
}

export interface SourcesOptions extends FetchLimits {
  /** LIST_SOURCES=on: the shipped defaults are installed and fetched. */
  shippedSources: boolean;
}

/** The outcome of one fetch job, for logs and metrics. */
export type FetchReport = CheckResult & { listId: string };

export class ListSourcesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly lists: ListsService,
    private readonly logger: Logger,
    private readonly options: SourcesOptions,
  ) {}

  /** PUT: creates the list when new (kind), stores the source, and fetches it at once (enabled). Audited. */
  async put(actor: AuditActor, listId: string, body: SourceBody): Promise<SourceView> {
    const urls = body.urls ?? { file: body.url! };
    await this.uow.run(async (m) => {
      try {
        await this.lists.ensureList(
          m,
          actor,
          { listId, format: body.format, kind: body.kind, name: body.name },
          Object.keys(urls),
        );
      } catch (err) {
        if (err instanceof ValidationError)
          throw new ValidationError(err.errors.map((e) => ({ ...e, path: sourceFieldPath(e.path) })));
        throw err;
      }
      const settings = {
        listId,
        format: body.format,
        urls,
        refreshMinutes: body.refreshMinutes,
        enabled: body.enabled,
        origin: 'admin' as const,
      };
      const { created } = await upsertSource(m, settings);
      await recordAudit(m, actor, {
        action: created ? 'list_source.created' : 'list_source.updated',
        subjectType: 'list',
        subjectId: listId,
        data: { format: body.format, urls, refreshMinutes: body.refreshMinutes, enabled: body.enabled },
      });
      if (body.enabled) await enqueueInTransaction(m, 'lists.fetch', { listId });
    });
    return this.get(listId);
  }

  async get(listId: string): Promise<SourceView> {
    const row = await findSource(this.dataSource, listId);
    if (!row) throw new NotFoundError('List source');
    return sourceView(row);
  }

  async all(): Promise<SourceView[]> {
    return (await allSources(this.dataSource)).map(sourceView);
  }

  /** POST refresh: a fetch job now, whatever the schedule (a disabled source too: an admin asked). Audited. */
  async refresh(actor: AuditActor, listId: string): Promise<SourceView> {
    await this.uow.run(async (m) => {
      const row = await findSource(m, listId);
      if (!row) throw new NotFoundError('List source');
      await recordAudit(m, actor, {
        action: 'list_source.refresh_requested',
        subjectType: 'list',
        subjectId: listId,
        data: { urls: row.urls },
      });
      await enqueueInTransaction(m, 'lists.fetch', { listId });
    });
    return this.get(listId);
  }

  /** The scheduler's tick: enqueues a fetch for every source due a check; returns how many. */
  async enqueueDue(): Promise<number> {
    return this.uow.run(async (m) => {
      const due = await claimDueSources(m, this.options.shippedSources);
      for (const listId of due) await enqueueInTransaction(m, 'lists.fetch', { listId });
      return due.length;
    });
  }

  /** Installs the shipped default sources that are absent (their lists too); returns the list ids installed. */
  async installDefaults(defaults: readonly DefaultSource[]): Promise<string[]> {
    if (!this.options.shippedSources) return [];
    const installed: string[] = [];
    for (const d of defaults) {
      const done = await this.uow
        .run(async (m) => {
          if (await findSource(m, d.listId)) return false;
          await this.lists.ensureList(
            m,
            SYSTEM_ACTOR,
            { listId: d.listId, format: d.format, name: d.name },
            Object.keys(d.urls),
          );
          if (!(await insertSourceIfAbsent(m, { ...d, enabled: true, origin: 'shipped' }))) return false;
          await recordAudit(m, SYSTEM_ACTOR, {
            action: 'list_source.created',
            subjectType: 'list',
            subjectId: d.listId,
            data: {
              format: d.format,
              urls: d.urls,
              refreshMinutes: d.refreshMinutes,
              enabled: true,
              origin: 'shipped',
            },
          });
          return true;
        })
        .catch((err: { code?: string }) => {
          if (err.code === '23505') return false; // another process installed it at the same moment
          throw err;
        });
      if (done) installed.push(d.listId);
    }
    return installed;
  }

  /**
   * The `lists.fetch` job. Holds a lease on the source while it fetches. Unreachable: the source turns stale and the
   * error is thrown, so the job system retries with backoff. Reached: 304 or the same bytes as a stored version
   * (sha256) make no version; anything else becomes a version (source `fetch`) imported like an upload, guard included.
   */
  async fetch(listId: string): Promise<FetchReport | null> {
    const leaseMs = this.options.timeoutMs + 60_000;
    const source = await leaseSource(this.dataSource, listId, leaseMs);
    if (!source) return null; // no such source, or another process is fetching it right now
    try {
      const result = await this.check(source).catch(async (err: unknown) => {
        if (!(err instanceof SourceFetchError)) throw err;
        await recordCheck(this.dataSource, listId, { outcome: 'error', error: err.message });
        this.logger.warn({ listId, error: err.message }, 'list source unreachable; the active version stays');
        throw err;
      });
      await recordCheck(this.dataSource, listId, result);
      this.logger.info({ listId, outcome: result.outcome, versionId: result.versionId }, 'list source checked');
      return { listId, ...result };
    } finally {
      await releaseSource(this.dataSource, listId);
    }
  }

  private async check(source: SourceRow): Promise<CheckResult> {
    let parts = await fetchParts(source.urls, source.validators, this.options, true);
    if (parts.every((p) => p.notModified)) return { outcome: 'not_modified', validators: source.validators };
    // Some parts changed, others did not: the stored bytes of the unchanged ones may belong to an older version,
    // so fetch them again in full rather than guess which version to copy them from.
    if (parts.some((p) => p.notModified)) parts = await fetchParts(source.urls, source.validators, this.options, false);
    const files = parts.filter((p): p is Extract<PartResult, { notModified: false }> => !p.notModified);
    const validators: Validators = Object.fromEntries(files.map((p) => [p.part, p.validators]));
    const digest = digestParts(files.map((p) => ({ name: p.part, sha256: sha256(p.content) })));
    const same = await versionWithDigest(this.dataSource, source.listId, digest);
    if (same) return { outcome: 'unchanged', validators, sameAsVersionId: same };
    const version = await this.lists.createVersion(
      SYSTEM_ACTOR,
      { listId: source.listId, format: source.format as ImportFormat, source: 'fetch' },
      files.map((p) => ({ name: p.part, content: p.content })),
    );
    return { outcome: 'changed', validators, versionId: version.id };
  }
}
