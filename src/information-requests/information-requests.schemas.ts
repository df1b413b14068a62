import { z } from 'zod';
import '../http/openapi';

/** The text a reviewer sends with request_info, or a broker with its answer. */
export const informationMessage = z.string().trim().min(1).max(2000);

export const responseBody = z.object({
  message: informationMessage,
  documentIds: z.array(z.string().uuid()).max(20).optional()
    .describe('Documents of this declaration (uploaded with POST /v1/declarations/{id}/documents) the answer cites'),
}).strict().superRefine((b, ctx) => {
  const ids = b.documentIds ?? [];
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['documentIds', i], message: 'named twice' });
  });
}).openapi('InformationResponseRequest');
export type ResponseBody = z.output<typeof responseBody>;

export const responseView = z.object({
  id: z.string().uuid(),
  message: z.string(),
  documentIds: z.array(z.string().uuid()),
  createdAt: z.string(),
}).openapi('InformationResponse');

/** What the owner broker sees of an open request: the message and the dates, never the reason or the hits. */
export const brokerInformationRequest = z.object({
  message: z.string(),
  requestedAt: z.string(),
  respondBy: z.string().describe('After this the case goes to the supervisors; an answer is still accepted while the request is open'),
}).openapi('BrokerInformationRequest');

const keyRef = z.object({ keyId: z.string(), name: z.string().nullable(), person: z.string().nullable() });

export const caseInformationRequest = z.object({
  id: z.string().uuid(),
  decisionId: z.string().uuid().describe('The request_info decision (its reason is internal)'),
  status: z.enum(['open', 'answered', 'withdrawn']).describe('withdrawn: the case was decided before the broker answered'),
  message: z.string().describe('What the broker was asked'),
  requestedBy: keyRef,
  requestedAt: z.string(),
  respondBy: z.string(),
  overdueAt: z.string().nullable().describe('When the unanswered request escalated the case to the supervisors'),
  response: z.object({
    id: z.string().uuid(),
    message: z.string(),
    documentIds: z.array(z.string().uuid()),
    documents: z.array(z.object({ id: z.string().uuid(), filename: z.string().nullable(), contentType: z.string(), size: z.number().int() })),
    respondedBy: keyRef,
    receivedAt: z.string(),
  }).nullable(),
}).openapi('CaseInformationRequest');
export type CaseInformationRequest = z.output<typeof caseInformationRequest>;
