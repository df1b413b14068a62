import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Internal notes on a review case (issue 12), and immutability for the document bytes stored by 1764191400000.
 * Notes are part of the record of a review: append-only, like the audit log (no UPDATE, DELETE or TRUNCATE).
 */
export class CaseNotes1764191600000 implements MigrationInterface {
  name = 'CaseNotes1764191600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_notes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES review_cases (id),
        text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 4000),
        author_key_id uuid NOT NULL,
        author_person text NULL,
        author_role text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp())
      )`);
    await q.query(`CREATE INDEX case_notes_by_case ON case_notes (case_id, created_at DESC, id DESC)`);
    await q.query(`CREATE TRIGGER case_notes_append_only BEFORE UPDATE OR DELETE ON case_notes
      FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
    await q.query(`CREATE TRIGGER case_notes_no_truncate BEFORE TRUNCATE ON case_notes
      FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`);
    // A document's sha256 is its ETag and is in the audit log: the bytes and what describes them never change.
    // (Other columns stay updatable for features that annotate documents.)
    await q.query(`CREATE TRIGGER declaration_document_chunks_immutable BEFORE UPDATE ON declaration_document_chunks
      FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
    await q.query(`CREATE TRIGGER declaration_documents_immutable
      BEFORE UPDATE OF declaration_id, organization, content_type, size, sha256 ON declaration_documents
      FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
    await q.query(`CREATE TRIGGER declaration_documents_no_truncate BEFORE TRUNCATE ON declaration_documents
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_delete()`);
    await q.query(`CREATE TRIGGER declaration_document_chunks_no_truncate BEFORE TRUNCATE ON declaration_document_chunks
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_delete()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER declaration_document_chunks_no_truncate ON declaration_document_chunks`);
    await q.query(`DROP TRIGGER declaration_documents_no_truncate ON declaration_documents`);
    await q.query(`DROP TRIGGER declaration_documents_immutable ON declaration_documents`);
    await q.query(`DROP TRIGGER declaration_document_chunks_immutable ON declaration_document_chunks`);
    await q.query(`DROP TABLE case_notes`);
  }
}
