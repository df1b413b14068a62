import type { DataSource } from 'typeorm';
import { NotAcceptableError } from '../http/errors';
import { paginationQuery } from '../http/pagination';
import { route, type RouteDef } from '../http/route';
import { checkpointHead, listCheckpoints } from './audit-checkpoints';
import { exportEvents } from './audit-export';
import { type ExportFormat } from './audit.repository';
import { sealPending } from './audit-sealer';
import type { AuditSigner, TrustedKeys } from './audit-signing';
import { verifyChain } from './audit-verify';
import { checkpointList, exportEventSchema, exportQuery, verifyQuery, verifyResult } from './audit.schemas';

const CONTENT_TYPES: Record<ExportFormat, string> = { ndjson: 'application/x-ndjson', csv: 'text/csv' };

export interface AuditDeps {
  dataSource: DataSource;
  signer: AuditSigner;
  trusted: TrustedKeys;
}

export function auditRoutes({ dataSource, signer, trusted }: AuditDeps): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/v1/audit/events',
      tag: 'Audit',
      roles: ['auditor', 'admin'],
      query: exportQuery,
      summary:
        'Export the audit log (NDJSON or CSV by Accept), streamed, ending with a manifest naming a signed checkpoint',
      responses: {
        200: {
          description: 'Events in chain order, then the manifest',
          schema: exportEventSchema,
          contentType: 'application/x-ndjson',
        },
      },
      handler: async ({ query, req, res }) => {
        const format: ExportFormat | undefined =
          query.format ??
          (req.accepts(['application/x-ndjson', 'text/csv']) === 'text/csv'
            ? 'csv'
            : req.accepts(['application/x-ndjson', 'text/csv'])
              ? 'ndjson'
              : undefined);
        if (!format) throw new NotAcceptableError(Object.values(CONTENT_TYPES));
        // Include everything committed up to now, and sign the head the export stops at.
        await sealPending(dataSource, { wait: true });
        const checkpoint = await checkpointHead(dataSource, signer, 'export');
        res.status(200).type(CONTENT_TYPES[format]);
        res.setHeader(
          'Content-Disposition',
          `attachment; filename="audit-events.${format === 'csv' ? 'csv' : 'ndjson'}"`,
        );
        res.setHeader('Cache-Control', 'no-store');
        await exportEvents(
          dataSource,
          res,
          format,
          {
            from: query.from ? new Date(query.from) : undefined,
            to: query.to ? new Date(query.to) : undefined,
            action: query.action ?? query.type,
            subjectId: query.subjectId ?? query.declarationId,
          },
          checkpoint,
        );
        res.end();
      },
    }),
    route({
      method: 'get',
      path: '/v1/audit/verify',
      tag: 'Audit',
      roles: ['auditor', 'admin'],
      query: verifyQuery,
      summary:
        'Verify the hash chain against the signed checkpoints (from the last confirmed one, or ?full=true from genesis)',
      responses: { 200: { description: 'Verification result', schema: verifyResult } },
      handler: async ({ query }) => {
        await sealPending(dataSource, { wait: true });
        const anchor =
          query.anchorSeq !== undefined && query.anchorHash
            ? { seq: query.anchorSeq, hash: query.anchorHash }
            : undefined;
        return { status: 200, body: await verifyChain(dataSource, signer, trusted, { full: query.full, anchor }) };
      },
    }),
    route({
      method: 'get',
      path: '/v1/audit/checkpoints',
      tag: 'Audit',
      roles: ['auditor', 'admin'],
      query: paginationQuery,
      summary: 'Signed checkpoints of the chain head, newest first, to verify offline with the public key',
      responses: { 200: { description: 'A page of checkpoints', schema: checkpointList } },
      handler: async ({ query }) => ({
        status: 200,
        body: await listCheckpoints(dataSource, query.limit, query.cursor),
      }),
    }),
  ];
}
