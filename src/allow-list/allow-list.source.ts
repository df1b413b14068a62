import type { EntityManager } from 'typeorm';
import type { Suppression, SuppressionSource } from '../screening/suppressions';
import { activeMarks } from './allow-list.repository';

/**
 * The false-positive marks as a SuppressionSource. Only marks whose list entry is unchanged since marking are
 * returned: a changed entry (another hash) is screened afresh, and an older mark with a stale hash never hides a
 * newer one that still holds. A mark holds for its organisation, or for all when a supervisor approved that.
 */
export class AllowListSource implements SuppressionSource {
  constructor(private readonly currentEntryHash: (listId: string, entryId: string) => string | undefined) {}

  async find(manager: EntityManager, partyFingerprints: string[], organization: string): Promise<Suppression[]> {
    const marks = await activeMarks(manager, partyFingerprints, organization);
    return marks.filter((s) => this.currentEntryHash(s.listId, s.entryId) === s.entryHash);
  }
}
