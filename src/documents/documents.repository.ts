import type { EntityManager } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor';
import { isUuid } from '../http/pagination';
import type { DocumentView } from './documents.schemas';

/** The declaration_documents and declaration_document_chunks tables: every query of documents is here. */

interface DocumentRow {
  id: string;
  organization: string;
  declaration_id: string;
  filename: string | null;
  content_type: string;
  size: string;
  sha256: string;
  uploaded_by: string;
  uploaded_by_person: string | null;
  uploaded_by_role: string;
  created_at: Date;
  chunks: number;
}

const COLUMNS = `d.id, d.organization, d.declaration_id, d.filename, d.content_type, d.size, d.sha256, d.uploaded_by, d.uploaded_by_person,
  d.uploaded_by_role, d.created_at`;

export function documentView(r: DocumentRow): DocumentView {
  return {
    id: r.id,
    declarationId: r.declaration_id,
    filename: r.filename,
    contentType: r.content_type,
    size: Number(r.size),
    sha256: r.sha256,
    uploadedBy: { keyId: r.uploaded_by, person: r.uploaded_by_person, role: r.uploaded_by_role },
    createdAt: r.created_at.toISOString(),
  };
}

export interface StoredDocument extends DocumentView {
  organization: string;
  chunks: number;
}

export async function insertDocument(
  m: EntityManager,
  doc: {
    organization: string;
    declarationId: string;
    filename: string | null;
    contentType: string;
    size: number;
    sha256: string;
    uploadedBy: AuditActor & { keyId: string };
  },
): Promise<DocumentView> {
  const [row]: DocumentRow[] = await m.query(
    `INSERT INTO declaration_documents AS d (organization, declaration_id, filename, content_type, size, sha256, uploaded_by, uploaded_by_person, uploaded_by_role)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
    [
      doc.organization,
      doc.declarationId,
      doc.filename,
      doc.contentType,
      doc.size,
      doc.sha256,
      doc.uploadedBy.keyId,
      doc.uploadedBy.person ?? null,
      doc.uploadedBy.role,
    ],
  );
  return documentView(row);
}

/** One row per chunk, in order, inside the caller's transaction (the document and its bytes commit together). */
export async function insertChunks(m: EntityManager, documentId: string, chunks: Buffer[]): Promise<void> {
  for (let seq = 0; seq < chunks.length; seq++) {
    await m.query(`INSERT INTO declaration_document_chunks (document_id, seq, data) VALUES ($1, $2, $3)`, [
      documentId,
      seq,
      chunks[seq],
    ]);
  }
}

/** A declaration's documents, oldest first; `brokerOnly`: only those a broker uploaded (what a broker may see). */
export async function listDocuments(
  m: EntityManager,
  declarationId: string,
  brokerOnly = false,
): Promise<DocumentView[]> {
  const rows: DocumentRow[] = await m.query(
    `SELECT ${COLUMNS} FROM declaration_documents d WHERE d.declaration_id = $1 ${brokerOnly ? `AND d.uploaded_by_role = 'broker'` : ''} ORDER BY d.created_at, d.id`,
    [declarationId],
  );
  return rows.map(documentView);
}

/** One document of the declaration with its chunk count, or undefined. */
export async function readDocument(
  m: EntityManager,
  declarationId: string,
  documentId: string,
): Promise<StoredDocument | undefined> {
  const [row]: DocumentRow[] = await m.query(
    `SELECT ${COLUMNS}, (SELECT count(*)::int FROM declaration_document_chunks c WHERE c.document_id = d.id) AS chunks
     FROM declaration_documents d WHERE d.id = $1 AND d.declaration_id = $2`,
    [documentId, declarationId],
  );
  return row ? { ...documentView(row), organization: row.organization, chunks: row.chunks } : undefined;
}

export async function readChunk(m: EntityManager, documentId: string, seq: number): Promise<Buffer> {
  const [row]: { data: Buffer }[] = await m.query(
    `SELECT data FROM declaration_document_chunks WHERE document_id = $1 AND seq = $2`,
    [documentId, seq],
  );
  if (!row) throw new Error(`document ${documentId} has no chunk ${seq}`);
  return row.data;
}

/**
 * For features that cite documents (a broker's response to a request for information): which of `ids` are documents
 * of this declaration. The caller compares the answer with what it was sent; an id of another declaration (or of
 * another organisation's) is simply not returned.
 */
export async function documentsOfDeclaration(
  m: EntityManager,
  declarationId: string,
  ids: readonly string[],
): Promise<DocumentView[]> {
  const uuids = ids.filter(isUuid);
  if (uuids.length === 0) return [];
  const rows: DocumentRow[] = await m.query(
    `SELECT ${COLUMNS} FROM declaration_documents d WHERE d.declaration_id = $1 AND d.id = ANY($2::uuid[]) ORDER BY d.created_at, d.id`,
    [declarationId, uuids],
  );
  return rows.map(documentView);
}

/**
 * The ids among `ids` that are documents the broker side uploaded to this declaration. What reviewers and supervisors
 * attach is part of the review, which the broker neither sees nor cites.
 */
export async function brokerDocumentIds(m: EntityManager, declarationId: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows: { id: string }[] = await m.query(
    `SELECT id::text AS id FROM declaration_documents WHERE declaration_id = $1 AND id = ANY($2::uuid[]) AND uploaded_by_role = 'broker'`,
    [declarationId, ids],
  );
  return new Set(rows.map((r) => r.id));
}

/** Filename, type and size of documents a broker's answer cites (src/information-requests). */
export interface DocumentRef {
  id: string;
  filename: string | null;
  content_type: string;
  size: string;
}

export async function documentRefs(m: EntityManager, ids: string[]): Promise<Map<string, DocumentRef>> {
  if (!ids.length) return new Map();
  const rows: DocumentRef[] = await m.query(
    `SELECT id::text AS id, filename, content_type, size FROM declaration_documents WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r]));
}
