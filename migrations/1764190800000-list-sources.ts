import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where each list is fetched from (list sources) and the `held` version status: a version the shrink guard kept from
 * activating, waiting for an admin.
 */
export class ListSources1764190800000 implements MigrationInterface {
  name = 'ListSources1764190800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_versions DROP CONSTRAINT IF EXISTS list_versions_status_check`);
    await q.query(`ALTER TABLE list_versions ADD CONSTRAINT list_versions_status_check
      CHECK (status IN ('importing', 'held', 'active', 'failed', 'superseded'))`);
    await q.query(`
      CREATE TABLE list_sources (
        list_id text PRIMARY KEY REFERENCES lists(id),
        format text NOT NULL,
        urls jsonb NOT NULL,
        refresh_minutes int NOT NULL DEFAULT 60 CHECK (refresh_minutes > 0),
        enabled boolean NOT NULL DEFAULT true,
        origin text NOT NULL DEFAULT 'admin' CHECK (origin IN ('admin', 'shipped')),
        status text NOT NULL DEFAULT 'never' CHECK (status IN ('never', 'ok', 'stale')),
        last_outcome text NULL,
        last_checked_at timestamptz NULL,
        last_changed_at timestamptz NULL,
        last_error text NULL,
        last_version_id uuid NULL REFERENCES list_versions(id),
        next_check_at timestamptz NOT NULL DEFAULT now(),
        validators jsonb NOT NULL DEFAULT '{}'::jsonb,
        fetching_until timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX list_sources_due ON list_sources (next_check_at) WHERE enabled`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE list_sources`);
    await q.query(`ALTER TABLE list_versions DROP CONSTRAINT list_versions_status_check`);
    await q.query(`ALTER TABLE list_versions ADD CONSTRAINT list_versions_status_check
      CHECK (status IN ('importing', 'active', 'failed', 'superseded'))`);
  }
}
