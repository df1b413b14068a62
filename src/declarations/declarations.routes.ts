import { z } from 'zod';
import { route, type HeaderProblemParams, type RouteDef } from '../http/route';
import type { BatchesService } from './batches.service';
import {
  batchAccepted,
  batchSchema,
  batchView,
  brokerDeclarationDetail,
  declarationDetail,
  declarationList,
  idParams,
  listQuery,
  submitResponse,
} from './declarations.schemas';
import { declarationSchema } from '../screening/declaration-input';
import type { DeclarationsService } from './declarations.service';
import { searchFilters } from './search-filter';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** Its failures keep their own problem codes (idempotency_key_required, idempotency_key_invalid): clients branch on them. */
const submitHeaders = z.object({
  'Idempotency-Key': z
    .string()
    .optional()
    .superRefine((key, ctx) => {
      const problem = (code: string, message: string) =>
        ctx.addIssue({ code: 'custom', message, params: { problem: code } satisfies HeaderProblemParams });
      if (!key) {
        problem(
          'idempotency_key_required',
          'Send an Idempotency-Key header (any unique string up to 200 printable characters) so a retry never files twice.',
        );
      } else if (!IDEMPOTENCY_KEY.test(key)) {
        problem('idempotency_key_invalid', 'The Idempotency-Key must be 1-200 printable ASCII characters.');
      }
    })
    .transform((key) => key ?? '')
    .openapi({
      param: { required: true },
      description:
        'Any unique string of 1-200 printable ASCII characters; a retry with the same key and body replays the first answer',
    }),
});
const READERS = ['broker', 'reviewer', 'supervisor', 'auditor'] as const;
const declarationsQuery = listQuery.extend(searchFilters.shape);

// Every answer is parsed through its response schema: zod drops keys a schema does not list, so nothing internal slips
// out to a broker unlisted (and the OpenAPI document is the same schema).

export function declarationsRoutes(declarations: DeclarationsService, batches: BatchesService): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/v1/declarations',
      tag: 'Declarations',
      roles: ['broker'],
      body: declarationSchema,
      headers: submitHeaders,
      summary: 'Submit a declaration: screened at once (goods, parties, route); header Idempotency-Key required',
      responses: {
        201: {
          description: 'Stored and screened (a replay of the first answer carries Idempotency-Replayed: true)',
          schema: submitResponse,
        },
        409: { description: 'The first request with this key is still in flight, or the reference exists' },
        422: { description: 'The key was used with another body' },
      },
      handler: async ({ actor, body, headers }) => {
        const answer = await declarations.submit(actor, headers['Idempotency-Key'], body);
        // A fresh answer was parsed through submitResponse by the writer (that is the text stored for replays).
        const answerBody = answer.brokerView
          ? (answer.body as z.input<typeof submitResponse>)
          : submitResponse.parse(answer.body);
        return {
          status: answer.status,
          body: answerBody,
          headers: { 'Idempotency-Replayed': String(answer.replayed), Location: `/v1/declarations/${answer.body.id}` },
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/declarations',
      tag: 'Declarations',
      roles: READERS,
      query: declarationsQuery,
      summary:
        'Declarations newest first (brokers see their own organisation only); search by party, identifier, hsCode, country, organization, listEntry',
      responses: {
        200: { description: 'A page', schema: declarationList },
        400: { description: 'A bad filter value, or a broker naming another organisation' },
      },
      handler: async ({ actor, query }) => ({
        status: 200,
        body: declarationList.parse(await declarations.list(actor, query)),
      }),
    }),
    route({
      method: 'get',
      path: '/v1/declarations/{id}',
      tag: 'Declarations',
      roles: READERS,
      params: idParams,
      summary:
        'A declaration with its status, screenings and final decision; reviewers, supervisors and auditors also get its case and history',
      responses: {
        200: {
          description:
            'BrokerDeclaration for the owner broker (its answer, never the review); DeclarationDetail for the customs authority',
          schema: z.union([brokerDeclarationDetail, declarationDetail]),
        },
      },
      handler: async ({ actor, params }) => {
        const full = await declarations.get(actor, params.id);
        return {
          status: 200,
          body: actor.role === 'broker' ? brokerDeclarationDetail.parse(full) : declarationDetail.parse(full),
        };
      },
    }),
    route({
      method: 'post',
      path: '/v1/declarations/batch',
      tag: 'Declarations',
      roles: ['broker'],
      body: batchSchema,
      bodySize: 'batch',
      rateUnits: (b) => b.declarations.length,
      summary: 'Submit up to 1,000 declarations; screened by background workers',
      responses: { 202: { description: 'Accepted', schema: batchAccepted } },
      handler: async ({ actor, body }) => {
        const accepted = batchAccepted.parse(await batches.create(actor, body.declarations));
        return { status: 202, body: accepted, headers: { Location: `/v1/batches/${accepted.batchId}` } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/batches/{id}',
      tag: 'Declarations',
      roles: ['broker'],
      params: idParams,
      summary: 'Progress of a batch: status, total, processed, and each finished item',
      responses: { 200: { description: 'The batch', schema: batchView } },
      handler: async ({ actor, params }) => ({
        status: 200,
        body: batchView.parse(await batches.get(actor, params.id)),
      }),
    }),
  ];
}
