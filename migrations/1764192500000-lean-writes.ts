import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Less work for PostgreSQL on every submission (issue 15):
 * - The two search tables' foreign keys to declarations go. Each was a referential-integrity check per inserted row
 *   (six per declaration of five parties: one for its declaration_search row, one per party name), yet the writer
 *   inserts these rows in the same statement as their declaration, from its id, and a declaration is never deleted
 *   (the `declarations_keep` triggers refuse DELETE and TRUNCATE): the checks could not fail.
 * - `idempotency_keys_age` goes: no statement reads idempotency keys by age (they are read by organisation and key,
 *   the primary key), so it was one more index entry written per submission for nothing.
 */
export class LeanWrites1764192500000 implements MigrationInterface {
  name = 'LeanWrites1764192500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE declaration_search DROP CONSTRAINT declaration_search_declaration_id_fkey`);
    await q.query(`ALTER TABLE declaration_party_names DROP CONSTRAINT declaration_party_names_declaration_id_fkey`);
    await q.query(`DROP INDEX idempotency_keys_age`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at)`);
    await q.query(
      `ALTER TABLE declaration_party_names ADD CONSTRAINT declaration_party_names_declaration_id_fkey FOREIGN KEY (declaration_id) REFERENCES declarations (id)`,
    );
    await q.query(
      `ALTER TABLE declaration_search ADD CONSTRAINT declaration_search_declaration_id_fkey FOREIGN KEY (declaration_id) REFERENCES declarations (id)`,
    );
  }
}
