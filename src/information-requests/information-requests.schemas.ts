import { z } from 'zod';
import '../http/openapi';
import { informationMessage } from '../cases/case-information.schemas';

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
