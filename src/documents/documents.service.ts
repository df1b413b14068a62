import type { Request } from 'express';
import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit } from '../audit/audit.service';
import { auditActor } from '../auth/actor';
import { type Actor } from '../http/actor';
import type { UnitOfWork } from '../db/unit-of-work';
import { NotFoundError } from '../http/errors';
import { streamSingleFile } from '../http/multipart';
import {
  insertChunks,
  insertDocument,
  listDocuments,
  readChunk,
  readDocument,
  type StoredDocument,
} from './documents.repository';
import type { DocumentView } from './documents.schemas';
import { ReceivedDocument } from './received-document';

export interface DocumentsOptions {
  maxBytes: number;
  types: readonly string[];
  /** The organisation a declaration belongs to (src/declarations owns that table; the composition root passes it). */
  declarationOrganization(m: EntityManager, declarationId: string): Promise<string | undefined>;
}

/**
 * Documents attached to a declaration: uploaded by its broker or by the authority, stored in PostgreSQL in chunks.
 * A broker reaches only its own organisation's declarations (another's is 404, as if it did not exist) and only the
 * documents a broker uploaded: what the authority attaches belongs to the review.
 */
export class DocumentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly options: DocumentsOptions,
  ) {}

  /** Reads the multipart upload as it arrives, then stores the document, its chunks and its audit event in one transaction. */
  async upload(actor: Actor, declarationId: string, req: Request): Promise<DocumentView> {
    const organization = await this.reachable(actor, declarationId);
    if (!organization) {
      req.resume();
      throw new NotFoundError('Declaration');
    }
    const received = new ReceivedDocument(this.options.types);
    const file = await streamSingleFile(req, { field: 'file', maxBytes: this.options.maxBytes }, (piece) =>
      received.add(piece),
    );
    const content = received.finish();
    return this.uow.run(async (m) => {
      const doc = await insertDocument(m, {
        organization,
        declarationId,
        filename: file.filename || null,
        contentType: content.contentType,
        size: content.size,
        sha256: content.sha256,
        uploadedBy: { ...auditActor(actor), keyId: actor.keyId },
      });
      await insertChunks(m, doc.id, content.chunks);
      await recordAudit(m, auditActor(actor), {
        action: 'declaration.document_added',
        subjectType: 'declaration',
        subjectId: declarationId,
        data: {
          documentId: doc.id,
          sha256: doc.sha256,
          size: doc.size,
          contentType: doc.contentType,
          filename: doc.filename,
          declaredType: file.declaredType || null,
        },
      });
      return doc;
    });
  }

  /** The documents of a declaration the caller may read, oldest first. */
  async list(actor: Actor, declarationId: string): Promise<DocumentView[]> {
    if (!(await this.reachable(actor, declarationId))) throw new NotFoundError('Declaration');
    return listDocuments(this.dataSource.manager, declarationId, actor.role === 'broker');
  }

  /** Every document of a declaration, for the authority's views (case, internal declaration view). */
  forDeclaration(declarationId: string): Promise<DocumentView[]> {
    return listDocuments(this.dataSource.manager, declarationId);
  }

  /** One document's description (the download's headers); 404 where the caller may not read it. */
  async open(actor: Actor, declarationId: string, documentId: string): Promise<StoredDocument> {
    if (!(await this.reachable(actor, declarationId))) throw new NotFoundError('Declaration');
    const doc = await readDocument(this.dataSource.manager, declarationId, documentId);
    if (!doc || (actor.role === 'broker' && doc.uploadedBy.role !== 'broker')) throw new NotFoundError('Document');
    return doc;
  }

  /** The document's bytes, one stored chunk at a time (never the whole document in memory). */
  async *bytes(doc: StoredDocument): AsyncGenerator<Buffer> {
    for (let seq = 0; seq < doc.chunks; seq++) yield await readChunk(this.dataSource.manager, doc.id, seq);
  }

  /** The declaration's organisation when the caller may reach it, else undefined. */
  private async reachable(actor: Actor, declarationId: string): Promise<string | undefined> {
    const organization = await this.options.declarationOrganization(this.dataSource.manager, declarationId);
    if (!organization || (actor.role === 'broker' && organization !== actor.organization)) return undefined;
    return organization;
  }
}
