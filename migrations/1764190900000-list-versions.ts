import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * List versions an admin activates by hand: status `held` (a version the shrink guard kept from going live). The
 * status constraint is replaced, not edited in place, so running this after another migration that also adds `held`
 * leaves the same constraint.
 */
export class ListVersions1764190900000 implements MigrationInterface {
  name = 'ListVersions1764190900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_versions DROP CONSTRAINT IF EXISTS list_versions_status_check`);
    await q.query(`ALTER TABLE list_versions ADD CONSTRAINT list_versions_status_check
      CHECK (status IN ('importing', 'held', 'active', 'failed', 'superseded'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_versions DROP CONSTRAINT list_versions_status_check`);
    await q.query(`ALTER TABLE list_versions ADD CONSTRAINT list_versions_status_check
      CHECK (status IN ('importing', 'active', 'failed', 'superseded'))`);
  }
}
