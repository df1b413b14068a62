import { z } from 'zod';
import { route, type RouteDef } from '../http/route';
import { allowListEntryView, allowListParams, allowListQuery } from './allow-list.schemas';
import type { AllowListService } from './allow-list.service';

export function allowListRoutes(allowList: AllowListService): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/v1/allow-list',
      tag: 'Review',
      roles: ['admin', 'supervisor', 'auditor'],
      query: allowListQuery,
      summary: 'False-positive marks (party fingerprint x list entry), newest first',
      responses: {
        200: {
          description: 'A page',
          schema: z.object({ items: z.array(allowListEntryView), nextCursor: z.string().nullable() }),
        },
      },
      handler: async ({ query }) => ({ status: 200, body: await allowList.list(query) }),
    }),
    route({
      method: 'delete',
      path: '/v1/allow-list/{id}',
      tag: 'Review',
      roles: ['admin'],
      params: allowListParams,
      summary: 'Revoke a false-positive mark: later screenings count the hit again',
      responses: { 200: { description: 'The revoked entry', schema: allowListEntryView } },
      handler: async ({ actor, params }) => ({ status: 200, body: await allowList.revoke(actor, params.id) }),
    }),
  ];
}
