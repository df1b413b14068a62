import { z } from 'zod';
import '../http/openapi';

export const exportQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional().describe('Events at or after this instant'),
  to: z.iso.datetime({ offset: true }).optional().describe('Events before this instant'),
  action: z.string().max(100).optional().describe('Only this action, e.g. api_key.created'),
  type: z.string().max(100).optional().describe('Alias of action'),
  subjectId: z.string().max(200).optional(),
  declarationId: z.string().max(200).optional().describe('Alias of subjectId'),
  format: z.enum(['ndjson', 'csv']).optional().describe('Overrides the Accept header (handy for download links)'),
}).refine((q) => !(q.from && q.to) || Date.parse(q.from) <= Date.parse(q.to), { message: 'from must not be after to', path: ['to'] });

export const verifyQuery = z.object({
  anchorSeq: z.coerce.number().int().positive().optional().describe('Sequence number of a head hash kept outside the database'),
  anchorHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
}).refine((q) => (q.anchorSeq === undefined) === (q.anchorHash === undefined), { message: 'anchorSeq and anchorHash go together', path: ['anchorHash'] });

export const verifyResult = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  headSeq: z.number().int(),
  headHash: z.string(),
  unsealed: z.number().int(),
  firstBadSeq: z.number().int().optional(),
  problem: z.string().optional(),
  anchor: z.object({ seq: z.number().int(), expectedHash: z.string(), ok: z.boolean() }).optional(),
}).openapi('AuditVerifyResult');

/** Who did it: the API key, its role, organisation and person (role 'system' with nulls for the service itself). */
export const auditActorSchema = z.object({
  keyId: z.string().nullable(), role: z.string(), organization: z.string().nullable(),
  person: z.string().optional().describe('The person holding the key (events before persons were recorded have none)'),
}).openapi('AuditActor');

export const exportEventSchema = z.object({
  seq: z.number().int(),
  occurredAt: z.string(),
  actor: auditActorSchema,
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  data: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
}).openapi('AuditEvent', { description: 'One NDJSON line; the last line is {"manifest": {...}}' });
