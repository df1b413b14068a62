import { paginationQuery } from '../http/pagination';
import { route, type RouteDef } from '../http/route';
import { createdWebhook, createWebhookBody, deliveryList, webhookIdParams, webhookList } from './webhooks.schemas';
import type { WebhooksService } from './webhooks.service';

const ROLES = ['broker', 'admin'] as const;

export function webhookRoutes(webhooks: WebhooksService): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/v1/webhooks',
      tag: 'Webhooks',
      summary: 'Register a webhook: signed POSTs on the chosen events (the signing secret is shown once)',
      roles: ROLES,
      body: createWebhookBody,
      responses: {
        201: { description: 'Created', schema: createdWebhook },
        409: { description: 'webhook_limit_reached: the organisation has WEBHOOKS_PER_ORGANIZATION webhooks already' },
      },
      handler: async ({ actor, body }) => ({ status: 201, body: await webhooks.create(actor, body) }),
    }),
    route({
      method: 'get',
      path: '/v1/webhooks',
      tag: 'Webhooks',
      summary: 'List webhooks (never their secrets)',
      roles: ROLES,
      query: paginationQuery,
      responses: { 200: { description: 'Webhooks, newest first', schema: webhookList } },
      handler: async ({ actor, query }) => ({
        status: 200,
        body: await webhooks.list(actor, query.limit, query.cursor),
      }),
    }),
    route({
      method: 'delete',
      path: '/v1/webhooks/{id}',
      tag: 'Webhooks',
      summary: 'Delete a webhook; its pending deliveries stop',
      roles: ROLES,
      params: webhookIdParams,
      responses: { 204: { description: 'Deleted' } },
      handler: async ({ actor, params }) => {
        await webhooks.remove(actor, params.id);
        return { status: 204 };
      },
    }),
    route({
      method: 'get',
      path: '/v1/webhooks/{id}/deliveries',
      tag: 'Webhooks',
      summary: "A webhook's deliveries, newest first, with status and attempts",
      roles: ROLES,
      params: webhookIdParams,
      query: paginationQuery,
      responses: { 200: { description: 'Deliveries, newest first', schema: deliveryList } },
      handler: async ({ actor, params, query }) => ({
        status: 200,
        body: await webhooks.deliveries(actor, params.id, query.limit, query.cursor),
      }),
    }),
  ];
}
