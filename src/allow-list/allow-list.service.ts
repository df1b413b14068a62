import type { DataSource, EntityManager } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor';
import { recordAudit } from '../audit/audit.service';
import { auditActor } from '../auth/actor';
import { type Actor } from '../http/actor';
import type { UnitOfWork } from '../db/unit-of-work';
import { screeningHits } from '../declarations/allow-list-screenings.repository';
import { NotFoundError } from '../http/errors';
import { entryContentHash } from '../lists/allow-list-entries.repository';
import { decodeCursor, page } from '../http/pagination';
import { insertMark, listMarks, readMark, revokeMark, type AllowListRow } from './allow-list.repository';
import type { AllowListQuery } from './allow-list.schemas';

export interface MarkRequest {
  caseId: string;
  declarationId: string;
  decisionId: string;
  screeningId: string;
  hitIds: string[];
  reason: string;
  /** Who made the change (the decider, or the approver whose approval made the decision final). */
  actor: AuditActor;
  /** Who judged the hits false: the decider. */
  markedBy: { keyId: string; role: string; person: string | null };
  /** The organisation the marks hold for, or 'all'. */
  scope: string;
}

/** The false-positive allow-list: marks made by decisions, listed and revoked by people. */
export class AllowListService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly days: number,
    private readonly currentEntryHash: (listId: string, entryId: string) => string | undefined,
  ) {}

  view(r: AllowListRow) {
    const current = this.currentEntryHash(r.list_id, r.entry_id);
    return {
      id: r.id,
      partyFingerprint: r.party_fingerprint,
      party: r.party,
      listId: r.list_id,
      entryId: r.entry_id,
      entryHash: r.entry_hash,
      entryChanged: current === undefined ? null : current !== r.entry_hash,
      matchedName: r.matched_name,
      hitId: r.hit_id,
      caseId: r.case_id,
      declarationId: r.declaration_id,
      decisionId: r.decision_id,
      reason: r.reason,
      createdBy: { keyId: r.created_by, role: r.created_by_role, person: r.created_by_person },
      scope: r.scope,
      createdAt: r.created_at.toISOString(),
      expiresAt: r.expires_at.toISOString(),
      status: (r.revoked_at ? 'revoked' : r.expired ? 'expired' : 'active') as 'active' | 'expired' | 'revoked',
      revokedAt: r.revoked_at?.toISOString() ?? null,
      revokedBy: r.revoked_by,
    };
  }

  /**
   * Turns the named party hits of a screening into allow-list entries, in the caller's transaction, each with the
   * content hash the list entry had in that screening's list version, and an audit event.
   */
  async markFalsePositives(m: EntityManager, req: MarkRequest): Promise<string[]> {
    if (req.hitIds.length === 0) return [];
    const hits = await screeningHits(m, req.screeningId);
    const ids: string[] = [];
    for (const hitId of req.hitIds) {
      const hit = hits?.find((h) => h.id === hitId);
      if (!hit || hit.kind !== 'party' || !hit.partyFingerprint || !hit.listId || !hit.entryId) continue;
      const stored = hit.versionId ? await entryContentHash(m, hit.versionId, hit.entryId) : undefined;
      const entryHash = stored ?? this.currentEntryHash(hit.listId, hit.entryId);
      if (!entryHash) continue;
      const query = (hit.evidence?.query ?? {}) as { name?: string; country?: string };
      const row = await insertMark(m, {
        partyFingerprint: hit.partyFingerprint,
        listId: hit.listId,
        entryId: hit.entryId,
        entryHash,
        party: { name: query.name ?? '', ...(query.country ? { country: query.country } : {}), subject: hit.subject },
        matchedName: hit.matched ?? null,
        hitId,
        caseId: req.caseId,
        declarationId: req.declarationId,
        decisionId: req.decisionId,
        reason: req.reason,
        createdBy: req.markedBy.keyId,
        createdByRole: req.markedBy.role,
        scope: req.scope,
        days: this.days,
      });
      await recordAudit(m, req.actor, {
        action: 'allow_list.created',
        subjectType: 'allow_list_entry',
        subjectId: row.id,
        data: {
          caseId: req.caseId,
          declarationId: req.declarationId,
          decisionId: req.decisionId,
          hitId,
          listId: hit.listId,
          entryId: hit.entryId,
          entryHash,
          partyFingerprint: hit.partyFingerprint,
          party: row.party,
          markedBy: req.markedBy.keyId,
          markedByPerson: req.markedBy.person,
          scope: req.scope,
          reason: req.reason,
          expiresAt: row.expires_at.toISOString(),
        },
      });
      ids.push(row.id);
    }
    return ids;
  }

  async list(q: AllowListQuery) {
    const rows = await listMarks(this.dataSource.manager, q, decodeCursor(q.cursor));
    const result = page(rows, q.limit, (r) => [r.created_at, r.id]);
    return { items: result.items.map((r) => this.view(r)), nextCursor: result.nextCursor };
  }

  /** Revokes a mark: later screenings count the hit again. Revoking twice changes nothing. */
  async revoke(actor: Actor, id: string) {
    return this.uow.run(async (m) => {
      const row = await readMark(m, id, true);
      if (!row) throw new NotFoundError('Allow-list entry');
      if (row.revoked_at) return this.view(row);
      await revokeMark(m, id, actor.keyId);
      await recordAudit(m, auditActor(actor), {
        action: 'allow_list.revoked',
        subjectType: 'allow_list_entry',
        subjectId: id,
        data: {
          listId: row.list_id,
          entryId: row.entry_id,
          partyFingerprint: row.party_fingerprint,
          caseId: row.case_id,
        },
      });
      return this.view((await readMark(m, id))!);
    });
  }
}
