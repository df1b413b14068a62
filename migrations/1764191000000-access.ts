import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People, not keys: API keys name the person who holds them (four-eyes compares persons), may expire, and remember when
 * they were last used (coarsely). Decisions record the persons who decided and approved. False-positive marks are scoped
 * to an organisation (or `all`, when a supervisor approved that); existing marks keep to their source declaration's.
 */
export class Access1764191000000 implements MigrationInterface {
  name = 'Access1764191000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE api_keys
        ADD COLUMN person text NULL,
        ADD COLUMN expires_at timestamptz NULL,
        ADD COLUMN last_used_at timestamptz NULL,
        ADD COLUMN bootstrap boolean NOT NULL DEFAULT false`);
    // The key the service made from BOOTSTRAP_ADMIN_KEY: created by nobody, under its fixed name.
    await q.query(
      `UPDATE api_keys SET bootstrap = true, person = 'bootstrap-admin' WHERE created_by IS NULL AND name = 'bootstrap admin' AND role = 'admin'`,
    );
    // Nobody knows who held older keys: each becomes a person of its own, so four-eyes stays at least as strict as before.
    await q.query(
      `UPDATE api_keys SET person = 'key:' || id WHERE person IS NULL AND role IN ('reviewer', 'supervisor', 'admin')`,
    );
    await q.query(`ALTER TABLE api_keys ADD CONSTRAINT api_keys_person_required
      CHECK (person IS NOT NULL OR role NOT IN ('reviewer', 'supervisor', 'admin'))`);
    await q.query(`CREATE INDEX api_keys_person ON api_keys (person) WHERE revoked_at IS NULL`);

    await q.query(`
      ALTER TABLE case_decisions
        ADD COLUMN decided_by_person text NULL,
        ADD COLUMN approved_by_person text NULL,
        ADD COLUMN false_positive_scope text NOT NULL DEFAULT 'organization' CHECK (false_positive_scope IN ('organization', 'all'))`);
    await q.query(`UPDATE case_decisions x SET decided_by_person = k.person FROM api_keys k WHERE k.id = x.decided_by`);
    await q.query(
      `UPDATE case_decisions x SET approved_by_person = k.person FROM api_keys k WHERE k.id = x.approved_by`,
    );
    // outdated: the screening the decision was made on was replaced before the approval; the case went back to the queue.
    await q.query(`ALTER TABLE case_decisions DROP CONSTRAINT case_decisions_approval_check`);
    await q.query(`ALTER TABLE case_decisions ADD CONSTRAINT case_decisions_approval_check
      CHECK (approval IN ('not_required', 'pending', 'approved', 'rejected', 'outdated'))`);

    await q.query(`ALTER TABLE allow_list_entries ADD COLUMN scope text NULL`);
    await q.query(
      `UPDATE allow_list_entries a SET scope = d.organization FROM declarations d WHERE d.id = a.declaration_id`,
    );
    // A mark without a source declaration cannot be traced to an organisation: it applies nowhere rather than everywhere.
    await q.query(`UPDATE allow_list_entries SET scope = 'unknown' WHERE scope IS NULL`);
    await q.query(`ALTER TABLE allow_list_entries ALTER COLUMN scope SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE allow_list_entries DROP COLUMN scope`);
    await q.query(`ALTER TABLE case_decisions DROP CONSTRAINT case_decisions_approval_check`);
    await q.query(`ALTER TABLE case_decisions ADD CONSTRAINT case_decisions_approval_check
      CHECK (approval IN ('not_required', 'pending', 'approved', 'rejected'))`);
    await q.query(
      `ALTER TABLE case_decisions DROP COLUMN false_positive_scope, DROP COLUMN approved_by_person, DROP COLUMN decided_by_person`,
    );
    await q.query(`DROP INDEX api_keys_person`);
    await q.query(`ALTER TABLE api_keys DROP CONSTRAINT api_keys_person_required`);
    await q.query(
      `ALTER TABLE api_keys DROP COLUMN bootstrap, DROP COLUMN last_used_at, DROP COLUMN expires_at, DROP COLUMN person`,
    );
  }
}
