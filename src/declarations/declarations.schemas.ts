import { z } from 'zod';
import '../http/openapi';
import { isCountryCode } from '../identifiers/countries';
import { normalizeHsCode } from '../screening/hs-code';

export const PARTY_ROLES = ['declarant', 'consignor', 'consignee', 'notifyParty', 'endUser', 'carrier'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];
export const DECLARATION_IDENTIFIER_TYPES = ['BIN', 'IIN', 'INN', 'OGRN', 'EORI', 'IMO', 'OTHER'] as const;

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const countryCode = z.string().length(2).transform((c) => c.toUpperCase())
  .refine(isCountryCode, { message: 'unknown country: use an ISO 3166-1 alpha-2 code' });

export const identifierSchema = z.object({
  type: z.enum(DECLARATION_IDENTIFIER_TYPES),
  value: z.string().trim().min(1).max(40),
}).strict();

export const partySchema = z.object({
  name: z.string().trim().min(1).max(300),
  country: countryCode,
  address: z.string().trim().max(500).optional(),
  identifiers: z.array(identifierSchema).max(10).optional(),
}).strict().openapi('Party');

export const hsCodeSchema = z.string().max(20).superRefine((raw, ctx) => {
  const r = normalizeHsCode(raw);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message });
});

export const itemSchema = z.object({
  lineNo: z.number().int().min(1).max(9999),
  hsCode: hsCodeSchema,
  description: z.string().trim().min(1).max(1000),
  countryOfOrigin: countryCode,
  quantity: z.number().positive().finite().optional(),
  unit: z.string().trim().min(1).max(20).optional(),
  netMassKg: z.number().positive().finite().optional(),
  value: z.object({
    amount: z.number().positive().finite(),
    currency: z.string().length(3).transform((c) => c.toUpperCase()).refine((c) => CURRENCIES.has(c), { message: 'unknown currency: use an ISO 4217 code' }),
  }).strict(),
  manufacturer: partySchema.optional(),
}).strict().openapi('DeclarationItem');

export const declarationSchema = z.object({
  reference: z.string().trim().min(1).max(100),
  procedure: z.enum(['import', 'export', 'transit']),
  declarant: partySchema,
  consignor: partySchema,
  consignee: partySchema,
  notifyParty: partySchema.optional(),
  endUser: partySchema.optional(),
  carrier: partySchema.optional(),
  countryOfDispatch: countryCode,
  countryOfDestination: countryCode,
  transitCountries: z.array(countryCode).max(20).optional(),
  items: z.array(itemSchema).min(1).max(999),
}).strict().superRefine((d, ctx) => {
  const seen = new Map<number, number>();
  d.items.forEach((item, i) => {
    const first = seen.get(item.lineNo);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['items', i, 'lineNo'], message: `line number ${item.lineNo} is used twice (also items[${first}])` });
    else seen.set(item.lineNo, i);
  });
}).openapi('Declaration');

export type DeclarationInput = z.output<typeof declarationSchema>;
export type PartyInput = z.output<typeof partySchema>;

export const MAX_BATCH = 1000;
export const batchSchema = z.object({
  declarations: z.array(z.unknown()).min(1).max(MAX_BATCH, `at most ${MAX_BATCH} declarations a batch`),
}).strict().openapi('DeclarationBatch');

export const hitSchema = z.object({
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
}).openapi('Hit');

export const screeningSchema = z.object({
  id: z.string(),
  outcome: z.enum(['CLEAR', 'REVIEW', 'BLOCK']),
  riskScore: z.number().int().min(0).max(100),
  hits: z.array(hitSchema),
  listVersions: z.record(z.string(), z.string()),
  rulesetVersion: z.string(),
  screenedAt: z.string(),
  trigger: z.string(),
}).openapi('Screening');

export const declarationStatus = z.enum(['screening', 'cleared', 'under_review', 'released', 'held', 'refused']);

export const submitResponse = z.object({
  id: z.string().uuid(),
  reference: z.string(),
  status: declarationStatus,
  screening: screeningSchema,
  caseId: z.string().uuid().nullable(),
}).openapi('SubmitResult');

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
