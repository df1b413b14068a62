import type { DataSource } from 'typeorm';
import { recordAudit } from '../audit/audit.service';
import { caseHistory } from '../audit/case-history.repository';
import { auditActor } from '../auth/actor';
import { type Actor } from '../http/actor';
import type { UnitOfWork } from '../db/unit-of-work';
import type { DocumentsService } from '../documents/documents.service';
import { publicHit } from '../declarations/screening-pipeline';
import { readCaseDeclaration, readCaseScreening } from '../declarations/case-view.repository';
import { withPartyThreshold } from '../declarations/search-filter';
import { NotFoundError } from '../http/errors';
import { decodeCursor, encodeCursor } from '../http/pagination';
import type { Hit } from '../screening/hits';
import type { CaseInformationRequests } from './case-information';
import { claimableStatuses } from './case-rules';
import { CaseClosedError, CaseNotClaimedError, NotClaimantError } from './cases.errors';
import {
  caseView,
  claimNext,
  decodeClaimCursor,
  encodeClaimCursor,
  listCases,
  lockCase,
  readCase,
  releaseClaim,
  renewLease,
  type CaseView,
} from './cases.repository';
import type { ListCasesQuery } from './cases.schemas';
import { caseDecisions, decisionView } from './decisions.repository';
import { caseNotes } from './notes.repository';

/** The matched list entry of a hit, flattened for the reviewer: names and aliases, programmes, identifiers; or the goods entry. */
export function listEntryOf(h: Hit): Record<string, unknown> | null {
  const ev = h.evidence ?? {};
  if (h.kind === 'party' && ev.entry && typeof ev.entry === 'object') {
    const e = ev.entry as {
      kind?: string;
      names?: string[];
      countries?: string[];
      programs?: string[];
      identifiers?: unknown[];
    };
    const names = e.names ?? [];
    return {
      kind: e.kind,
      primaryName: names[0],
      aliases: names.slice(1),
      names,
      countries: e.countries ?? [],
      programs: e.programs ?? [],
      identifiers: e.identifiers ?? [],
    };
  }
  if (h.kind === 'goods')
    return { prefix: ev.prefix, label: ev.label, severity: ev.severity, source: ev.source ?? null };
  return null;
}

/** The queue: claiming, giving back, reading and listing cases. Decisions are in DecisionsService. */
export class CasesService {
  private readonly leaseMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    leaseMinutes: number,
    private readonly documents: Pick<DocumentsService, 'forDeclaration'>,
    private readonly requests: Pick<CaseInformationRequests, 'forCase'>,
  ) {
    this.leaseMs = leaseMinutes * 60_000;
  }

  /** The most urgent case the caller may take (priority, deadline, age), leased to it; null when none waits. */
  async claim(actor: Actor): Promise<CaseView | null> {
    const claimed = await claimNext(
      this.dataSource.manager,
      auditActor(actor),
      claimableStatuses(actor.role),
      this.leaseMs,
    );
    return claimed ? caseView(claimed) : null;
  }

  /** Gives the case back to the queue; only its claimant may (also just after the lease lapsed, if nobody took it). */
  async unclaim(actor: Actor, id: string): Promise<CaseView> {
    return this.uow.run(async (m) => {
      const c = await lockCase(m, id);
      if (!c) throw new NotFoundError('Case');
      if (c.status === 'closed') throw new CaseClosedError();
      if (c.assignee_key_id !== actor.keyId)
        throw c.assignee_key_id && c.lease_active ? new NotClaimantError() : new CaseNotClaimedError();
      await releaseClaim(m, id);
      await recordAudit(m, auditActor(actor), {
        action: 'case.unclaimed',
        subjectType: 'case',
        subjectId: id,
        data: { declarationId: c.declaration_id },
      });
      return caseView((await readCase(m, id))!);
    });
  }

  /**
   * Everything a decision needs: the case, the declaration, the latest screening's hits with evidence and matched list
   * entries, the decisions and the history. Reading renews the caller's live claim (activity keeps a lease).
   */
  async get(actor: Actor, id: string) {
    const m = this.dataSource.manager;
    await renewLease(m, id, actor.keyId, this.leaseMs);
    const c = await readCase(m, id);
    if (!c) throw new NotFoundError('Case');
    const d = await readCaseDeclaration(m, c.declaration_id);
    const s = d.latest_screening_id ? await readCaseScreening(m, d.latest_screening_id) : undefined;
    const [decisions, history, notes, documents, informationRequests] = await Promise.all([
      caseDecisions(m, id),
      caseHistory(m, id, c.declaration_id),
      caseNotes(m, id),
      this.documents.forDeclaration(c.declaration_id),
      this.requests.forCase(m, id),
    ]);
    return {
      case: caseView(c),
      informationRequests,
      declaration: {
        id: d.id,
        reference: d.reference,
        organization: d.organization,
        procedure: d.procedure,
        status: d.status,
        outcome: d.outcome,
        riskScore: d.risk_score,
        createdAt: d.created_at.toISOString(),
        updatedAt: d.updated_at.toISOString(),
        body: d.body,
      },
      screening: s
        ? {
            id: s.id,
            trigger: s.trigger,
            outcome: s.outcome,
            riskScore: s.risk_score,
            listVersions: s.list_versions,
            rulesetVersion: s.ruleset_version,
            screenedAt: s.screened_at.toISOString(),
            hits: s.hits.map((h) => ({ ...publicHit(h), listEntry: listEntryOf(h) })),
          }
        : null,
      decisions: decisions.map(decisionView),
      history,
      notes,
      documents,
    };
  }

  /** A page in claim order (default) or newest first, with the filters. */
  async list(actor: Actor, q: ListCasesQuery): Promise<{ items: CaseView[]; nextCursor: string | null }> {
    const after: Parameters<typeof listCases>[3] = {};
    if (q.cursor && q.order === 'newest') after.newest = decodeCursor(q.cursor);
    if (q.cursor && q.order === 'claim') {
      after.claim = decodeClaimCursor(q.cursor);
    }
    const rows = await withPartyThreshold(this.dataSource, q, (m) => listCases(m, q, actor.keyId, after));
    const items = rows.slice(0, q.limit);
    const last = items[items.length - 1];
    const more = rows.length > q.limit && last;
    const nextCursor = !more
      ? null
      : q.order === 'newest'
        ? encodeCursor(last.created_at, last.id)
        : encodeClaimCursor(last);
    return { items: items.map(caseView), nextCursor };
  }
}
