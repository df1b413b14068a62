import { paginationQuery } from '../http/pagination';
import { route, type RouteDef } from '../http/route';
import { ROLES } from '../http/actor';
import { apiKeyList, apiKeyView, createApiKeyBody, createdApiKey, idParams, whoAmI } from './api-keys.schemas';
import type { ApiKeysService } from './api-keys.service';

export function apiKeyRoutes(keys: ApiKeysService): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/v1/api-keys',
      tag: 'API keys',
      summary: 'Create an API key (the secret is shown once)',
      roles: ['admin'],
      body: createApiKeyBody,
      responses: { 201: { description: 'Created', schema: createdApiKey } },
      handler: async ({ actor, body }) => ({ status: 201, body: await keys.create(actor, body) }),
    }),
    route({
      method: 'get',
      path: '/v1/api-keys',
      tag: 'API keys',
      summary: 'List API keys (never their secrets)',
      roles: ['admin'],
      query: paginationQuery,
      responses: { 200: { description: 'Keys, newest first', schema: apiKeyList } },
      handler: async ({ query }) => ({ status: 200, body: await keys.list(query.limit, query.cursor) }),
    }),
    route({
      method: 'delete',
      path: '/v1/api-keys/{id}',
      tag: 'API keys',
      summary: 'Revoke an API key; it stops working at once',
      roles: ['admin'],
      params: idParams,
      responses: { 200: { description: 'Revoked', schema: apiKeyView } },
      handler: async ({ actor, params }) => ({ status: 200, body: await keys.revoke(actor, params.id) }),
    }),
    route({
      method: 'get',
      path: '/v1/me',
      tag: 'API keys',
      summary: 'The calling key: its name, role and organisation',
      roles: ROLES,
      responses: { 200: { description: 'The caller', schema: whoAmI } },
      handler: ({ actor }) => ({
        status: 200,
        body: {
          keyId: actor.keyId,
          name: actor.name,
          role: actor.role,
          organization: actor.organization,
          person: actor.person,
        },
      }),
    }),
  ];
}
