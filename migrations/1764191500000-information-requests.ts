import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Requests for information (issue 12): a reviewer asks the broker for something (a licence, an end-use statement) and
 * the case waits outside the queue with its SLA clock paused until the broker answers or the request times out.
 * Requests, answers and the documents an answer cites are kept like decisions: the database refuses deletes.
 */
export class InformationRequests1764191500000 implements MigrationInterface {
  name = 'InformationRequests1764191500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE review_cases DROP CONSTRAINT review_cases_status`);
    await q.query(`ALTER TABLE review_cases ADD CONSTRAINT review_cases_status
      CHECK (status IN ('open', 'held', 'escalated', 'awaiting_approval', 'information_requested', 'closed'))`);
    // When the SLA clock stopped; the deadline moves later by the paused span when the case returns to a queue.
    await q.query(`ALTER TABLE review_cases ADD COLUMN sla_paused_at timestamptz NULL`);
    await q.query(`ALTER TABLE declarations DROP CONSTRAINT declarations_status_check`);
    await q.query(`ALTER TABLE declarations ADD CONSTRAINT declarations_status_check
      CHECK (status IN ('screening', 'cleared', 'under_review', 'information_requested', 'released', 'held', 'refused'))`);
    await q.query(`ALTER TABLE case_decisions DROP CONSTRAINT case_decisions_action_check`);
    await q.query(`ALTER TABLE case_decisions ADD CONSTRAINT case_decisions_action_check
      CHECK (action IN ('release', 'hold', 'refuse', 'escalate', 'request_info'))`);

    await q.query(`
      CREATE TABLE information_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES review_cases (id),
        declaration_id uuid NOT NULL REFERENCES declarations (id),
        organization text NOT NULL,
        decision_id uuid NOT NULL REFERENCES case_decisions (id),
        message text NOT NULL,
        requested_by uuid NOT NULL,
        requested_by_person text NULL,
        requested_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        respond_by timestamptz NOT NULL,
        overdue_at timestamptz NULL,
        answered_at timestamptz NULL,
        withdrawn_at timestamptz NULL
      )`);
    // One open request per case: a second request_info while one waits is refused, and the answer finds it by case.
    await q.query(
      `CREATE UNIQUE INDEX information_requests_open ON information_requests (case_id) WHERE answered_at IS NULL AND withdrawn_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX information_requests_by_declaration ON information_requests (declaration_id, requested_at DESC)`,
    );
    await q.query(`
      CREATE TABLE information_responses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL UNIQUE REFERENCES information_requests (id),
        declaration_id uuid NOT NULL REFERENCES declarations (id),
        organization text NOT NULL,
        message text NOT NULL,
        responded_by uuid NOT NULL,
        responded_by_person text NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp())
      )`);
    await q.query(
      `CREATE INDEX information_responses_by_declaration ON information_responses (declaration_id, created_at DESC)`,
    );
    // A join table rather than an id array, so the database holds each cited document to exist.
    await q.query(`
      CREATE TABLE information_response_documents (
        response_id uuid NOT NULL REFERENCES information_responses (id),
        position int NOT NULL,
        document_id uuid NOT NULL REFERENCES declaration_documents (id),
        PRIMARY KEY (response_id, position),
        UNIQUE (response_id, document_id)
      )`);
    for (const table of ['information_requests', 'information_responses', 'information_response_documents']) {
      await q.query(
        `CREATE TRIGGER ${table}_keep BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_delete()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE information_response_documents`);
    await q.query(`DROP TABLE information_responses`);
    await q.query(`DROP TABLE information_requests`);
    await q.query(`ALTER TABLE case_decisions DROP CONSTRAINT case_decisions_action_check`);
    await q.query(
      `ALTER TABLE case_decisions ADD CONSTRAINT case_decisions_action_check CHECK (action IN ('release', 'hold', 'refuse', 'escalate'))`,
    );
    await q.query(`ALTER TABLE declarations DROP CONSTRAINT declarations_status_check`);
    await q.query(`ALTER TABLE declarations ADD CONSTRAINT declarations_status_check
      CHECK (status IN ('screening', 'cleared', 'under_review', 'released', 'held', 'refused'))`);
    await q.query(`ALTER TABLE review_cases DROP COLUMN sla_paused_at`);
    await q.query(`ALTER TABLE review_cases DROP CONSTRAINT review_cases_status`);
    await q.query(`ALTER TABLE review_cases ADD CONSTRAINT review_cases_status
      CHECK (status IN ('open', 'held', 'escalated', 'awaiting_approval', 'closed'))`);
  }
}
