import { z } from 'zod';
import { BadRequestError } from '../http/errors';
import { route, type RouteDef } from '../http/route';
import type { BatchesService } from './batches.service';
import {
  batchAccepted, batchSchema, batchView, brokerDeclarationDetail, declarationDetail, declarationList, declarationSchema, idParams, listQuery, submitResponse,
} from './declarations.schemas';
import type { DeclarationsService } from './declarations.service';
import { searchFilters } from './search-filter';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const READERS = ['broker', 'reviewer', 'supervisor', 'auditor'] as const;
const declarationsQuery = listQuery.extend(searchFilters.shape);

// Every answer is parsed through its response schema: zod drops keys a schema does not list, so nothing internal slips
// out to a broker unlisted (and the OpenAPI document is the same schema).

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
        // A fresh answer was parsed through submitResponse by the writer (that is the text stored for replays).
        return { status: answer.status, body: answer.brokerView ? answer.body : submitResponse.parse(answer.body), headers: { 'Idempotency-Replayed': String(answer.replayed), Location: `/v1/declarations/${answer.body.id}` } };
      },
    }),
    route({
      method: 'get', path: '/v1/declarations', tag: 'Declarations', roles: READERS, query: declarationsQuery,
      summary: 'Declarations newest first (brokers see their own organisation only); search by party, identifier, hsCode, country, organization, listEntry',
      responses: { 200: { description: 'A page', schema: declarationList }, 400: { description: 'A bad filter value, or a broker naming another organisation' } },
      handler: async ({ actor, query }) => ({ status: 200, body: declarationList.parse(await declarations.list(actor, query)) }),
    }),
    route({
      method: 'get', path: '/v1/declarations/{id}', tag: 'Declarations', roles: READERS, params: idParams,
      summary: 'A declaration with its status, screenings and final decision; reviewers, supervisors and auditors also get its case and history',
      responses: {
        200: {
          description: 'BrokerDeclaration for the owner broker (its answer, never the review); DeclarationDetail for the customs authority',
          schema: z.union([brokerDeclarationDetail, declarationDetail]),
        },
      },
      handler: async ({ actor, params }) => {
        const full = await declarations.get(actor, params.id);
        return { status: 200, body: actor.role === 'broker' ? brokerDeclarationDetail.parse(full) : declarationDetail.parse(full) };
      },
    }),
    route({
      method: 'post', path: '/v1/declarations/batch', tag: 'Declarations', roles: ['broker'], body: batchSchema, bodySize: 'batch',
      rateUnits: (b) => b.declarations.length,
      summary: 'Submit up to 1,000 declarations; screened by background workers',
      responses: { 202: { description: 'Accepted', schema: batchAccepted } },
      handler: async ({ actor, body }) => {
        const accepted = batchAccepted.parse(await batches.create(actor, body.declarations));
        return { status: 202, body: accepted, headers: { Location: `/v1/batches/${accepted.batchId}` } };
      },
    }),
    route({
      method: 'get', path: '/v1/batches/{id}', tag: 'Declarations', roles: ['broker'], params: idParams,
      summary: 'Progress of a batch: status, total, processed, and each finished item',
      responses: { 200: { description: 'The batch', schema: batchView } },
      handler: async ({ actor, params }) => ({ status: 200, body: batchView.parse(await batches.get(actor, params.id)) }),
    }),
  ];
}
