import { z } from 'zod';
import '../http/openapi';

/**
 * The requests for information as the case view shows them, and the message a request carries. They are the case's
 * contract: src/information-requests provides them (see CaseInformationRequests in case-information.ts).
 */

/** The text a reviewer sends with request_info, or a broker with its answer. */
export const informationMessage = z.string().trim().min(1).max(2000);

const keyRef = z.object({ keyId: z.string(), name: z.string().nullable(), person: z.string().nullable() });

export const caseInformationRequest = z
  .object({
    id: z.string().uuid(),
    decisionId: z.string().uuid().describe('The request_info decision (its reason is internal)'),
    status: z
      .enum(['open', 'answered', 'withdrawn'])
      .describe('withdrawn: the case was decided before the broker answered'),
    message: z.string().describe('What the broker was asked'),
    requestedBy: keyRef,
    requestedAt: z.string(),
    respondBy: z.string(),
    overdueAt: z.string().nullable().describe('When the unanswered request escalated the case to the supervisors'),
    response: z
      .object({
        id: z.string().uuid(),
        message: z.string(),
        documentIds: z.array(z.string().uuid()),
        documents: z.array(
          z.object({
            id: z.string().uuid(),
            filename: z.string().nullable(),
            contentType: z.string(),
            size: z.number().int(),
          }),
        ),
        respondedBy: keyRef,
        receivedAt: z.string(),
      })
      .nullable(),
  })
  .openapi('CaseInformationRequest');
export type CaseInformationRequest = z.output<typeof caseInformationRequest>;
