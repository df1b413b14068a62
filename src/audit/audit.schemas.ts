import { z } from 'zod';
import '../http/openapi';

export const exportQuery = z
  .object({
    from: z.iso.datetime({ offset: true }).optional().describe('Events at or after this instant'),
    to: z.iso.datetime({ offset: true }).optional().describe('Events before this instant'),
    action: z.string().max(100).optional().describe('Only this action, e.g. api_key.created'),
    type: z.string().max(100).optional().describe('Alias of action'),
    subjectId: z.string().max(200).optional(),
    declarationId: z.string().max(200).optional().describe('Alias of subjectId'),
    format: z.enum(['ndjson', 'csv']).optional().describe('Overrides the Accept header (handy for download links)'),
  })
  .refine((q) => !(q.from && q.to) || Date.parse(q.from) <= Date.parse(q.to), {
    message: 'from must not be after to',
    path: ['to'],
  });

/** "true"/"1" or "false"/"0"; a query string has no booleans. */
const queryBool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const verifyQuery = z
  .object({
    full: queryBool
      .optional()
      .describe('Rehash the whole chain from genesis instead of from the last confirmed checkpoint'),
    anchorSeq: z.coerce
      .number()
      .int()
      .positive()
      .optional()
      .describe('Sequence number of a head hash kept outside the database'),
    anchorHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .refine((q) => (q.anchorSeq === undefined) === (q.anchorHash === undefined), {
    message: 'anchorSeq and anchorHash go together',
    path: ['anchorHash'],
  });

export const checkpointView = z
  .object({
    seq: z.number().int().describe('The chain position the signature covers'),
    hash: z.string().describe('The hash of event `seq` (the chain head when signed)'),
    signedAt: z.string().describe('ISO instant, millisecond precision, exactly as signed'),
    keyId: z.string().describe('First 16 hex digits of the SHA-256 of the public key DER'),
    publicKey: z
      .string()
      .describe('Base64 SubjectPublicKeyInfo DER of the Ed25519 key; trust it only if it is the key you were given'),
    signature: z.string().describe('Base64 Ed25519 signature of `dus-audit-checkpoint:v1:<seq>:<hash>:<signedAt>`'),
    reason: z.enum(['scheduled', 'export', 'verify']),
  })
  .openapi('AuditCheckpoint');

export const checkpointList = z
  .object({ items: z.array(checkpointView), nextCursor: z.string().nullable() })
  .openapi('AuditCheckpointList');

export const verifyResult = z
  .object({
    ok: z.boolean(),
    checked: z.number().int().describe('Events rehashed by this call'),
    headSeq: z.number().int(),
    headHash: z.string(),
    unsealed: z.number().int(),
    mode: z.enum(['full', 'incremental']),
    fromSeq: z.number().int().describe('First event rehashed'),
    checkpointsChecked: z.number().int(),
    checkpoint: checkpointView.optional().describe('The signed checkpoint at the verified head'),
    firstBadSeq: z.number().int().optional(),
    problem: z.string().optional(),
    anchor: z.object({ seq: z.number().int(), expectedHash: z.string(), ok: z.boolean() }).optional(),
  })
  .openapi('AuditVerifyResult');

/** Who did it: the API key, its role, organisation and person (role 'system' with nulls for the service itself). */
export const auditActorSchema = z
  .object({
    keyId: z.string().nullable(),
    role: z.string(),
    organization: z.string().nullable(),
    person: z
      .string()
      .optional()
      .describe('The person holding the key (events before persons were recorded have none)'),
  })
  .openapi('AuditActor');

/** An audit event as a case or declaration history shows it (sealing may not have given it a seq yet). */
export const historyEventSchema = z.object({
  seq: z.union([z.string(), z.number()]).nullable(),
  occurredAt: z.string(),
  actor: auditActorSchema,
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  data: z.record(z.string(), z.unknown()),
});

export const exportEventSchema = historyEventSchema
  .extend({
    seq: z.number().int(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi('AuditEvent', { description: 'One NDJSON line; the last line is {"manifest": {...}}' });

export type AuditActorView = z.infer<typeof auditActorSchema>;
export type HistoryEvent = z.infer<typeof historyEventSchema>;
export type VerifyResult = z.infer<typeof verifyResult>;
