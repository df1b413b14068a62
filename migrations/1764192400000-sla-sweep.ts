import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SLA escalation by a periodic sweep (issue 15) instead of one delayed `cases.escalate` job per case deadline: the
 * sweep finds the cases due through `review_cases_sla_due`, a partial index holding exactly the cases it may escalate
 * (undecided, not yet overdue, clock running), ordered by deadline; a sweep with nothing due reads one index page. It
 * takes the place of `review_cases_queue` (priority, deadline, created_at WHERE closed_at IS NULL), which no query
 * reads: claims go through review_cases_claimable and review_cases_leased, open-case counts and the delisting
 * re-screen through review_cases_open_age, and the case list in claim order through review_cases_claim_order (it lists
 * closed cases too, so the partial index cannot serve it). The table keeps nine indexes: a new case costs no more.
 * `cases.escalate` rows already in the outbox stay: their handler still runs them, and does nothing to a case the sweep
 * has escalated.
 */
export class SlaSweep1764192400000 implements MigrationInterface {
  name = 'SlaSweep1764192400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX review_cases_queue`);
    await q.query(`CREATE INDEX review_cases_sla_due ON review_cases (deadline)
      WHERE closed_at IS NULL AND NOT overdue AND sla_paused_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX review_cases_sla_due`);
    await q.query(
      `CREATE INDEX review_cases_queue ON review_cases (priority, deadline, created_at) WHERE closed_at IS NULL`,
    );
  }
}
