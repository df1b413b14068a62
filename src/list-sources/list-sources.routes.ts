import { z } from 'zod';
import { auditActor } from '../auth/actor';
import { route, type RouteDef } from '../http/route';
import { listParams } from '../lists/lists.schemas';
import type { ListSourcesService } from './list-sources.service';
import { sourceBody, sourceView } from './list-sources.schemas';

export function listSourceRoutes(sources: ListSourcesService): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/v1/list-sources',
      tag: 'Lists',
      roles: ['admin', 'auditor'],
      summary: 'Every list source with the state of its checks (one request for the console)',
      responses: { 200: { description: 'Sources, by list id', schema: z.object({ items: z.array(sourceView) }) } },
      handler: async () => ({ status: 200, body: { items: await sources.all() } }),
    }),
    route({
      method: 'put',
      path: '/v1/lists/{listId}/source',
      tag: 'Lists',
      roles: ['admin'],
      params: listParams,
      body: sourceBody,
      summary: 'Set where a list is fetched from (creates the list when new); the first fetch starts at once',
      responses: { 200: { description: 'The source', schema: sourceView } },
      handler: async ({ params, body, actor }) => ({
        status: 200,
        body: await sources.put(auditActor(actor), params.listId, body),
      }),
    }),
    route({
      method: 'get',
      path: '/v1/lists/{listId}/source',
      tag: 'Lists',
      roles: ['admin', 'auditor'],
      params: listParams,
      summary: "A list's source and the state of its checks (never, ok, stale or failed)",
      responses: { 200: { description: 'The source', schema: sourceView } },
      handler: async ({ params }) => ({ status: 200, body: await sources.get(params.listId) }),
    }),
    route({
      method: 'post',
      path: '/v1/lists/{listId}/source/refresh',
      tag: 'Lists',
      roles: ['admin'],
      params: listParams,
      summary: 'Check the source now (in the background); poll the source or the versions for the result',
      responses: { 202: { description: 'Accepted', schema: sourceView } },
      handler: async ({ params, actor }) => ({
        status: 202,
        body: await sources.refresh(auditActor(actor), params.listId),
      }),
    }),
  ];
}
