import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Reference lists (goods and entities), their versions, the uploaded files and the parsed entries. */
export class Lists1764190100000 implements MigrationInterface {
  name = 'Lists1764190100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE lists (
        id text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('goods', 'entities')),
        name text NOT NULL,
        active_version_id uuid NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE list_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        list_id text NOT NULL REFERENCES lists(id),
        status text NOT NULL CHECK (status IN ('importing', 'active', 'failed', 'superseded')),
        format text NOT NULL,
        sha256 text NOT NULL,
        entry_count int NULL,
        duplicate_count int NOT NULL DEFAULT 0,
        error text NULL,
        source text NOT NULL DEFAULT 'upload',
        imported_by jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz NULL,
        superseded_at timestamptz NULL,
        finished_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX list_versions_by_list ON list_versions (list_id, created_at DESC)`);
    await q.query(
      `ALTER TABLE lists ADD CONSTRAINT lists_active_version FOREIGN KEY (active_version_id) REFERENCES list_versions(id)`,
    );
    await q.query(`
      CREATE TABLE list_version_parts (
        version_id uuid NOT NULL REFERENCES list_versions(id),
        part text NOT NULL,
        content bytea NOT NULL,
        sha256 text NOT NULL,
        PRIMARY KEY (version_id, part)
      )`);
    await q.query(`
      CREATE TABLE entity_entries (
        version_id uuid NOT NULL REFERENCES list_versions(id),
        entry_id text NOT NULL,
        entry jsonb NOT NULL,
        content_hash text NOT NULL,
        PRIMARY KEY (version_id, entry_id)
      )`);
    await q.query(`
      CREATE TABLE goods_entries (
        version_id uuid NOT NULL REFERENCES list_versions(id),
        prefix text NOT NULL CHECK (prefix ~ '^[0-9]{2,10}$'),
        severity text NOT NULL CHECK (severity IN ('high', 'medium', 'low')),
        label text NOT NULL,
        source text NULL,
        PRIMARY KEY (version_id, prefix)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE goods_entries`);
    await q.query(`DROP TABLE entity_entries`);
    await q.query(`DROP TABLE list_version_parts`);
    await q.query(`ALTER TABLE lists DROP CONSTRAINT lists_active_version`);
    await q.query(`DROP TABLE list_versions`);
    await q.query(`DROP TABLE lists`);
  }
}
