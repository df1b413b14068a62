import { z } from 'zod';
import '../http/openapi';

/** The declaration whose documents a route lists or receives (documents sits below declarations: no import of it). */
export const declarationParams = z.object({ id: z.string().uuid() });
export const documentParams = z.object({ id: z.string().uuid(), documentId: z.string().uuid() });

export const documentView = z
  .object({
    id: z.string().uuid(),
    declarationId: z.string().uuid(),
    filename: z.string().nullable().describe('The name the uploader gave the file (informational only)'),
    contentType: z.string().describe('Sniffed from the bytes, whatever the name or the declared type said'),
    size: z.number().int().describe('Bytes'),
    sha256: z.string().describe("Hex SHA-256 of the bytes; also the download's ETag"),
    uploadedBy: z.object({ keyId: z.string(), person: z.string().nullable(), role: z.string() }),
    createdAt: z.string(),
  })
  .openapi('DeclarationDocument');
export type DocumentView = z.output<typeof documentView>;

/*
 * The broker's view of a document: what it is, not who uploaded it. Brokers only ever see documents their own
 * organisation uploaded (what the authority attaches is part of the review), so there is nothing more to tell.
 */
export const brokerDocumentView = documentView.omit({ uploadedBy: true }).openapi('BrokerDeclarationDocument');

export const documentList = z
  .object({ items: z.array(documentView).describe('Oldest first') })
  .openapi('DeclarationDocumentList');
export const brokerDocumentList = z
  .object({ items: z.array(brokerDocumentView).describe('Oldest first') })
  .openapi('BrokerDeclarationDocumentList');

export const documentUpload = z
  .object({
    file: z
      .string()
      .openapi({ type: 'string', format: 'binary' })
      .describe('The file; its type is sniffed from its bytes'),
  })
  .openapi('DeclarationDocumentUpload');
