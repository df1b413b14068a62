import type { EntityManager } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor';
import type { Actor } from '../http/actor';
import type { CaseInformationRequest } from './case-information.schemas';
import type { CaseRow } from './cases.repository';

/**
 * What cases need of the requests for information (request_info decisions, the case view). src/information-requests
 * provides it (InformationRequestsService) and depends on cases, never the other way: the composition root hands the
 * service to the cases feature as this interface.
 */
export interface CaseInformationRequests {
  /** Refuses a second request while one waits (checked before the decision row is written). */
  assertNoneOpen(m: EntityManager, caseId: string): Promise<void>;
  /** The effects of a request_info decision, in the decision's transaction (the case row is locked). */
  open(m: EntityManager, who: AuditActor, actor: Actor, c: CaseRow, decisionId: string, message: string): Promise<void>;
  /** A final decision closes a request still waiting. */
  withdrawOpen(m: EntityManager, who: AuditActor, c: CaseRow, decisionId: string): Promise<void>;
  /** The case view's requests, newest first, each with its answer. */
  forCase(m: EntityManager, caseId: string): Promise<CaseInformationRequest[]>;
}
