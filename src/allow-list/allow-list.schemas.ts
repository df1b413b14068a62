import { z } from 'zod';
import '../http/openapi';
import { paginationQuery } from '../http/pagination';

export const allowListStatus = z.enum(['active', 'expired', 'revoked']);

export const allowListQuery = paginationQuery.extend({
  listId: z.string().max(63).optional(),
  entryId: z.string().max(200).optional(),
  status: allowListStatus
    .optional()
    .describe('active: suppressing (unless the list entry changed since); expired; revoked'),
  scope: z.string().max(100).optional().describe('An organisation, or all'),
});
export type AllowListQuery = z.output<typeof allowListQuery>;

export const allowListParams = z.object({ id: z.string().uuid() });

export const allowListEntryView = z
  .object({
    id: z.string().uuid(),
    partyFingerprint: z.string(),
    party: z
      .object({ name: z.string(), country: z.string().optional(), subject: z.string() })
      .describe('The declared party as it was marked'),
    listId: z.string(),
    entryId: z.string(),
    entryHash: z
      .string()
      .describe('Content digest of the list entry when marked: the mark holds only while the entry is unchanged'),
    entryChanged: z
      .boolean()
      .nullable()
      .describe('Whether the active list entry differs from the marked one now (null: no longer on the list)'),
    matchedName: z.string().nullable(),
    hitId: z.string(),
    caseId: z.string().nullable(),
    declarationId: z.string().nullable(),
    decisionId: z.string().nullable(),
    reason: z.string(),
    createdBy: z.object({ keyId: z.string().nullable(), role: z.string(), person: z.string().nullable() }),
    scope: z
      .string()
      .describe(
        'The organisation whose declarations the mark suppresses the pair for, or all (approved by a supervisor for every organisation)',
      ),
    createdAt: z.string(),
    expiresAt: z.string(),
    status: allowListStatus,
    revokedAt: z.string().nullable(),
    revokedBy: z.string().nullable(),
  })
  .openapi('AllowListEntry');
