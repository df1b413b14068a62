import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Webhooks (signed event notifications to customers' URLs) and their deliveries with retry state. */
export class Webhooks1764190300000 implements MigrationInterface {
  name = 'Webhooks1764190300000';

  async up(q: QueryRunner): Promise<void> {
    // Timestamps at millisecond precision, so keyset cursors (which carry milliseconds) neither skip nor repeat rows.
    await q.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization text NOT NULL,
        url text NOT NULL,
        events text[] NOT NULL CHECK (cardinality(events) > 0),
        description text NULL,
        secret text NOT NULL,
        created_by uuid NULL REFERENCES api_keys(id),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        deleted_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX webhooks_created ON webhooks (created_at DESC, id DESC) WHERE deleted_at IS NULL`);
    await q.query(
      `CREATE INDEX webhooks_by_organization ON webhooks (organization, created_at DESC, id DESC) WHERE deleted_at IS NULL`,
    );

    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        webhook_id uuid NOT NULL REFERENCES webhooks(id),
        event_id text NOT NULL,
        event_type text NOT NULL,
        subject_id text NOT NULL,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        last_status_code int NULL,
        last_error text NULL,
        next_attempt_at timestamptz NULL,
        locked_until timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        delivered_at timestamptz NULL,
        UNIQUE (webhook_id, event_id)
      )`);
    await q.query(
      `CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, created_at DESC, id DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhooks`);
  }
}
