import { z } from 'zod';
import { searchFilters } from '../declarations/search-filter';
import { historyEventSchema } from '../audit/audit.schemas';
import '../http/openapi';
import { paginationQuery } from '../http/pagination';
import { caseInformationRequest, informationMessage } from './case-information.schemas';
import { declarationStatus, hitSchema, screeningSchema } from '../declarations/declarations.schemas';
import { declarationSchema } from '../screening/declaration-input';
import { documentView } from '../documents/documents.schemas';

export const caseStatus = z
  .enum(['open', 'held', 'escalated', 'awaiting_approval', 'information_requested', 'closed'])
  .describe(
    'open: in the queue; held: waiting for documents (still open); escalated: for supervisors only; awaiting_approval: a decision waits for a second person; information_requested: out of the queue, SLA paused, until the broker answers or the request times out; closed: decided',
  );
export const priorityName = z.enum(['critical', 'high', 'normal', 'low']);
export const decisionAction = z.enum(['release', 'hold', 'refuse', 'escalate', 'request_info']);
export const approvalState = z
  .enum(['not_required', 'pending', 'approved', 'rejected', 'outdated'])
  .describe(
    'outdated: the case was screened again after the decision; the decision lapsed and the case went back to the queue',
  );
export const falsePositiveScope = z
  .enum(['organization', 'all'])
  .describe(
    "organization (default): the marks suppress the pair for the declaration's organisation only; all: for every organisation, which needs a supervisor's approval",
  );

export const caseParams = z.object({ id: z.string().uuid() });

const keyRef = z.object({
  keyId: z.string().nullable(),
  name: z.string().nullable(),
  person: z.string().nullable().describe('The person holding the key'),
});

export const decisionView = z
  .object({
    id: z.string().uuid(),
    action: decisionAction,
    level: z.enum(['REVIEW', 'BLOCK']).describe('The case level when decided'),
    reason: z.string(),
    falsePositiveHitIds: z.array(z.string()),
    falsePositiveScope,
    screeningId: z.string().nullable().describe('The screening whose hits the decision named'),
    decidedBy: keyRef.extend({ role: z.string() }),
    decidedAt: z.string(),
    approval: approvalState,
    approvedBy: keyRef.nullable(),
    approvalReason: z.string().nullable(),
    approvedAt: z.string().nullable(),
  })
  .openapi('CaseDecision');

export const caseView = z
  .object({
    id: z.string().uuid(),
    declarationId: z.string().uuid(),
    reference: z.string(),
    organization: z.string(),
    status: caseStatus,
    level: z.enum(['REVIEW', 'BLOCK']).describe('The screening outcome that opened (or last raised) the case'),
    priority: priorityName,
    priorityRank: z.number().int().min(1).max(4).describe('1 = critical ... 4 = low; the queue sorts on it'),
    riskScore: z.number().int(),
    deadline: z
      .string()
      .describe('Due time; while the SLA is paused it moves later by the paused span when the case returns to a queue'),
    slaPausedAt: z
      .string()
      .nullable()
      .describe('Set while a request for information waits: when the SLA clock stopped'),
    overdue: z.boolean(),
    escalated: z.boolean(),
    assignee: z.string().nullable().describe('Key id of the claimant (see claimed: the claim may have lapsed)'),
    assigneeName: z.string().nullable(),
    assigneePerson: z.string().nullable(),
    leaseExpiresAt: z.string().nullable(),
    claimed: z.boolean().describe('Whether assignee holds an unexpired claim right now'),
    resolution: z.enum(['released', 'refused']).nullable(),
    awaitingApproval: z
      .object({
        decisionId: z.string().uuid(),
        action: decisionAction,
        decidedBy: z.string(),
        decidedByPerson: z.string().nullable().describe('Four-eyes: no key of this person may approve'),
        decidedAt: z.string(),
        awaiting: z.string().describe('Who may approve'),
      })
      .nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().nullable(),
  })
  .openapi('ReviewCase');

export const listCasesQuery = paginationQuery
  .extend({
    status: caseStatus.optional(),
    priority: priorityName.optional(),
    level: z.enum(['REVIEW', 'BLOCK']).optional(),
    assignee: z
      .union([z.string().uuid(), z.enum(['me', 'none'])])
      .optional()
      .describe('A key id (cases it holds now), me, or none (nobody holds a live claim)'),
    overdue: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    order: z
      .enum(['claim', 'newest'])
      .default('claim')
      .describe('claim: the order claim takes cases in (priority, deadline, age); newest: newest first'),
  })
  .extend(searchFilters.shape);
export type ListCasesQuery = z.output<typeof listCasesQuery>;

export const decisionBody = z
  .object({
    action: decisionAction,
    reason: z.string().trim().min(3).max(2000),
    falsePositiveHitIds: z
      .array(z.string().min(1).max(100))
      .max(200)
      .optional()
      .describe(
        "Party hits (ids from the case's latest screening) that were false; with release or refuse only. Each becomes an allow-list entry when the decision is final (after its approval where one is needed)",
      ),
    falsePositiveScope: falsePositiveScope
      .optional()
      .describe(
        "all: the marks hold for every organisation; the decision then waits for a supervisor's approval, whatever its level",
      ),
    message: informationMessage
      .optional()
      .describe(
        'With request_info only (and required there): what the broker is asked for. The broker sees this text, never the reason',
      ),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.action === 'request_info' && b.message === undefined)
      ctx.addIssue({ code: 'custom', path: ['message'], message: 'request_info needs a message to the broker' });
    if (b.action !== 'request_info' && b.message !== undefined)
      ctx.addIssue({ code: 'custom', path: ['message'], message: 'a message goes with request_info only' });
    if (b.falsePositiveScope === 'all' && !b.falsePositiveHitIds?.length) {
      ctx.addIssue({ code: 'custom', path: ['falsePositiveScope'], message: 'scope all needs falsePositiveHitIds' });
    }
  })
  .openapi('CaseDecisionRequest');
export type DecisionBody = z.output<typeof decisionBody>;

export const approvalBody = z
  .object({
    approve: z.boolean(),
    reason: z.string().trim().min(3).max(2000),
  })
  .strict()
  .openapi('CaseApprovalRequest');
export type ApprovalBody = z.output<typeof approvalBody>;

export const decisionResult = z.object({ case: caseView, decision: decisionView }).openapi('CaseDecisionResult');

export const listEntryView = z
  .object({
    kind: z.string().optional(),
    primaryName: z.string().optional(),
    aliases: z.array(z.string()).optional(),
    names: z.array(z.string()).optional(),
    countries: z.array(z.string()).optional(),
    programs: z.array(z.string()).optional(),
    identifiers: z.array(z.object({ type: z.string(), value: z.string() }).passthrough()).optional(),
    prefix: z.string().optional(),
    label: z.string().optional(),
    severity: z.string().optional(),
    source: z.string().nullable().optional(),
  })
  .describe(
    'The list entry the hit matched: names, aliases, programmes, identifiers for parties; prefix and label for goods',
  );

export const noteBody = z
  .object({
    text: z.string().trim().min(1).max(4000).describe('Free text; line breaks and tabs allowed'),
  })
  .strict()
  .openapi('CaseNoteRequest');

export const noteView = z
  .object({
    id: z.string().uuid(),
    text: z.string(),
    author: z.object({ keyId: z.string(), person: z.string().nullable(), role: z.string() }),
    createdAt: z.string(),
  })
  .openapi('CaseNote');
export type NoteView = z.output<typeof noteView>;

export const caseDetail = z
  .object({
    case: caseView,
    declaration: z.object({
      id: z.string(),
      reference: z.string(),
      organization: z.string(),
      procedure: z.string(),
      status: declarationStatus,
      outcome: z.string().nullable(),
      riskScore: z.number().nullable(),
      createdAt: z.string(),
      updatedAt: z.string(),
      body: declarationSchema,
    }),
    screening: screeningSchema
      .extend({ hits: z.array(hitSchema.extend({ listEntry: listEntryView.nullable() })) })
      .nullable(),
    informationRequests: z
      .array(caseInformationRequest)
      .describe("Requests for information and the broker's answers, newest first"),
    decisions: z.array(decisionView).describe('Newest first'),
    history: z.array(historyEventSchema).describe('Audit events of the case and its declaration, oldest first'),
    notes: z.array(noteView).describe('Internal notes, newest first'),
    documents: z.array(documentView).describe('Documents attached to the declaration, oldest first'),
  })
  .openapi('ReviewCaseDetail');

export type CaseStatus = z.infer<typeof caseStatus>;
export type DecisionAction = z.infer<typeof decisionAction>;
export type CaseView = z.infer<typeof caseView>;
export type DecisionView = z.infer<typeof decisionView>;
export type CaseDetail = z.infer<typeof caseDetail>;
