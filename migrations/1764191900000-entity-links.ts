import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ownership and control graph of an entity list version (issue 13): FtM Ownership/Directorship/Family/Associate/
 * UnknownLink records and OFAC "Linked To:" remarks. Rows belong to one list version like its entries, so a version's
 * graph is in force exactly when its entries are; they go when the version's entries go.
 */
export class EntityLinks1764191900000 implements MigrationInterface {
  name = 'EntityLinks1764191900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE entity_links (
        version_id uuid NOT NULL REFERENCES list_versions (id) ON DELETE CASCADE,
        link_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('ownership', 'directorship', 'family', 'associate', 'unknown-link', 'linked-to')),
        from_id text NOT NULL,
        to_id text NOT NULL,
        percentage numeric(7, 4) NULL CHECK (percentage IS NULL OR (percentage > 0 AND percentage <= 100)),
        role text NULL,
        PRIMARY KEY (version_id, link_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE entity_links`);
  }
}
