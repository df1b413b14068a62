import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Less work for PostgreSQL on every submission (issue 15):
 * - The two search tables' foreign keys to declarations go. Each was a referential-integrity check per inserted row
 *   (six per declaration of five parties: one for its declaration_search row, one per party name), yet the writer
 *   inserts these rows in the same statement as their declaration, from its id, and a declaration is never deleted
 *   (the `declarations_keep` triggers refuse DELETE and TRUNCATE): the checks could not fail.
 * - `idempotency_keys_age` goes: no statement reads idempotency keys by age (they are read by organisation and key,
 *   the primary key), so it was one more index entry written per submission for nothing.
 * - The large JSON values a submission writes (declaration body, screening hits, the stored idempotent answer, audit
 *   data, search keys) are compressed with lz4 instead of pglz: pglz_compress was the largest single function in
 *   the PostgreSQL backends' profile under bench:submit (7% of their CPU). Only values written from now on change;
 *   older ones stay readable as they are. A server built without lz4 (the embedded PGlite) keeps pglz.
 */
/** The columns whose values a submission writes large enough to be compressed. */
const COMPRESSED: ReadonlyArray<readonly [string, string]> = [
  ['declarations', 'body'],
  ['screenings', 'hits'],
  ['idempotency_keys', 'response_body'],
  ['audit_events', 'data'],
  ['declaration_search', 'keys'],
  ['declaration_search', 'names'],
];

export class LeanWrites1764192500000 implements MigrationInterface {
  name = 'LeanWrites1764192500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE declaration_search DROP CONSTRAINT declaration_search_declaration_id_fkey`);
    await q.query(`ALTER TABLE declaration_party_names DROP CONSTRAINT declaration_party_names_declaration_id_fkey`);
    await q.query(`DROP INDEX idempotency_keys_age`);
    await this.compression(q, 'lz4');
  }

  private async compression(q: QueryRunner, method: 'lz4' | 'pglz'): Promise<void> {
    const columns = COMPRESSED.map(
      ([table, column]) => `ALTER TABLE ${table} ALTER COLUMN ${column} SET COMPRESSION ${method};`,
    );
    await q.query(`
      DO $$
      BEGIN
        ${columns.join('\n        ')}
      EXCEPTION WHEN feature_not_supported THEN
        RAISE NOTICE 'compression % not available on this server: %', '${method}', SQLERRM;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await this.compression(q, 'pglz');
    await q.query(`CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at)`);
    await q.query(
      `ALTER TABLE declaration_party_names ADD CONSTRAINT declaration_party_names_declaration_id_fkey FOREIGN KEY (declaration_id) REFERENCES declarations (id)`,
    );
    await q.query(
      `ALTER TABLE declaration_search ADD CONSTRAINT declaration_search_declaration_id_fkey FOREIGN KEY (declaration_id) REFERENCES declarations (id)`,
    );
  }
}
