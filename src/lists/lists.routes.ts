import { z } from 'zod';
import { auditActor } from '../auth/actor';
import { ROLES } from '../http/actor';
import { ValidationError } from '../http/errors';
import { readMultipart } from '../http/multipart';
import { fieldErrors, route, type RouteDef } from '../http/route';
import { normalizeHsCode } from '../screening/hs-code';
import type { HsNomenclature } from '../screening/hs-lookup';
import { FORMATS } from './importers';
import type { ListsService } from './lists.service';
import type { ReferenceIndex } from './reference-index';
import { paginationQuery } from '../http/pagination';
import {
  diffQuery,
  goodsParams,
  goodsResult,
  listParams,
  listView,
  uploadBody,
  uploadFields,
  versionDiff,
  versionParams,
  versionsPage,
  versionView,
} from './lists.schemas';

/** The most file parts any format takes (ofac-sdn-csv: sdn, alt, add and comments). */
const MAX_PARTS = Math.max(...Object.values(FORMATS).map((f) => f.parts.length));

export interface ListsRoutesDeps {
  lists: ListsService;
  index: ReferenceIndex;
  hs: HsNomenclature;
  uploadLimitBytes: number;
}

export function listsRoutes({ lists, index, hs, uploadLimitBytes }: ListsRoutesDeps): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/v1/lists',
      tag: 'Lists',
      summary: 'Every list with its active version',
      roles: ['admin', 'auditor', 'supervisor', 'reviewer'],
      responses: { 200: { description: 'Lists', schema: z.object({ items: z.array(listView) }) } },
      handler: async () => ({ status: 200, body: { items: await lists.listLists() } }),
    }),
    route({
      method: 'post',
      path: '/v1/lists/{listId}/versions',
      tag: 'Lists',
      roles: ['admin'],
      params: listParams,
      summary: 'Upload a new version of a list (multipart); it is imported in the background and activated when valid',
      rawBody: { contentType: 'multipart/form-data', schema: uploadBody },
      responses: {
        202: {
          description: 'Accepted; poll the version for its status',
          schema: z.object({ versionId: z.string(), status: z.string() }),
        },
      },
      handler: async ({ params, req, actor }) => {
        const form = await readMultipart(req, { totalBytes: uploadLimitBytes, files: MAX_PARTS, fields: 5 });
        const fields = uploadFields.safeParse(form.fields);
        if (!fields.success) throw new ValidationError(fieldErrors('body', fields.error));
        const names = form.files.map((f) => f.name);
        const dup = names.find((n, i) => names.indexOf(n) !== i);
        if (dup) throw new ValidationError([{ path: `body.${dup}`, message: 'file part given twice' }]);
        const empty = form.files.find((f) => f.content.length === 0);
        if (empty) throw new ValidationError([{ path: `body.${empty.name}`, message: 'file part is empty' }]);
        const version = await lists.createVersion(
          auditActor(actor),
          { listId: params.listId, ...fields.data, source: 'upload' },
          form.files,
        );
        return {
          status: 202,
          body: { versionId: version.id, status: version.status },
          headers: { Location: `/v1/lists/${params.listId}/versions/${version.id}` },
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/lists/{listId}/versions',
      tag: 'Lists',
      summary: 'The versions of a list, newest first',
      roles: ['admin', 'auditor', 'supervisor', 'reviewer'],
      params: listParams,
      query: paginationQuery,
      responses: { 200: { description: 'Versions, newest first', schema: versionsPage } },
      handler: async ({ params, query }) => ({ status: 200, body: await lists.listVersions(params.listId, query) }),
    }),
    route({
      method: 'post',
      path: '/v1/lists/{listId}/versions/{versionId}/activate',
      tag: 'Lists',
      roles: ['admin'],
      params: versionParams,
      summary:
        'Activate a held version, or an older superseded one (rollback); starts delta re-screening against the version it replaces',
      responses: {
        200: { description: 'The version, now active', schema: versionView },
        409: {
          description:
            'The version is importing (version_importing), failed (version_failed) or already active (version_already_active)',
        },
      },
      handler: async ({ params, actor }) => ({
        status: 200,
        body: await lists.activateVersion(auditActor(actor), params.listId, params.versionId),
      }),
    }),
    route({
      method: 'get',
      path: '/v1/lists/{listId}/versions/{versionId}/diff',
      tag: 'Lists',
      roles: ['admin', 'auditor', 'supervisor'],
      summary:
        'Entries a version adds, removes and changes relative to another (default: the version it replaced), paged by entry id',
      params: versionParams,
      query: diffQuery,
      responses: { 200: { description: 'The difference', schema: versionDiff } },
      handler: async ({ params, query }) => ({
        status: 200,
        body: await lists.diff(params.listId, params.versionId, query),
      }),
    }),
    route({
      method: 'get',
      path: '/v1/lists/{listId}/versions/{versionId}',
      tag: 'Lists',
      summary: 'One version: status, counts, digest, error',
      roles: ['admin', 'auditor', 'supervisor', 'reviewer'],
      params: versionParams,
      responses: { 200: { description: 'The version', schema: versionView } },
      handler: async ({ params }) => ({ status: 200, body: await lists.getVersion(params.listId, params.versionId) }),
    }),
    route({
      method: 'get',
      path: '/v1/goods/{code}',
      tag: 'Screening',
      summary: 'The active goods-list entries an HS code hits (prefix rule)',
      roles: ROLES,
      params: goodsParams,
      responses: {
        200: { description: 'Entries hit by the code', schema: goodsResult },
        503: { description: 'A list version was just activated and this process is still loading it (Retry-After)' },
      },
      handler: async ({ params }) => {
        const normalized = normalizeHsCode(params.code);
        if (!normalized.ok) throw new ValidationError([{ path: 'params.code', message: normalized.message }]);
        const known = hs.lookup(normalized.code);
        const lists = await index.current();
        return {
          status: 200,
          body: {
            code: normalized.code,
            known: known.exists,
            description: known.description ?? null,
            entries: lists.goodsFor(normalized.code).map((g) => ({
              listId: g.listId,
              versionId: g.versionId,
              prefix: g.prefix,
              severity: g.severity,
              label: g.label,
              source: g.source ?? null,
            })),
          },
        };
      },
    }),
  ];
}
