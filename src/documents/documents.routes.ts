import { once } from 'node:events';
import type { Response } from 'express';
import { z } from 'zod';
import { route, type RouteDef } from '../http/route';
import {
  brokerDocumentList,
  brokerDocumentView,
  declarationParams,
  documentList,
  documentParams,
  documentUpload,
  documentView,
} from './documents.schemas';
import type { DocumentsService } from './documents.service';
import type { StoredDocument } from './documents.repository';

const UPLOADERS = ['broker', 'reviewer', 'supervisor'] as const;
const READERS = ['broker', 'reviewer', 'supervisor', 'auditor'] as const;
const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/tiff': 'tif',
  'application/xml': 'xml',
};

/** attachment, with an ASCII fallback name and the exact name in RFC 5987 form (names come from uploaders: any Unicode). */
export function contentDisposition(doc: Pick<StoredDocument, 'id' | 'filename' | 'contentType'>): string {
  const name = doc.filename || `${doc.id}.${EXTENSIONS[doc.contentType] ?? 'bin'}`;
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

async function send(res: Response, chunks: AsyncIterable<Buffer>): Promise<void> {
  for await (const chunk of chunks) {
    // The client went away: stop reading chunks from the database.
    if (res.destroyed) return;
    if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
  res.end();
}

export function documentsRoutes(documents: DocumentsService): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/v1/declarations/{id}/documents',
      tag: 'Documents',
      roles: UPLOADERS,
      params: declarationParams,
      summary:
        'Attach a document to a declaration (multipart, one file part named file): stored with its SHA-256; its type is sniffed from the bytes',
      rawBody: { contentType: 'multipart/form-data', schema: documentUpload },
      responses: {
        201: {
          description: 'Stored (brokers get BrokerDeclarationDocument)',
          schema: z.union([brokerDocumentView, documentView]),
        },
        400: { description: 'No file part named file, an empty file, another part, or a bad file name' },
        404: { description: "No such declaration in the caller's reach" },
        413: { description: 'The file is larger than DOCUMENT_MAX_BYTES; nothing is stored' },
        415: {
          description:
            'document_type_not_allowed: the bytes are not an allowed type (whatever the name or declared type says)',
        },
      },
      handler: async ({ actor, params, req }) => {
        const doc = await documents.upload(actor, params.id, req);
        const body = actor.role === 'broker' ? brokerDocumentView.parse(doc) : documentView.parse(doc);
        return { status: 201, body, headers: { Location: `/v1/declarations/${params.id}/documents/${doc.id}` } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/declarations/{id}/documents',
      tag: 'Documents',
      roles: READERS,
      params: declarationParams,
      summary:
        'The documents of a declaration (descriptions, oldest first); a broker sees those its organisation uploaded',
      responses: {
        200: {
          description: 'The documents (brokers get BrokerDeclarationDocumentList)',
          schema: z.union([brokerDocumentList, documentList]),
        },
      },
      handler: async ({ actor, params }) => {
        const items = await documents.list(actor, params.id);
        return {
          status: 200,
          body: actor.role === 'broker' ? brokerDocumentList.parse({ items }) : documentList.parse({ items }),
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/declarations/{id}/documents/{documentId}',
      tag: 'Documents',
      roles: READERS,
      params: documentParams,
      summary:
        'Download a document: its bytes, streamed chunk by chunk, as an attachment of its sniffed type; ETag is its SHA-256',
      responses: {
        200: {
          description: 'The bytes',
          schema: z.string().describe('binary'),
          contentType: 'application/octet-stream',
        },
        304: { description: "If-None-Match named the document's ETag" },
        404: { description: "No such declaration or document in the caller's reach" },
      },
      handler: async ({ actor, params, req, res }) => {
        const doc = await documents.open(actor, params.id, params.documentId);
        const etag = `"${doc.sha256}"`;
        res.set('ETag', etag);
        if (
          (req.get('if-none-match') ?? '')
            .split(',')
            .map((t) => t.trim())
            .includes(etag)
        )
          return { status: 304 };
        res.status(200).set({
          'Content-Type': doc.contentType,
          'Content-Length': String(doc.size),
          'Content-Disposition': contentDisposition(doc),
          'X-Content-Type-Options': 'nosniff',
        });
        // HEAD (express routes it here) has the headers and no body: no chunk is read.
        if (req.method === 'HEAD') {
          res.end();
          return;
        }
        await send(res, documents.bytes(doc));
      },
    }),
  ];
}
