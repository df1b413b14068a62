import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What the job relay must remember across processes: the run id of the Redis it relays to. */
export class JobBackendState1764190500000 implements MigrationInterface {
  name = 'JobBackendState1764190500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE job_backend_state (key text PRIMARY KEY, value text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE job_backend_state`);
  }
}
