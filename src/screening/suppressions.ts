import type { EntityManager } from 'typeorm';
import type { Hit } from './hits';

/** A reviewer's false-positive mark: this declared party is not this list entry (as the entry stood then). */
export interface Suppression {
  id: string;
  partyFingerprint: string;
  listId: string;
  entryId: string;
  /** Content digest of the list entry when it was marked: a changed entry is screened afresh. */
  entryHash: string;
}

/** Where active (unexpired, unrevoked) marks come from; the review workflow provides the real one. */
export interface SuppressionSource {
  /** Marks that hold for declarations of this organisation (its own marks and those approved for all). */
  find(manager: EntityManager, partyFingerprints: string[], organization: string): Promise<Suppression[]>;
}

export const NO_SUPPRESSIONS: SuppressionSource = { find: async () => [] };

/**
 * Marks party name hits suppressed when an active mark names the same party fingerprint and list entry, and the
 * entry's content is unchanged since the mark. Suppressed hits stay in the screening (suppressed: true) but do not count.
 */
export async function applySuppressions(
  manager: EntityManager,
  hits: Hit[],
  source: SuppressionSource,
  currentEntryHash: (listId: string, entryId: string) => string | undefined,
  organization: string,
): Promise<void> {
  const fingerprints = [
    ...new Set(hits.filter((h) => h.kind === 'party' && h.partyFingerprint).map((h) => h.partyFingerprint!)),
  ];
  if (fingerprints.length === 0) return;
  const marks = await source.find(manager, fingerprints, organization);
  if (marks.length === 0) return;
  for (const hit of hits) {
    if (hit.kind !== 'party' || !hit.listId || !hit.entryId) continue;
    // A mark says "this name is not that entry"; a matching identifier is decisive evidence and is never suppressed.
    if (hit.evidence?.matchKind === 'identifier') continue;
    const mark = marks.find(
      (s) => s.partyFingerprint === hit.partyFingerprint && s.listId === hit.listId && s.entryId === hit.entryId,
    );
    if (mark && currentEntryHash(hit.listId, hit.entryId) === mark.entryHash) {
      hit.suppressed = true;
      hit.suppressedBy = mark.id;
    }
  }
}
