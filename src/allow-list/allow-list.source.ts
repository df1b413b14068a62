import type { EntityManager } from 'typeorm';
import type { Suppression, SuppressionSource } from '../screening/suppressions';
import { activeMarks } from './allow-list.repository';

/**
 * The false-positive marks as a SuppressionSource. Only marks whose list entry is unchanged since marking are
 * returned: a changed entry (another hash) is screened afresh, and an older mark with a stale hash never hides a
 * newer one that still holds.
 */
export class AllowListSource implements SuppressionSource {
  constructor(private readonly currentEntryHash: (listId: string, entryId: string) => string | undefined) {}

  async find(manager: EntityManager, partyFingerprints: string[]): Promise<Suppression[]> {
    const marks = await activeMarks(manager, partyFingerprints);
    return marks.filter((s) => this.currentEntryHash(s.listId, s.entryId) === s.entryHash);
  }
}
