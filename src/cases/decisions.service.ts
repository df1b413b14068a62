import type { EntityManager } from 'typeorm';
import { declarationBody } from '../declarations/licence-drawdown.repository';
import type { AuditActor } from '../audit/audit-actor';
import { recordAudit } from '../audit/audit.service';
import { auditActor, personOf } from '../auth/actor';
import { type Actor } from '../http/actor';
import type { UnitOfWork } from '../db/unit-of-work';
import { falsePositiveErrors } from '../allow-list/false-positives';
import type { AllowListService } from '../allow-list/allow-list.service';
import { NotFoundError, ValidationError } from '../http/errors';
import { drawDownLicences } from '../licences/drawdown';
import { emitWebhookEvent } from '../webhooks/events';
import type { CaseInformationRequests } from './case-information';
import { assertClaimant, needsApproval, samePerson } from './case-rules';
import { AlreadyEscalatedError, DecisionOutdatedError, FourEyesError, NotAwaitingApprovalError } from './cases.errors';
import { latestScreeningHits, latestScreeningId } from '../declarations/case-decisions.repository';
import {
  awaitApproval,
  caseView,
  closeCase,
  escalateCase,
  holdCase,
  lockCase,
  readCase,
  returnUndecided,
  type CaseRow,
  type CaseView,
} from './cases.repository';
import { setDeclarationStatus } from './declaration-status';
import type { ApprovalBody, DecisionBody } from './cases.schemas';
import {
  decisionView,
  insertDecision,
  readDecision,
  recordApproval,
  type DecisionRow,
  type DecisionView,
} from './decisions.repository';

export interface DecisionResult {
  case: CaseView;
  decision: DecisionView;
}

/**
 * Decisions and the four-eyes approval. Each runs in one transaction with the case row locked: the decision row, the
 * case and declaration statuses, the allow-list entries, the audit events and the webhook event commit together.
 */
export class DecisionsService {
  private readonly leaseMs: number;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly allowList: AllowListService,
    leaseMinutes: number,
    private readonly requests: Pick<CaseInformationRequests, 'assertNoneOpen' | 'open' | 'withdrawOpen'>,
  ) {
    this.leaseMs = leaseMinutes * 60_000;
  }

  async decide(actor: Actor, caseId: string, body: DecisionBody): Promise<DecisionResult> {
    return this.uow.run(async (m) => {
      const c = await lockCase(m, caseId);
      if (!c) throw new NotFoundError('Case');
      assertClaimant(c, actor);
      if (body.action === 'escalate' && c.escalated_at) throw new AlreadyEscalatedError();
      const falsePositives = body.falsePositiveHitIds ?? [];
      // Marks take effect with the final decision (after the four-eyes approval where one is needed): naming them with a
      // hold, an escalation or a request for information would let one person allow-list a BLOCK-level match.
      if (
        (body.action === 'escalate' || body.action === 'hold' || body.action === 'request_info') &&
        falsePositives.length
      ) {
        throw new ValidationError([
          {
            path: 'body.falsePositiveHitIds',
            message: `false positives are named with the final decision (release or refuse), not with ${body.action}`,
          },
        ]);
      }
      const screening = await latestScreeningHits(m, c.declaration_id);
      const errors = falsePositiveErrors(screening?.hits ?? [], falsePositives);
      if (errors.length) throw new ValidationError(errors);
      if (body.action === 'request_info') await this.requests.assertNoneOpen(m, caseId);

      const scope = body.falsePositiveScope ?? 'organization';
      const pending = needsApproval(body.action, c.level, scope === 'all');
      const decisionId = await insertDecision(m, {
        caseId,
        declarationId: c.declaration_id,
        screeningId: screening?.id ?? null,
        action: body.action,
        level: c.level,
        reason: body.reason,
        falsePositiveHitIds: falsePositives,
        falsePositiveScope: scope,
        decidedBy: actor.keyId,
        decidedByPerson: personOf(actor),
        decidedByRole: actor.role,
        approval: pending ? 'pending' : 'not_required',
      });
      const who = auditActor(actor);
      await recordAudit(m, who, {
        action: 'case.decision',
        subjectType: 'case',
        subjectId: caseId,
        data: {
          decisionId,
          declarationId: c.declaration_id,
          screeningId: screening?.id ?? null,
          action: body.action,
          level: c.level,
          reason: body.reason,
          falsePositiveHitIds: falsePositives,
          falsePositiveScope: scope,
          approval: pending ? 'pending' : 'not_required',
        },
      });
      const decision = await readDecision(m, decisionId);

      if (pending) {
        await awaitApproval(m, caseId, decisionId);
      } else if (body.action === 'escalate') {
        await escalateCase(m, caseId);
      } else if (body.action === 'request_info') {
        // Not final, so no second person: the case leaves the queue until the broker answers or the request times out.
        await this.requests.open(m, who, actor, c, decisionId, body.message!);
      } else if (body.action === 'hold') {
        // Waiting for documents: the case stays open and with its claimant (deciding is activity: the lease renews).
        await holdCase(m, caseId, this.leaseMs);
        await setDeclarationStatus(m, who, c.declaration_id, 'held', { caseId, decisionId });
      } else {
        await this.finalize(m, who, c, decision, 'released');
      }
      return {
        case: caseView((await readCase(m, caseId))!),
        decision: decisionView(await readDecision(m, decisionId)),
      };
    });
  }

  /**
   * The second person: approving makes the pending decision final; rejecting sends the case back to the queue. A decision
   * made on a screening that a re-screening has since replaced lapses instead of being approved: the approver would
   * confirm a judgement of hits that are no longer the case's, so the case goes back to the queue (409 decision_outdated).
   */
  async approve(actor: Actor, caseId: string, body: ApprovalBody): Promise<DecisionResult> {
    const result = await this.uow.run(async (m) => {
      const c = await lockCase(m, caseId);
      if (!c) throw new NotFoundError('Case');
      if (c.status !== 'awaiting_approval' || !c.pending_decision_id) throw new NotAwaitingApprovalError();
      const pending = await readDecision(m, c.pending_decision_id);
      if (
        samePerson(
          { keyId: pending.decided_by, person: pending.decided_by_person },
          { keyId: actor.keyId, person: personOf(actor) },
        )
      )
        throw new FourEyesError();
      const latest = await latestScreeningId(m, c.declaration_id);
      const outdated = body.approve && pending.screening_id !== latest;
      const outcome = outdated ? 'outdated' : body.approve ? 'approved' : 'rejected';
      await recordApproval(m, pending.id, outcome, { keyId: actor.keyId, person: personOf(actor) }, body.reason);
      const who = auditActor(actor);
      await recordAudit(m, who, {
        action: outdated ? 'case.decision_outdated' : 'case.approval',
        subjectType: 'case',
        subjectId: caseId,
        data: {
          decisionId: pending.id,
          declarationId: c.declaration_id,
          action: pending.action,
          approve: body.approve,
          reason: body.reason,
          decidedBy: pending.decided_by,
          decidedByPerson: pending.decided_by_person,
          ...(outdated ? { decisionScreeningId: pending.screening_id, latestScreeningId: latest } : {}),
        },
      });
      const decision = await readDecision(m, pending.id);
      if (outcome === 'approved') {
        await this.finalize(m, who, c, decision, pending.action === 'refuse' ? 'refused' : 'released');
      } else {
        // Rejected or outdated: back to the queue undecided and unclaimed; an escalated case stays with the supervisors.
        await returnUndecided(m, caseId);
      }
      return { outdated, case: caseView((await readCase(m, caseId))!), decision: decisionView(decision) };
    });
    // Thrown after the commit: the lapse of the decision must stick although the caller gets an error.
    if (result.outdated) throw new DecisionOutdatedError();
    return { case: result.case, decision: result.decision };
  }

  /** The final step: case closed, declaration released or refused, false positives allow-listed, broker told. */
  private async finalize(
    m: EntityManager,
    who: AuditActor,
    c: CaseRow,
    decision: DecisionRow,
    resolution: 'released' | 'refused',
  ): Promise<void> {
    await closeCase(m, c.id, resolution);
    await setDeclarationStatus(m, who, c.declaration_id, resolution, { caseId: c.id, decisionId: decision.id });
    await this.requests.withdrawOpen(m, who, c, decision.id);
    // A release is final here (after any approval): the lines under a licence draw on it, once, with the licence row locked.
    if (resolution === 'released')
      await drawDownLicences(m, who, c.declaration_id, await declarationBody(m, c.declaration_id), 'decision');
    const allowListEntryIds = await this.mark(m, who, c, decision);
    await recordAudit(m, who, {
      action: 'case.closed',
      subjectType: 'case',
      subjectId: c.id,
      data: {
        declarationId: c.declaration_id,
        resolution,
        decisionId: decision.id,
        decidedBy: decision.decided_by,
        approvedBy: decision.approved_by,
        decidedByPerson: decision.decided_by_person,
        approvedByPerson: decision.approved_by_person,
        allowListEntryIds,
      },
    });
    await emitWebhookEvent(m, {
      type: 'case.decided',
      organization: c.organization,
      subjectId: c.id,
      eventId: decision.id,
      data: {
        caseId: c.id,
        declarationId: c.declaration_id,
        reference: c.reference,
        resolution,
        declarationStatus: resolution,
        decisionId: decision.id,
        decidedAt: new Date().toISOString(),
      },
    });
  }

  private mark(m: EntityManager, who: AuditActor, c: CaseRow, d: DecisionRow): Promise<string[]> {
    if (!d.screening_id || d.false_positive_hit_ids.length === 0) return Promise.resolve([]);
    return this.allowList.markFalsePositives(m, {
      caseId: c.id,
      declarationId: c.declaration_id,
      decisionId: d.id,
      screeningId: d.screening_id,
      hitIds: d.false_positive_hit_ids,
      reason: d.reason,
      actor: who,
      markedBy: { keyId: d.decided_by, role: d.decided_by_role, person: d.decided_by_person },
      // Marks hold for the declaration's organisation, or for every one when a supervisor approved that.
      scope: d.false_positive_scope === 'all' && d.approval === 'approved' ? 'all' : c.organization,
    });
  }
}
