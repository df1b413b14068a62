import { z } from 'zod';
import '../http/openapi';
import { historyEventSchema } from '../audit/audit.schemas';
import { documentView } from '../documents/documents.schemas';

/** A broker's answer to a request for information, as the declaration view lists it. */
export const responseView = z
  .object({
    id: z.string().uuid(),
    message: z.string(),
    documentIds: z.array(z.string().uuid()),
    createdAt: z.string(),
  })
  .openapi('InformationResponse');

/** What the owner broker sees of an open request: the message and the dates, never the reason or the hits. */
export const brokerInformationRequest = z
  .object({
    message: z.string(),
    requestedAt: z.string(),
    respondBy: z
      .string()
      .describe('After this the case goes to the supervisors; an answer is still accepted while the request is open'),
  })
  .openapi('BrokerInformationRequest');
export type ResponseView = z.input<typeof responseView>;
export type BrokerInformationRequest = z.input<typeof brokerInformationRequest>;

/** What the declaration view shows of requests for information (src/information-requests provides it). */
export interface DeclarationInformation {
  forDeclaration(
    declarationId: string,
  ): Promise<{ informationRequest: BrokerInformationRequest | null; responses: ResponseView[] }>;
}

export const MAX_BATCH = 1000;
export const batchSchema = z
  .object({
    // Each declaration is checked on its own (a bad one is reported in the batch, the rest are screened), so the request
    // schema takes any item; the document shows what an item must be.
    declarations: z
      .array(z.unknown().openapi({ allOf: [{ $ref: '#/components/schemas/Declaration' }] }))
      .min(1)
      .max(MAX_BATCH, `at most ${MAX_BATCH} declarations a batch`)
      .describe('Declarations; an invalid one is reported in the batch (items[].error) and the others are screened'),
  })
  .strict()
  .openapi('DeclarationBatch');

export const hitSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['goods', 'party', 'route', 'indicator']),
    severity: z.enum(['critical', 'high', 'medium', 'low']),
    score: z.number(),
    subject: z.string().describe('e.g. "consignee", "items[2]", "transitCountries[0]"'),
    listId: z.string().optional(),
    versionId: z.string().optional(),
    entryId: z.string().optional(),
    matched: z.string().optional(),
    explanation: z.string(),
    evidence: z.record(z.string(), z.unknown()).optional(),
    suppressed: z.boolean().optional(),
    suppressedBy: z.string().optional(),
  })
  .openapi('Hit');

export const screeningSchema = z
  .object({
    id: z.string(),
    outcome: z.enum(['CLEAR', 'REVIEW', 'BLOCK']),
    riskScore: z.number().int().min(0).max(100),
    hits: z.array(hitSchema),
    listVersions: z.record(z.string(), z.string()),
    rulesetVersion: z.string(),
    screenedAt: z.string(),
    trigger: z.string(),
  })
  .openapi('Screening');

export const declarationStatus = z
  .enum(['screening', 'cleared', 'under_review', 'information_requested', 'released', 'held', 'refused'])
  .describe(
    'information_requested: customs asked the broker for something (see informationRequest); the review waits for the answer',
  );

/*
 * What reviewers, supervisors and auditors see: hits with their risk weight and party fingerprint (the key of
 * false-positive marks), the case, every decision and the audit history.
 */
export const internalHitSchema = hitSchema
  .extend({
    weight: z.number().describe('Contribution to the risk score'),
    partyFingerprint: z
      .string()
      .optional()
      .describe("The declared party's fingerprint: the key of false-positive marks"),
  })
  .openapi('InternalHit');
export const internalScreeningSchema = screeningSchema
  .extend({ hits: z.array(internalHitSchema) })
  .openapi('InternalScreening');

/*
 * Broker views. A broker is told its answer, never the review: parsing through these schemas strips every key they do
 * not list (zod drops unknown keys), so a field added to a hit, a screening or a declaration stays internal until
 * someone lists it here. Tipping off a consignee about a review, its reasons or who works it is the harm avoided.
 */
const brokerTokenSchema = z.object({
  queryToken: z.string().nullable(),
  listToken: z.string().nullable(),
  similarity: z.number(),
  note: z.string(),
});
const brokerEvidenceSchema = z
  .object({
    rule: z.string().nullish(),
    matchKind: z.enum(['name', 'identifier']).nullish(),
    query: z.object({ name: z.string(), country: z.string().nullish() }).nullish(),
    match: z
      .object({
        queryName: z.string(),
        listName: z.string(),
        summary: z.string(),
        tokens: z.array(brokerTokenSchema),
        identifier: z.object({ queryType: z.string(), listType: z.string(), value: z.string() }).nullish(),
      })
      .nullish(),
    entry: z
      .object({
        kind: z.string().nullish(),
        names: z.array(z.string()).nullish(),
        countries: z.array(z.string()).nullish(),
        programs: z.array(z.string()).nullish(),
      })
      .nullish(),
    hsCode: z.string().nullish(),
    prefix: z.string().nullish(),
    label: z.string().nullish(),
    type: z.string().nullish(),
    value: z.string().nullish(),
    reason: z.string().nullish(),
    keyword: z.string().nullish(),
    country: z.string().nullish(),
    countryOfOrigin: z.string().nullish(),
    invoiceNumber: z.string().nullish(),
    invoiceLineNo: z.number().nullish(),
  })
  .describe('Why the hit was raised, in public terms (no scoring weights)');

export const brokerHitSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['goods', 'party', 'route', 'indicator']),
    severity: z.enum(['critical', 'high', 'medium', 'low']),
    score: z.number(),
    subject: z.string(),
    listId: z.string().optional(),
    entryId: z.string().optional(),
    matched: z.string().optional(),
    explanation: z.string(),
    evidence: brokerEvidenceSchema.optional(),
    suppressed: z.boolean().optional(),
  })
  .openapi('BrokerHit');

export const brokerScreeningSchema = z
  .object({
    id: z.string(),
    outcome: z.enum(['CLEAR', 'REVIEW', 'BLOCK']),
    riskScore: z.number().int().min(0).max(100),
    hits: z.array(brokerHitSchema),
    listVersions: z.record(z.string(), z.string()),
    rulesetVersion: z.string(),
    screenedAt: z.string(),
    trigger: z.string(),
  })
  .openapi('BrokerScreening');

export const submitResponse = z
  .object({
    id: z.string().uuid(),
    reference: z.string(),
    status: declarationStatus,
    screening: brokerScreeningSchema,
    caseId: z
      .string()
      .uuid()
      .nullable()
      .describe('Opaque reference of the review opened, if any (brokers cannot read cases)'),
  })
  .openapi('SubmitResult');

export const declarationSummary = z
  .object({
    id: z.string(),
    reference: z.string(),
    organization: z.string(),
    procedure: z.string(),
    status: declarationStatus,
    outcome: z.string().nullable(),
    riskScore: z.number().nullable(),
    batchId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('DeclarationSummary');

export const declarationList = z
  .object({ items: z.array(declarationSummary), nextCursor: z.string().nullable() })
  .openapi('DeclarationList');

/** The decision that gave the declaration its status: what, and when; never who or why. */
export const finalDecisionSchema = z
  .object({
    action: z.enum(['release', 'hold', 'refuse']),
    decidedAt: z.string(),
  })
  .openapi('FinalDecision');

const declarationBody = z.record(z.string(), z.unknown()).describe('The declaration as submitted (see Declaration)');

export const brokerDeclarationDetail = declarationSummary
  .extend({
    declaration: declarationBody,
    screening: brokerScreeningSchema.nullable(),
    previousScreenings: z.array(brokerScreeningSchema),
    decision: finalDecisionSchema.nullable().describe('Set once released, held or refused'),
    informationRequest: brokerInformationRequest
      .nullable()
      .describe('What customs asks for, while the request is open: answer with POST /v1/declarations/{id}/responses'),
    responses: z.array(responseView).describe("The broker's answers to requests for information, newest first"),
  })
  .openapi('BrokerDeclaration', { description: 'What the owner broker sees: its answer, not the review' });

export const declarationDetail = declarationSummary
  .extend({
    declaration: declarationBody,
    screening: internalScreeningSchema.nullable(),
    previousScreenings: z.array(internalScreeningSchema),
    decision: finalDecisionSchema.nullable(),
    informationRequest: brokerInformationRequest.nullable(),
    responses: z.array(responseView),
    case: z
      .object({
        id: z.string(),
        status: z.string(),
        level: z.string(),
        priority: z.number(),
        deadline: z.string(),
        overdue: z.boolean(),
        assignee: z.string().nullable(),
        createdAt: z.string(),
        closedAt: z.string().nullable(),
      })
      .nullable(),
    history: z.array(historyEventSchema).describe('Audit events of the declaration and its case, oldest first'),
    documents: z
      .array(documentView)
      .describe(
        'Documents attached to the declaration, oldest first (brokers list theirs at /v1/declarations/{id}/documents)',
      ),
  })
  .openapi('DeclarationDetail', { description: 'What reviewers, supervisors and auditors see' });

export const batchItemError = z.object({
  code: z.string(),
  message: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const batchView = z
  .object({
    id: z.string().uuid(),
    status: z.enum(['queued', 'processing', 'completed', 'failed']),
    total: z.number().int(),
    processed: z.number().int(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    error: z.string().optional().describe('Why a failed batch failed (the item that could not be screened)'),
    items: z.array(
      z.object({ index: z.number().int(), declarationId: z.string().optional(), error: batchItemError.optional() }),
    ),
  })
  .openapi('Batch');

export const batchAccepted = z
  .object({ batchId: z.string(), total: z.number().int(), invalid: z.number().int() })
  .openapi('BatchAccepted');

export const listQuery = z.object({
  status: declarationStatus.optional(),
  outcome: z.enum(['CLEAR', 'REVIEW', 'BLOCK']).optional(),
  reference: z.string().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

export const idParams = z.object({ id: z.string().uuid() });

export type HitView = z.infer<typeof hitSchema>;
export type ScreeningView = z.infer<typeof screeningSchema>;
export type DeclarationStatus = z.infer<typeof declarationStatus>;
export type DeclarationSummary = z.infer<typeof declarationSummary>;
export type DeclarationDetail = z.infer<typeof declarationDetail>;
