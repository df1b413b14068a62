import { z } from 'zod';
import { BadRequestError } from '../http/errors';
import { route, type RouteDef } from '../http/route';
import type { BatchesService } from './batches.service';
import { batchSchema, declarationSchema, idParams, listQuery, screeningSchema, submitResponse } from './declarations.schemas';
import type { DeclarationsService } from './declarations.service';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const READERS = ['broker', 'reviewer', 'supervisor', 'auditor'] as const;

const declarationView = z.object({
  id: z.string(), reference: z.string(), organization: z.string(), procedure: z.string(), status: z.string(),
  outcome: z.string().nullable(), riskScore: z.number().nullable(), batchId: z.string().nullable(), createdAt: z.string(), updatedAt: z.string(),
}).openapi('DeclarationSummary');

export function declarationsRoutes(declarations: DeclarationsService, batches: BatchesService): RouteDef[] {
  return [
    route({
      method: 'post', path: '/v1/declarations', tag: 'Declarations', roles: ['broker'], body: declarationSchema,
      summary: 'Submit a declaration: screened at once (goods, parties, route); header Idempotency-Key required',
      responses: {
        201: { description: 'Stored and screened (a replay of the first answer carries Idempotency-Replayed: true)', schema: submitResponse },
        409: { description: 'The first request with this key is still in flight, or the reference exists' },
        422: { description: 'The key was used with another body' },
      },
      handler: async ({ actor, body, req }) => {
        const key = req.get('idempotency-key');
        if (!key) throw new BadRequestError('idempotency_key_required', 'Send an Idempotency-Key header (any unique string up to 200 printable characters) so a retry never files twice.');
        if (!IDEMPOTENCY_KEY.test(key)) throw new BadRequestError('idempotency_key_invalid', 'The Idempotency-Key must be 1-200 printable ASCII characters.');
        const answer = await declarations.submit(actor, key, body);
        return { status: answer.status, body: answer.body, headers: { 'Idempotency-Replayed': String(answer.replayed), Location: `/v1/declarations/${answer.body.id}` } };
      },
    }),
    route({
      method: 'get', path: '/v1/declarations', tag: 'Declarations', roles: READERS, query: listQuery,
      summary: 'Declarations newest first (brokers see their own organisation only)',
      responses: { 200: { description: 'A page', schema: z.object({ items: z.array(declarationView), nextCursor: z.string().nullable() }) } },
      handler: async ({ actor, query }) => ({ status: 200, body: await declarations.list(actor, query) }),
    }),
    route({
      method: 'get', path: '/v1/declarations/{id}', tag: 'Declarations', roles: READERS, params: idParams,
      summary: 'A declaration with its status, latest screening, case and history',
      responses: { 200: { description: 'The declaration', schema: declarationView.extend({ declaration: declarationSchema, screening: screeningSchema.nullable() }) } },
      handler: async ({ actor, params }) => ({ status: 200, body: await declarations.get(actor, params.id) }),
    }),
    route({
      method: 'post', path: '/v1/declarations/batch', tag: 'Declarations', roles: ['broker'], body: batchSchema, bodySize: 'batch',
      rateUnits: (b) => b.declarations.length,
      summary: 'Submit up to 1,000 declarations; screened by background workers',
      responses: { 202: { description: 'Accepted', schema: z.object({ batchId: z.string(), total: z.number(), invalid: z.number() }) } },
      handler: async ({ actor, body }) => {
        const accepted = await batches.create(actor, body.declarations);
        return { status: 202, body: accepted, headers: { Location: `/v1/batches/${accepted.batchId}` } };
      },
    }),
    route({
      method: 'get', path: '/v1/batches/{id}', tag: 'Declarations', roles: ['broker'], params: idParams,
      summary: 'Progress of a batch: status, total, processed, and each finished item',
      responses: { 200: { description: 'The batch', schema: z.object({ id: z.string(), status: z.enum(['queued', 'processing', 'completed', 'failed']), total: z.number(), processed: z.number(), error: z.string().optional().describe('Why a failed batch failed (the item that could not be screened)'), items: z.array(z.object({ index: z.number(), declarationId: z.string().optional(), error: z.unknown().optional() })) }) } },
      handler: async ({ actor, params }) => ({ status: 200, body: await batches.get(actor, params.id) }),
    }),
  ];
}
