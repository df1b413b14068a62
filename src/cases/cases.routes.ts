import { z } from 'zod';
import { historyEventSchema } from '../audit/audit.schemas';
import { route, type RouteDef } from '../http/route';
import {
  approvalBody,
  caseDetail,
  caseParams,
  caseView,
  decisionBody,
  decisionResult,
  listCasesQuery,
} from './cases.schemas';
import type { CasesService } from './cases.service';
import type { DecisionsService } from './decisions.service';

const READERS = ['reviewer', 'supervisor', 'auditor'] as const;
const WORKERS = ['reviewer', 'supervisor'] as const;

export function casesRoutes(cases: CasesService, decisions: DecisionsService): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/v1/cases',
      tag: 'Review',
      roles: READERS,
      query: listCasesQuery,
      summary:
        'Review cases, in claim order (priority, deadline, age) by default or newest first; filters status, priority, level, assignee, overdue, and the declaration search (party, identifier, hsCode, country, organization, listEntry)',
      responses: {
        200: {
          description: 'A page',
          schema: z.object({ items: z.array(caseView), nextCursor: z.string().nullable() }),
        },
        400: { description: 'A bad filter value' },
      },
      handler: async ({ actor, query }) => ({ status: 200, body: await cases.list(actor, query) }),
    }),
    route({
      method: 'post',
      path: '/v1/cases/claim',
      tag: 'Review',
      roles: WORKERS,
      summary:
        'Claim the most urgent unclaimed case (priority, then deadline, then age) with a lease; escalated cases go to supervisors only',
      responses: {
        200: { description: 'The case, now leased to the caller (see leaseExpiresAt)', schema: caseView },
        204: { description: 'No case waits' },
      },
      handler: async ({ actor }) => {
        const claimed = await cases.claim(actor);
        return claimed
          ? { status: 200, body: claimed, headers: { Location: `/v1/cases/${claimed.id}` } }
          : { status: 204 };
      },
    }),
    route({
      method: 'get',
      path: '/v1/cases/{id}',
      tag: 'Review',
      roles: READERS,
      params: caseParams,
      summary:
        "A case with its declaration, hits with evidence and matched list entries, decisions and history; renews the caller's claim",
      responses: { 200: { description: 'The case', schema: caseDetail } },
      handler: async ({ actor, params }) => {
        const detail = await cases.get(actor, params.id);
        // caseHistory's rows are audit history events (historyEventSchema); its query types them unknown.
        return { status: 200, body: { ...detail, history: detail.history as z.input<typeof historyEventSchema>[] } };
      },
    }),
    route({
      method: 'post',
      path: '/v1/cases/{id}/unclaim',
      tag: 'Review',
      roles: WORKERS,
      params: caseParams,
      summary: 'Give a claimed case back to the queue (claimant only)',
      responses: { 200: { description: 'The case, unclaimed', schema: caseView } },
      handler: async ({ actor, params }) => ({ status: 200, body: await cases.unclaim(actor, params.id) }),
    }),
    route({
      method: 'post',
      path: '/v1/cases/{id}/decision',
      tag: 'Review',
      roles: WORKERS,
      params: caseParams,
      body: decisionBody,
      summary:
        "Decide a claimed case: release, hold (waiting for documents), refuse or escalate; refusals and BLOCK-level releases wait for a supervisor's approval",
      responses: {
        200: { description: 'The case after the decision, and the decision', schema: decisionResult },
        403: { description: 'not_claimant (another reviewer holds it) or supervisor_required (escalated case)' },
        409: {
          description: 'case_not_claimed, lease_expired, case_closed, case_awaiting_approval or case_already_escalated',
        },
      },
      handler: async ({ actor, params, body }) => ({
        status: 200,
        body: await decisions.decide(actor, params.id, body),
      }),
    }),
    route({
      method: 'post',
      path: '/v1/cases/{id}/approval',
      tag: 'Review',
      roles: ['supervisor'],
      params: caseParams,
      body: approvalBody,
      summary:
        'Four-eyes step: a supervisor who is not the person who decided approves (the decision becomes final) or rejects (the case goes back to the queue)',
      responses: {
        200: { description: 'The case after the approval, and the decision', schema: decisionResult },
        403: { description: 'four_eyes_required: the person who decided may not approve, with any of their keys' },
        409: {
          description:
            'case_not_awaiting_approval, or decision_outdated: the case was screened again after the decision; the decision lapsed and the case is back in the queue',
        },
      },
      handler: async ({ actor, params, body }) => ({
        status: 200,
        body: await decisions.approve(actor, params.id, body),
      }),
    }),
  ];
}
