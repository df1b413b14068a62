import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Anchored audit: signed checkpoints of the chain head, stored verification results, a sealing function the runtime
 * role may call instead of holding UPDATE on audit_events, and the `dus_runtime` group role for the owner/runtime split.
 */
export class AuditAnchor1764191200000 implements MigrationInterface {
  name = 'AuditAnchor1764191200000';

  async up(q: QueryRunner): Promise<void> {
    // One checkpoint per chain position; signed_at is kept at millisecond precision because it is part of the signed text.
    await q.query(`
      CREATE TABLE audit_checkpoints (
        seq bigint PRIMARY KEY,
        hash text NOT NULL,
        signed_at timestamptz NOT NULL,
        key_id text NOT NULL,
        public_key text NOT NULL,
        signature text NOT NULL,
        reason text NOT NULL CHECK (reason IN ('scheduled', 'export', 'verify'))
      )`);
    await q.query(`
      CREATE TABLE audit_verifications (
        id bigserial PRIMARY KEY,
        verified_at timestamptz NOT NULL DEFAULT now(),
        full_check boolean NOT NULL,
        from_seq bigint NOT NULL,
        head_seq bigint NOT NULL,
        head_hash text NOT NULL,
        checked bigint NOT NULL,
        ok boolean NOT NULL,
        first_bad_seq bigint NULL,
        problem text NULL,
        checkpoint_seq bigint NULL
      )`);
    await q.query(`
      CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['audit_checkpoints', 'audit_verifications']) {
      await q.query(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_append_only()`,
      );
      await q.query(
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`,
      );
    }

    // The only way for the runtime role to write chain columns: runs as the owner, touches only unsealed rows, and
    // accepts only a batch that continues the current head without gaps or broken links. Hash values themselves are
    // computed by the sealer (canonical JSON is not something SQL reproduces), and verification recomputes them.
    await q.query(`
      CREATE FUNCTION audit_seal(p_ids bigint[], p_seqs bigint[], p_prevs text[], p_hashes text[]) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      DECLARE
        head_seq bigint;
        head_hash text;
        n integer := coalesce(array_length(p_ids, 1), 0);
        updated integer;
      BEGIN
        IF n = 0 THEN RETURN 0; END IF;
        IF array_length(p_seqs, 1) <> n OR array_length(p_prevs, 1) <> n OR array_length(p_hashes, 1) <> n THEN
          RAISE EXCEPTION 'audit_seal: arrays differ in length';
        END IF;
        PERFORM pg_advisory_xact_lock(72610001);
        SELECT e.seq, e.hash INTO head_seq, head_hash FROM public.audit_events e WHERE e.seq IS NOT NULL ORDER BY e.seq DESC LIMIT 1;
        IF p_seqs[1] <> coalesce(head_seq, 0) + 1 OR p_prevs[1] <> coalesce(head_hash, repeat('0', 64)) THEN
          RAISE EXCEPTION 'audit_seal: batch does not continue the chain head (seq %)', coalesce(head_seq, 0);
        END IF;
        FOR i IN 2..n LOOP
          IF p_seqs[i] <> p_seqs[i - 1] + 1 OR p_prevs[i] <> p_hashes[i - 1] THEN
            RAISE EXCEPTION 'audit_seal: batch is not a contiguous chain at seq %', p_seqs[i];
          END IF;
        END LOOP;
        UPDATE public.audit_events e SET seq = v.seq, prev_hash = v.prev, hash = v.hash
          FROM unnest(p_ids, p_seqs, p_prevs, p_hashes) AS v(id, seq, prev, hash)
          WHERE e.id = v.id AND e.seq IS NULL;
        GET DIAGNOSTICS updated = ROW_COUNT;
        IF updated <> n THEN
          RAISE EXCEPTION 'audit_seal: % of % events were not unsealed', n - updated, n;
        END IF;
        RETURN n;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION audit_seal(bigint[], bigint[], text[], text[]) FROM PUBLIC`);

    // The runtime group role. Roles are cluster-wide and need CREATEROLE: without it (a managed database, a restricted
    // owner) the split is left to the DBA and nothing else changes. An existing role is reused.
    await q.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dus_runtime') THEN
          BEGIN
            CREATE ROLE dus_runtime NOLOGIN;
          EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'dus_runtime not created: %', SQLERRM;
          END;
        END IF;
      END $$`);
    // Everything on the ordinary tables (and on tables later migrations create, by default privileges), but only
    // INSERT and SELECT on the audit tables; the owner keeps ALTER and the triggers, which a non-owner cannot disable.
    await q.query(`
      DO $$
      DECLARE s text := current_schema();
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dus_runtime') THEN RETURN; END IF;
        BEGIN
          EXECUTE format('GRANT USAGE ON SCHEMA %I TO dus_runtime', s);
          EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO dus_runtime', s);
          EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO dus_runtime', s);
          EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO dus_runtime', s);
          EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO dus_runtime', s);
          REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, audit_checkpoints, audit_verifications FROM dus_runtime;
          -- New events arrive unsealed and stamped by the database clock: chain columns and occurred_at are not insertable.
          REVOKE INSERT ON audit_events FROM dus_runtime;
          GRANT INSERT (actor, action, subject_type, subject_id, data) ON audit_events TO dus_runtime;
          IF to_regclass('schema_migrations') IS NOT NULL THEN
            REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM dus_runtime;
          END IF;
          GRANT EXECUTE ON FUNCTION audit_seal(bigint[], bigint[], text[], text[]) TO dus_runtime;
        EXCEPTION WHEN insufficient_privilege THEN
          RAISE NOTICE 'grants to dus_runtime not made: %', SQLERRM;
        END;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dus_runtime') THEN
          EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON TABLES FROM dus_runtime', current_schema());
          EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON SEQUENCES FROM dus_runtime', current_schema());
          EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM dus_runtime', current_schema());
          EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM dus_runtime', current_schema());
        END IF;
      END $$`);
    await q.query(`DROP FUNCTION audit_seal(bigint[], bigint[], text[], text[])`);
    await q.query(`DROP TABLE audit_verifications`);
    await q.query(`DROP TABLE audit_checkpoints`);
    await q.query(`DROP FUNCTION audit_append_only()`);
  }
}
