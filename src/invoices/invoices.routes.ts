import { route, type RouteDef } from '../http/route';
import { invoiceIdParams, invoiceList, invoiceListQuery, invoiceSchema, invoiceView } from './invoices.schemas';
import type { InvoicesService } from './invoices.service';

/** Brokers file and read their own; the customs authority reads every organisation's, to review declarations. */
const READERS = ['broker', 'reviewer', 'supervisor', 'auditor'] as const;

export function invoicesRoutes(invoices: InvoicesService): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/v1/invoices',
      tag: 'Invoices',
      roles: ['broker'],
      body: invoiceSchema,
      summary:
        'File an electronic invoice (ESF) for your organisation; declarations cite it by number in invoiceNumbers',
      responses: {
        201: {
          description: 'Stored; open declarations that cite the number were re-screened against it',
          schema: invoiceView,
        },
        409: { description: 'Your organisation already filed an invoice with this number' },
      },
      handler: async ({ actor, body }) => {
        const { invoice } = await invoices.create(actor, body);
        return { status: 201, body: invoiceView.parse(invoice), headers: { Location: `/v1/invoices/${invoice.id}` } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/invoices',
      tag: 'Invoices',
      roles: READERS,
      query: invoiceListQuery,
      summary: 'Invoices newest first, without their lines (brokers see their own organisation only)',
      responses: { 200: { description: 'A page', schema: invoiceList } },
      handler: async ({ actor, query }) => ({
        status: 200,
        body: invoiceList.parse(await invoices.list(actor, query)),
      }),
    }),
    route({
      method: 'get',
      path: '/v1/invoices/{id}',
      tag: 'Invoices',
      roles: READERS,
      params: invoiceIdParams,
      summary: "One invoice with its lines (another organisation's is 404 for a broker)",
      responses: { 200: { description: 'The invoice', schema: invoiceView } },
      handler: async ({ actor, params }) => ({
        status: 200,
        body: invoiceView.parse(await invoices.get(actor, params.id)),
      }),
    }),
  ];
}
