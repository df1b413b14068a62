import type { MigrationInterface, QueryRunner } from 'typeorm';

/** API keys, the append-only hash-chained audit log, and the transactional outbox. */
export class Foundation1764190000000 implements MigrationInterface {
  name = 'Foundation1764190000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('broker', 'reviewer', 'supervisor', 'auditor', 'admin')),
        organization text NOT NULL,
        secret_hash text NOT NULL,
        secret_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        created_by uuid NULL REFERENCES api_keys(id),
        revoked_at timestamptz NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX api_keys_secret_hash ON api_keys (secret_hash)`);
    await q.query(`CREATE INDEX api_keys_created ON api_keys (created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE audit_events (
        id bigserial PRIMARY KEY,
        seq bigint NULL UNIQUE,
        occurred_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        actor jsonb NOT NULL,
        action text NOT NULL,
        subject_type text NOT NULL,
        subject_id text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        prev_hash text NULL,
        hash text NULL
      )`);
    await q.query(`CREATE INDEX audit_events_unsealed ON audit_events (id) WHERE seq IS NULL`);
    await q.query(`CREATE INDEX audit_events_occurred ON audit_events (occurred_at, seq)`);
    await q.query(`CREATE INDEX audit_events_subject ON audit_events (subject_id, seq)`);
    await q.query(`CREATE INDEX audit_events_action ON audit_events (action, seq)`);
    // Append-only: content never changes; the chain columns are written exactly once, by the sealer.
    await q.query(`
      CREATE FUNCTION audit_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE'
           AND OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL
           AND NEW.id = OLD.id AND NEW.occurred_at = OLD.occurred_at AND NEW.actor = OLD.actor
           AND NEW.action = OLD.action AND NEW.subject_type = OLD.subject_type
           AND NEW.subject_id = OLD.subject_id AND NEW.data = OLD.data THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_guard()`);
    await q.query(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_guard()`);

    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        job_name text NOT NULL,
        payload jsonb NOT NULL,
        dedupe_key text NULL UNIQUE,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'relayed', 'done', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        available_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz NULL,
        last_error text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX outbox_pending ON outbox (available_at, id) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP TRIGGER audit_events_no_truncate ON audit_events`);
    await q.query(`DROP TRIGGER audit_events_append_only ON audit_events`);
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP FUNCTION audit_events_guard()`);
    await q.query(`DROP TABLE api_keys`);
  }
}
