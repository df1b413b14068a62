import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Declarations, their screenings, review cases, idempotency keys and batches. */
export class Declarations1764190200000 implements MigrationInterface {
  name = 'Declarations1764190200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE declarations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization text NOT NULL,
        reference text NOT NULL,
        procedure text NOT NULL CHECK (procedure IN ('import', 'export', 'transit')),
        body jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('screening', 'cleared', 'under_review', 'released', 'held', 'refused')),
        outcome text NULL CHECK (outcome IN ('CLEAR', 'REVIEW', 'BLOCK')),
        risk_score int NULL,
        latest_screening_id uuid NULL,
        batch_id uuid NULL,
        submitted_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT declarations_reference_unique UNIQUE (organization, reference)
      )`);
    await q.query(`CREATE INDEX declarations_by_org ON declarations (organization, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX declarations_by_time ON declarations (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX declarations_by_status ON declarations (status, updated_at DESC)`);
    // Decisions are kept at least ten years (OFAC record keeping since 2025): the database refuses deleting them.
    await q.query(`
      CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% rows are kept for at least ten years: DELETE refused', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER declarations_keep BEFORE DELETE ON declarations FOR EACH ROW EXECUTE FUNCTION refuse_delete()`,
    );
    await q.query(
      `CREATE TRIGGER declarations_keep_truncate BEFORE TRUNCATE ON declarations FOR EACH STATEMENT EXECUTE FUNCTION refuse_delete()`,
    );

    await q.query(`
      CREATE TABLE screenings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        declaration_id uuid NOT NULL REFERENCES declarations(id),
        trigger text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('CLEAR', 'REVIEW', 'BLOCK')),
        risk_score int NOT NULL,
        hits jsonb NOT NULL,
        list_versions jsonb NOT NULL,
        ruleset_version text NOT NULL,
        screened_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX screenings_by_declaration ON screenings (declaration_id, screened_at DESC)`);
    await q.query(
      `CREATE TRIGGER screenings_keep BEFORE DELETE ON screenings FOR EACH ROW EXECUTE FUNCTION refuse_delete()`,
    );
    await q.query(
      `CREATE TRIGGER screenings_keep_truncate BEFORE TRUNCATE ON screenings FOR EACH STATEMENT EXECUTE FUNCTION refuse_delete()`,
    );
    await q.query(
      `ALTER TABLE declarations ADD CONSTRAINT declarations_latest_screening FOREIGN KEY (latest_screening_id) REFERENCES screenings(id)`,
    );

    await q.query(`
      CREATE TABLE review_cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        declaration_id uuid NOT NULL UNIQUE REFERENCES declarations(id),
        organization text NOT NULL,
        status text NOT NULL,
        level text NOT NULL CHECK (level IN ('REVIEW', 'BLOCK')),
        priority int NOT NULL CHECK (priority BETWEEN 1 AND 4),
        risk_score int NOT NULL,
        deadline timestamptz NOT NULL,
        assignee_key_id uuid NULL,
        lease_expires_at timestamptz NULL,
        overdue boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz NULL
      )`);
    await q.query(
      `CREATE INDEX review_cases_queue ON review_cases (priority, deadline, created_at) WHERE closed_at IS NULL`,
    );
    await q.query(`CREATE INDEX review_cases_by_time ON review_cases (created_at DESC, id DESC)`);
    await q.query(
      `CREATE TRIGGER review_cases_keep BEFORE DELETE ON review_cases FOR EACH ROW EXECUTE FUNCTION refuse_delete()`,
    );

    await q.query(`
      CREATE TABLE idempotency_keys (
        organization text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status text NOT NULL CHECK (status IN ('in_flight', 'done')),
        response_status int NULL,
        response_body jsonb NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at)`);

    await q.query(`
      CREATE TABLE batches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization text NOT NULL,
        status text NOT NULL CHECK (status IN ('queued', 'processing', 'completed', 'failed')),
        total int NOT NULL,
        processed int NOT NULL DEFAULT 0,
        submitted_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz NULL
      )`);
    await q.query(`
      CREATE TABLE batch_items (
        batch_id uuid NOT NULL REFERENCES batches(id),
        idx int NOT NULL,
        body jsonb NOT NULL,
        declaration_id uuid NULL REFERENCES declarations(id),
        error jsonb NULL,
        PRIMARY KEY (batch_id, idx)
      )`);
    await q.query(
      `CREATE INDEX batch_items_pending ON batch_items (batch_id, idx) WHERE declaration_id IS NULL AND error IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE batch_items`);
    await q.query(`DROP TABLE batches`);
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE review_cases`);
    await q.query(`ALTER TABLE declarations DROP CONSTRAINT declarations_latest_screening`);
    await q.query(`DROP TABLE screenings`);
    await q.query(`DROP TABLE declarations`);
    await q.query(`DROP FUNCTION refuse_delete()`);
  }
}
