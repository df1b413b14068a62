import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Job ids that no other database (or a restored copy of this one) can have produced: the relay gives each outbox row a
 * random uuid when it first sends it, and BullMQ keys the job by it. Rows relayed before this migration keep their old
 * id `o<outbox id>` (job_id NULL). Batches get the reason they failed.
 */
export class JobReliability1764190700000 implements MigrationInterface {
  name = 'JobReliability1764190700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN job_id uuid NULL`);
    await q.query(`CREATE UNIQUE INDEX outbox_job_id ON outbox (job_id) WHERE job_id IS NOT NULL`);
    await q.query(`ALTER TABLE batches ADD COLUMN error text NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE batches DROP COLUMN error`);
    await q.query(`DROP INDEX outbox_job_id`);
    await q.query(`ALTER TABLE outbox DROP COLUMN job_id`);
  }
}
