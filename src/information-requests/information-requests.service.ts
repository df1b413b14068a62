import type { DataSource, EntityManager } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.service';
import { auditActor, personOf, seesAllOrganizations } from '../auth/actor';
import { type Actor } from '../http/actor';
import { lockCaseOfDeclaration, lockCaseStatus, pauseForInformation, resumeFromPause } from '../cases/cases.repository';
import { setDeclarationStatus } from '../cases/declaration-status';
import { NotDueYetError } from '../cases/sla';
import type { UnitOfWork } from '../db/unit-of-work';
import { declarationOrganization, declarationOwnerAndStatus } from '../declarations/declaration-owner.repository';
import { brokerDocumentIds, documentRefs } from '../documents/documents.repository';
import { NotFoundError, ValidationError } from '../http/errors';
import { enqueueInTransaction } from '../jobs/outbox';
import { emitWebhookEvent } from '../webhooks/events';
import { NoOpenRequestError, RequestAlreadyOpenError } from './information-requests.errors';
import {
  caseOfRequest,
  caseRequests,
  dbNow,
  declarationRequests,
  declarationResponses,
  insertRequest,
  insertResponse,
  lockOpenRequest,
  lockRequest,
  markOverdue,
  readResponse,
  responsesOf,
  withdrawOpenRequests,
  type ResponseRow,
} from './information-requests.repository';
import type { CaseInformationRequests } from '../cases/case-information';
import type { CaseInformationRequest } from '../cases/case-information.schemas';
import type { ResponseBody } from './information-requests.schemas';

/** The case as a request needs it (a CaseRow satisfies it). */
export interface RequestedCase {
  id: string;
  declaration_id: string;
  reference: string;
  organization: string;
}

export type OverdueResult = 'escalated' | 'answered' | 'already_overdue' | 'missing';

const iso = (d: Date) => d.toISOString();

/**
 * Requests for information: a reviewer's request_info takes the case out of the queue with its SLA clock paused; the
 * broker's answer (or the request's timeout) puts it back, the deadline moved later by the paused span.
 */
export class InformationRequestsService implements CaseInformationRequests {
  private readonly timeoutMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    timeoutHours: number,
  ) {
    this.timeoutMs = Math.round(timeoutHours * 3_600_000);
  }

  /** Refuses a second request while one waits (checked before the decision row is written). */
  async assertNoneOpen(m: EntityManager, caseId: string): Promise<void> {
    if (await lockOpenRequest(m, caseId)) throw new RequestAlreadyOpenError();
  }

  /**
   * The effects of a request_info decision, in the decision's transaction (the case row is locked): the request, the
   * case out of the queue (unassigned, not claimable) with its SLA paused, the declaration `information_requested`, the
   * timeout job, the audit event and the broker's webhook, which carries the message and nothing of the review.
   */
  async open(
    m: EntityManager,
    who: AuditActor,
    actor: Actor,
    c: RequestedCase,
    decisionId: string,
    message: string,
  ): Promise<void> {
    const requestedAt = await dbNow(m);
    const respondBy = new Date(requestedAt.getTime() + this.timeoutMs);
    const requestId = await insertRequest(m, {
      caseId: c.id,
      declarationId: c.declaration_id,
      organization: c.organization,
      decisionId,
      message,
      requestedBy: actor.keyId,
      requestedByPerson: personOf(actor),
      requestedAt,
      respondBy,
    });
    const deadline = await pauseForInformation(m, c.id, requestedAt);
    await setDeclarationStatus(m, who, c.declaration_id, 'information_requested', { caseId: c.id, decisionId });
    await recordAudit(m, who, {
      action: 'case.information_requested',
      subjectType: 'case',
      subjectId: c.id,
      data: {
        declarationId: c.declaration_id,
        decisionId,
        requestId,
        message,
        requestedAt: iso(requestedAt),
        respondBy: iso(respondBy),
        slaPausedAt: iso(requestedAt),
        deadline: iso(deadline),
      },
    });
    await enqueueInTransaction(
      m,
      'cases.information_overdue',
      { requestId },
      {
        dedupeKey: `cases.information_overdue:${requestId}`,
        delayMs: Math.max(0, respondBy.getTime() - Date.now()),
      },
    );
    await emitWebhookEvent(m, {
      type: 'case.information_requested',
      organization: c.organization,
      subjectId: c.declaration_id,
      eventId: requestId,
      data: {
        declarationId: c.declaration_id,
        reference: c.reference,
        message,
        requestedAt: iso(requestedAt),
        respondBy: iso(respondBy),
      },
    });
  }

  /** A final decision closes a request still waiting: the broker is no longer asked anything. */
  async withdrawOpen(m: EntityManager, who: AuditActor, c: RequestedCase, decisionId: string): Promise<void> {
    const withdrawn = await withdrawOpenRequests(m, c.id);
    if (withdrawn.length) {
      await recordAudit(m, who, {
        action: 'case.information_request_withdrawn',
        subjectType: 'case',
        subjectId: c.id,
        data: { declarationId: c.declaration_id, requestIds: withdrawn, decisionId },
      });
    }
  }

  /**
   * The owner broker's answer: recorded with the documents it cites (this declaration's only), the request closed, and
   * a case still waiting on it back in the queue (`open`, or `escalated` if it was) with its SLA resumed.
   */
  async respond(actor: Actor, declarationId: string, body: ResponseBody) {
    return this.uow.run(async (m) => {
      const owner = await declarationOrganization(m, declarationId);
      if (owner === undefined || (!seesAllOrganizations(actor) && owner !== actor.organization))
        throw new NotFoundError('Declaration');
      // The case row first, as decisions lock it: one lock order, no deadlock with a reviewer acting at the same time;
      // the declaration's status is read under that lock (decisions change it while holding the case).
      const c = await lockCaseOfDeclaration(m, declarationId);
      const request = c && (await lockOpenRequest(m, c.id));
      if (!c || !request) throw new NoOpenRequestError();
      const d = (await declarationOwnerAndStatus(m, declarationId))!;
      const documentIds = body.documentIds ?? [];
      const known = await brokerDocumentIds(m, declarationId, documentIds);
      const unknown = documentIds.map((id, i) => ({ id, i })).filter((x) => !known.has(x.id));
      if (unknown.length) {
        throw new ValidationError(
          unknown.map((x) => ({ path: `body.documentIds.${x.i}`, message: 'not a document of this declaration' })),
        );
      }
      const at = await dbNow(m);
      const who = auditActor(actor);
      const responseId = await insertResponse(m, {
        requestId: request.id,
        declarationId,
        organization: d.organization,
        message: body.message,
        respondedBy: actor.keyId,
        respondedByPerson: actor.person,
        documentIds,
        at,
      });
      const resumed = c.status === 'information_requested' ? await this.resume(m, c.id, at, 'queue') : null;
      if (d.status === 'information_requested') {
        await setDeclarationStatus(m, who, declarationId, 'under_review', {
          caseId: c.id,
          requestId: request.id,
          responseId,
        });
      }
      await recordAudit(m, who, {
        action: 'case.information_received',
        subjectType: 'case',
        subjectId: c.id,
        data: {
          declarationId,
          requestId: request.id,
          responseId,
          message: body.message,
          documentIds,
          receivedAt: iso(at),
          ...(resumed ? resumedData(resumed) : { status: c.status }),
        },
      });
      return responseView(await readResponse(m, responseId));
    });
  }

  /**
   * The cases.information_overdue job: a request still unanswered at its respond-by time escalates its case to the
   * supervisors (SLA resumed). The request row is the state: an answered, withdrawn or already overdue request changes
   * nothing, so a repeated job, or the same job in two processes (they serialise on the case row), acts once. A job
   * that fires early (clock skew) throws so the queue retries it.
   */
  async overdue(requestId: string): Promise<OverdueResult> {
    return this.uow.run(async (m) => {
      const caseId = await caseOfRequest(m, requestId);
      if (!caseId) return 'missing';
      const c = (await lockCaseStatus(m, caseId))!;
      const r = (await lockRequest(m, requestId))!;
      if (r.answered_at || r.withdrawn_at) return 'answered';
      if (r.overdue_at) return 'already_overdue';
      const at = await dbNow(m);
      if (r.respond_by > at) throw new NotDueYetError(r.case_id, iso(r.respond_by));
      await markOverdue(m, requestId, at);
      const resumed = c.status === 'information_requested' ? await this.resume(m, r.case_id, at, 'escalate') : null;
      await recordAudit(m, SYSTEM_ACTOR, {
        action: 'case.information_overdue',
        subjectType: 'case',
        subjectId: r.case_id,
        data: {
          declarationId: r.declaration_id,
          requestId,
          requestedAt: iso(r.requested_at),
          respondBy: iso(r.respond_by),
          escalated: resumed !== null,
          ...(resumed ? resumedData(resumed) : {}),
        },
      });
      await emitWebhookEvent(m, {
        type: 'case.information_overdue',
        organization: r.organization,
        subjectId: r.declaration_id,
        eventId: requestId,
        data: {
          declarationId: r.declaration_id,
          reference: c.reference,
          requestedAt: iso(r.requested_at),
          respondBy: iso(r.respond_by),
        },
      });
      return 'escalated';
    });
  }

  /**
   * Back to a queue with the SLA running again: the deadline moves later by exactly the paused span (both ends the
   * same database instant as the rows written with them); the SLA sweep (cases/sla.ts) escalates the case at the new
   * deadline. `queue` returns the case where it was (`open`, or `escalated` if it had been); `escalate` sends it to
   * the supervisors.
   */
  private async resume(m: EntityManager, caseId: string, at: Date, to: 'queue' | 'escalate') {
    const row = await resumeFromPause(m, caseId, at, to);
    return {
      status: row.status,
      deadline: row.deadline,
      previousDeadline: row.previous_deadline,
      pausedMs: at.getTime() - row.paused_at.getTime(),
    };
  }

  /** The case view's requests, newest first, each with its answer. */
  async forCase(m: EntityManager, caseId: string): Promise<CaseInformationRequest[]> {
    const requests = await caseRequests(m, caseId);
    const responses = await responsesOf(
      m,
      requests.map((r) => r.id),
    );
    const docs = await documentRefs(m, [...new Set(responses.flatMap((x) => x.document_ids))]);
    const byRequest = new Map(responses.map((x) => [x.request_id, x]));
    return requests.map((r) => {
      const x = byRequest.get(r.id);
      return {
        id: r.id,
        decisionId: r.decision_id,
        message: r.message,
        status: r.answered_at ? 'answered' : r.withdrawn_at ? 'withdrawn' : 'open',
        requestedBy: { keyId: r.requested_by, name: r.requested_by_name, person: r.requested_by_person },
        requestedAt: iso(r.requested_at),
        respondBy: iso(r.respond_by),
        overdueAt: r.overdue_at ? iso(r.overdue_at) : null,
        response: x
          ? {
              id: x.id,
              message: x.message,
              documentIds: x.document_ids,
              documents: x.document_ids
                .map((id) => docs.get(id))
                .filter((dd) => dd !== undefined)
                .map((dd) => ({
                  id: dd.id,
                  filename: dd.filename,
                  contentType: dd.content_type,
                  size: Number(dd.size),
                })),
              respondedBy: { keyId: x.responded_by, name: x.responded_by_name, person: x.responded_by_person },
              receivedAt: iso(x.created_at),
            }
          : null,
      };
    });
  }

  /** What the declaration view adds: the open request (message and dates only) and the broker's answers, newest first. */
  async forDeclaration(declarationId: string) {
    const m = this.dataSource.manager;
    const [requests, responses] = await Promise.all([
      declarationRequests(m, declarationId),
      declarationResponses(m, declarationId),
    ]);
    const open = requests.find((r) => !r.answered_at && !r.withdrawn_at);
    return {
      informationRequest: open
        ? { message: open.message, requestedAt: iso(open.requested_at), respondBy: iso(open.respond_by) }
        : null,
      responses: responses.map(responseView),
    };
  }
}

/** What the audit log records of a case put back in a queue: where, and how its deadline moved. */
function resumedData(r: { status: string; pausedMs: number; previousDeadline: Date; deadline: Date }) {
  return {
    status: r.status,
    pausedMs: r.pausedMs,
    previousDeadline: iso(r.previousDeadline),
    deadline: iso(r.deadline),
  };
}

export function responseView(x: ResponseRow) {
  return { id: x.id, message: x.message, documentIds: x.document_ids, createdAt: iso(x.created_at) };
}
