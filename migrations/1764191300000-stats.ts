import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statistics (issue 11): daily rollups kept up to a watermark a couple of minutes behind now, and indexes that let the
 * live part (the minutes after the watermark, open cases, decisions in a range) be computed without scanning whole tables.
 *
 * A declaration is counted once, on the day it was submitted, as screened at submission: those rows never change
 * afterwards, so rolled-up counts stay true. Nothing is added to the hot write path.
 */
export class Stats1764191300000 implements MigrationInterface {
  name = 'Stats1764191300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stats_daily (
        metric text NOT NULL,
        day date NOT NULL,
        organization text NOT NULL,
        key text NOT NULL,
        label text NOT NULL DEFAULT '',
        count bigint NOT NULL,
        value numeric NOT NULL DEFAULT 0,
        PRIMARY KEY (metric, day, organization, key)
      )`);
    // A day's stats_daily rows count its declarations created before `through` (the day's end once it is complete);
    // requests compute the rest live. A day without a row here has nothing rolled up yet.
    await q.query(`
      CREATE TABLE stats_rollup_days (
        day date PRIMARY KEY,
        through timestamptz NOT NULL,
        rolled_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX review_cases_open_age ON review_cases (created_at) WHERE closed_at IS NULL`);
    // Covering: time to decision and decisions per person over a year are read from the index alone.
    await q.query(
      `CREATE INDEX review_cases_closed_at ON review_cases (closed_at) INCLUDE (created_at, organization) WHERE closed_at IS NOT NULL`,
    );
    await q.query(`CREATE INDEX case_decisions_by_time ON case_decisions (decided_at) INCLUDE (decided_by, case_id)`);
    await q.query(`CREATE INDEX allow_list_by_entry ON allow_list_entries (list_id, entry_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX allow_list_by_entry`);
    await q.query(`DROP INDEX case_decisions_by_time`);
    await q.query(`DROP INDEX review_cases_closed_at`);
    await q.query(`DROP INDEX review_cases_open_age`);
    await q.query(`DROP TABLE stats_rollup_days`);
    await q.query(`DROP TABLE stats_daily`);
  }
}
