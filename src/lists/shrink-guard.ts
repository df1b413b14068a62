import type { EntityManager } from 'typeorm';
import type { ListKind } from '../domain/list-entry';
import { countRemovedEntries } from './entries.repository';

export interface ShrinkVerdict {
  /** Entries of the active version the new one no longer has (by entry id, or by prefix for goods lists). */
  removed: number;
  activeEntries: number;
  /** removed / activeEntries, in percent, rounded to one decimal. */
  removedPercent: number;
  limitPercent: number;
  activeVersionId: string;
}

/**
 * The shrink guard: a new version that drops more than `limitPercent` of the active version's entries is far more
 * often a truncated or mis-published file than a mass delisting, and activating it would silently stop screening
 * against the dropped entries. Returns the verdict when the version must be held, null when it may activate.
 */
export async function shrinkVerdict(
  m: EntityManager,
  kind: ListKind,
  activeVersionId: string | null,
  versionId: string,
  limitPercent: number,
): Promise<ShrinkVerdict | null> {
  if (!activeVersionId || activeVersionId === versionId || limitPercent >= 100) return null;
  // Counted from the rows, not entry_count: the active version may have been loaded by any path (seed, cli, fetch).
  const row = await countRemovedEntries(m, kind, activeVersionId, versionId);
  if (!row || row.active === 0) return null;
  if (row.removed * 100 <= limitPercent * row.active) return null;
  return {
    removed: row.removed,
    activeEntries: row.active,
    removedPercent: Math.round((row.removed * 1000) / row.active) / 10,
    limitPercent,
    activeVersionId,
  };
}

export function heldReason(v: ShrinkVerdict): string {
  return (
    `held by the shrink guard: removes ${v.removed} of the ${v.activeEntries} entries of the active version ${v.activeVersionId} ` +
    `(${v.removedPercent}%, more than LIST_SHRINK_GUARD_PERCENT=${v.limitPercent}%); an admin must activate it`
  );
}
