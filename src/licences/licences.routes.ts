import { route, type RouteDef } from '../http/route';
import {
  licenceCreateSchema,
  licenceDetail,
  licenceList,
  licenceParams,
  licenceQuery,
  licenceRevokeSchema,
} from './licences.schemas';
import type { LicencesService } from './licences.service';

const WRITERS = ['admin', 'supervisor'] as const;
const READERS = ['admin', 'supervisor', 'reviewer', 'auditor'] as const;

export function licencesRoutes(licences: LicencesService): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/v1/licences',
      tag: 'Licences',
      roles: WRITERS,
      body: licenceCreateSchema,
      summary: 'Register a licence or permit (numbers are unique across the registry)',
      responses: {
        201: { description: 'The licence', schema: licenceDetail },
        409: { description: 'The number is already registered' },
      },
      handler: async ({ actor, body }) => ({ status: 201, body: await licences.create(actor, body) }),
    }),
    route({
      method: 'get',
      path: '/v1/licences',
      tag: 'Licences',
      roles: READERS,
      query: licenceQuery,
      summary: 'Licences, newest first, with their balance',
      responses: { 200: { description: 'A page', schema: licenceList } },
      handler: async ({ query }) => ({ status: 200, body: await licences.list(query) }),
    }),
    route({
      method: 'get',
      path: '/v1/licences/{id}',
      tag: 'Licences',
      roles: READERS,
      params: licenceParams,
      summary: 'A licence with its balance and the drawdowns of the releases made under it',
      responses: { 200: { description: 'The licence', schema: licenceDetail } },
      handler: async ({ params }) => ({ status: 200, body: await licences.get(params.id) }),
    }),
    route({
      method: 'post',
      path: '/v1/licences/{id}/revoke',
      tag: 'Licences',
      roles: WRITERS,
      params: licenceParams,
      body: licenceRevokeSchema,
      summary: 'Revoke a licence: later screenings citing it raise licence-revoked',
      responses: { 200: { description: 'The revoked licence', schema: licenceDetail } },
      handler: async ({ actor, params, body }) => ({
        status: 200,
        body: await licences.revoke(actor, params.id, body.reason),
      }),
    }),
  ];
}
