import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Documents attached to a declaration (issue 12): stored in PostgreSQL, in chunks of bytea rows, so that a database
 * backup holds them and a download can stream one chunk at a time. Kept like decisions: the database refuses deletes.
 */
export class CaseDocuments1764191400000 implements MigrationInterface {
  name = 'CaseDocuments1764191400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE declaration_documents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization text NOT NULL,
        declaration_id uuid NOT NULL REFERENCES declarations (id),
        filename text NULL,
        content_type text NOT NULL,
        size bigint NOT NULL CHECK (size >= 0),
        sha256 text NOT NULL,
        uploaded_by uuid NOT NULL,
        uploaded_by_person text NULL,
        uploaded_by_role text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX declaration_documents_by_declaration ON declaration_documents (declaration_id, created_at)`,
    );
    await q.query(`
      CREATE TABLE declaration_document_chunks (
        document_id uuid NOT NULL REFERENCES declaration_documents (id),
        seq int NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (document_id, seq)
      )`);
    await q.query(
      `CREATE TRIGGER declaration_documents_keep BEFORE DELETE ON declaration_documents FOR EACH ROW EXECUTE FUNCTION refuse_delete()`,
    );
    await q.query(
      `CREATE TRIGGER declaration_document_chunks_keep BEFORE DELETE ON declaration_document_chunks FOR EACH ROW EXECUTE FUNCTION refuse_delete()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE declaration_document_chunks`);
    await q.query(`DROP TABLE declaration_documents`);
  }
}
