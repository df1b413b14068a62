import type { DataSource, EntityManager } from 'typeorm';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors';
import type { ListVersion, ReferenceList } from './list.entity';
import type { RescreenHook } from './rescreen-hook';
import { lastActivatedBefore } from './versions.repository';
import { countEntryChanges, pageEntryChanges, type EntryChange } from './version-diff.repository';

export interface DiffItem {
  change: EntryChange;
  entryId: string;
  name: string;
}

export interface VersionDiff {
  versionId: string;
  against: string | null;
  added: number;
  removed: number;
  changed: number;
  items: DiffItem[];
  nextCursor: string | null;
}

/** An opaque cursor over entry ids (diff pages are ordered by entry id, not by time). */
function encodeEntryCursor(entryId: string): string {
  return Buffer.from(JSON.stringify({ after: entryId })).toString('base64url');
}

function decodeEntryCursor(cursor: string | undefined): string {
  if (!cursor) return '';
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed.after === 'string' && parsed.after !== '') return parsed.after;
  } catch {
    // fall through
  }
  throw new ValidationError([{ path: 'query.cursor', message: 'Invalid cursor' }]);
}

/**
 * What a version is compared with when the caller names nothing: the version its (latest) activation replaced; for a
 * version never activated (held), the one active now; else the last version activated before it was uploaded.
 */
export async function defaultAgainst(
  db: DataSource | EntityManager,
  rescreen: RescreenHook,
  list: ReferenceList,
  version: ListVersion,
): Promise<string | null> {
  const run = await rescreen.previousVersion(db, version.id);
  if (run) return run.previousVersionId;
  if (list.activeVersionId && list.activeVersionId !== version.id) return list.activeVersionId;
  return (await lastActivatedBefore(db, list.id, version.createdAt, version.id)) ?? null;
}

/** The counts of the whole difference, and one page of it ordered by entry id. */
export async function diffVersions(
  db: DataSource | EntityManager,
  list: ReferenceList,
  version: ListVersion,
  against: ListVersion | null,
  q: { limit: number; cursor?: string },
): Promise<VersionDiff> {
  for (const v of [version, against]) {
    // Entries of an import still running are incomplete; a failed import's entries are deleted.
    if (v?.status === 'importing')
      throw new ConflictError('version_importing', `Version ${v.id} is still importing; its entries are incomplete.`);
  }
  if (against && against.listId !== list.id) throw new NotFoundError('Version to compare against');
  const after = decodeEntryCursor(q.cursor);
  const againstId = against?.id ?? null;
  const counts = await countEntryChanges(db, list.kind, version.id, againstId);
  const rows = await pageEntryChanges(db, list.kind, version.id, againstId, after, q.limit + 1);
  const items = rows.slice(0, q.limit).map((r) => ({ change: r.change, entryId: r.entry_id, name: r.name ?? '' }));
  const nextCursor = rows.length > q.limit ? encodeEntryCursor(items[items.length - 1].entryId) : null;
  return { versionId: version.id, against: againstId, ...counts, items, nextCursor };
}
