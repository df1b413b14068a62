import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The review workflow: case claims and decisions (four-eyes approvals), the false-positive allow-list, and delta
 * re-screening runs. review_cases itself landed with the declarations; it gains its workflow columns here.
 */
export class Review1764190400000 implements MigrationInterface {
  name = 'Review1764190400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE review_cases
        ADD COLUMN claimed_at timestamptz NULL,
        ADD COLUMN escalated_at timestamptz NULL,
        ADD COLUMN resolution text NULL CHECK (resolution IN ('released', 'refused')),
        ADD COLUMN pending_decision_id uuid NULL`);
    await q.query(`ALTER TABLE review_cases ADD CONSTRAINT review_cases_status
      CHECK (status IN ('open', 'held', 'escalated', 'awaiting_approval', 'closed'))`);
    // Claim takes the most urgent case nobody holds; cases with a lease are found by their expiry instead.
    await q.query(`CREATE INDEX review_cases_claimable ON review_cases (priority, deadline, created_at, id)
      WHERE closed_at IS NULL AND assignee_key_id IS NULL`);
    await q.query(`CREATE INDEX review_cases_leased ON review_cases (lease_expires_at)
      WHERE closed_at IS NULL AND assignee_key_id IS NOT NULL`);
    await q.query(`CREATE INDEX review_cases_claim_order ON review_cases (priority, deadline, created_at, id)`);

    await q.query(`
      CREATE TABLE case_decisions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES review_cases(id),
        declaration_id uuid NOT NULL REFERENCES declarations(id),
        screening_id uuid NULL REFERENCES screenings(id),
        action text NOT NULL CHECK (action IN ('release', 'hold', 'refuse', 'escalate')),
        level text NOT NULL CHECK (level IN ('REVIEW', 'BLOCK')),
        reason text NOT NULL,
        false_positive_hit_ids text[] NOT NULL DEFAULT '{}',
        decided_by uuid NOT NULL,
        decided_by_role text NOT NULL,
        decided_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        approval text NOT NULL CHECK (approval IN ('not_required', 'pending', 'approved', 'rejected')),
        approved_by uuid NULL,
        approval_reason text NULL,
        approved_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX case_decisions_by_case ON case_decisions (case_id, decided_at DESC)`);
    await q.query(
      `CREATE TRIGGER case_decisions_keep BEFORE DELETE ON case_decisions FOR EACH ROW EXECUTE FUNCTION refuse_delete()`,
    );
    await q.query(`ALTER TABLE review_cases ADD CONSTRAINT review_cases_pending_decision
      FOREIGN KEY (pending_decision_id) REFERENCES case_decisions(id)`);

    await q.query(`
      CREATE TABLE allow_list_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        party_fingerprint text NOT NULL,
        list_id text NOT NULL,
        entry_id text NOT NULL,
        entry_hash text NOT NULL,
        party jsonb NOT NULL,
        matched_name text NULL,
        hit_id text NOT NULL,
        case_id uuid NULL REFERENCES review_cases(id),
        declaration_id uuid NULL REFERENCES declarations(id),
        decision_id uuid NULL REFERENCES case_decisions(id),
        reason text NOT NULL,
        created_by uuid NULL,
        created_by_role text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz NULL,
        revoked_by uuid NULL
      )`);
    await q.query(`CREATE INDEX allow_list_active ON allow_list_entries (party_fingerprint) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX allow_list_created ON allow_list_entries (created_at DESC, id DESC)`);
    // A mark is revoked, never deleted: the screenings it suppressed must stay explainable.
    await q.query(
      `CREATE TRIGGER allow_list_entries_keep BEFORE DELETE ON allow_list_entries FOR EACH ROW EXECUTE FUNCTION refuse_delete()`,
    );

    await q.query(`
      CREATE TABLE rescreen_runs (
        version_id uuid PRIMARY KEY REFERENCES list_versions(id),
        list_id text NOT NULL,
        previous_version_id uuid NULL REFERENCES list_versions(id),
        status text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed')),
        cleared_since timestamptz NULL,
        delta_entries int NULL,
        candidates int NULL,
        processed int NOT NULL DEFAULT 0,
        flagged int NOT NULL DEFAULT 0,
        cursor uuid NULL,
        error text NULL,
        locked_until timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz NULL,
        finished_at timestamptz NULL
      )`);
    // The candidate set is fixed when a run starts, so progress counts against a stable total across retries.
    await q.query(`
      CREATE TABLE rescreen_candidates (
        version_id uuid NOT NULL REFERENCES rescreen_runs(version_id),
        declaration_id uuid NOT NULL,
        PRIMARY KEY (version_id, declaration_id)
      )`);
    // One row per declaration a run re-screened in full: a repeated job never records it twice.
    await q.query(`
      CREATE TABLE rescreen_flags (
        version_id uuid NOT NULL REFERENCES rescreen_runs(version_id),
        declaration_id uuid NOT NULL REFERENCES declarations(id),
        screening_id uuid NOT NULL REFERENCES screenings(id),
        PRIMARY KEY (version_id, declaration_id)
      )`);

    // Cases opened before this migration get their SLA escalation job like every new one.
    await q.query(`
      INSERT INTO outbox (job_name, payload, dedupe_key, available_at)
      SELECT 'cases.escalate',
             jsonb_build_object('caseId', id, 'deadline', to_char(deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
             'cases.escalate:' || id || ':' || to_char(deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             deadline
      FROM review_cases WHERE closed_at IS NULL AND NOT overdue
      ON CONFLICT (dedupe_key) DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rescreen_flags`);
    await q.query(`DROP TABLE rescreen_candidates`);
    await q.query(`DROP TABLE rescreen_runs`);
    await q.query(`DROP TABLE allow_list_entries`);
    await q.query(`ALTER TABLE review_cases DROP CONSTRAINT review_cases_pending_decision`);
    await q.query(`DROP TABLE case_decisions`);
    await q.query(`DROP INDEX review_cases_claim_order`);
    await q.query(`DROP INDEX review_cases_leased`);
    await q.query(`DROP INDEX review_cases_claimable`);
    await q.query(`ALTER TABLE review_cases DROP CONSTRAINT review_cases_status`);
    await q.query(
      `ALTER TABLE review_cases DROP COLUMN pending_decision_id, DROP COLUMN resolution, DROP COLUMN escalated_at, DROP COLUMN claimed_at`,
    );
  }
}
