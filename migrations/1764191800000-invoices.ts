import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Electronic invoices (ESF) filed by brokers (issue 12), checked against the declarations that cite them. The header
 * is in columns; the lines stay one JSON array because they are only ever read whole, with their invoice, for
 * reconciliation and display. An invoice is evidence a declaration was screened against: kept, never deleted.
 * The GIN index finds the declarations that cite a number when its invoice arrives late (they are re-screened).
 */
export class Invoices1764191800000 implements MigrationInterface {
  name = 'Invoices1764191800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE invoices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization text NOT NULL,
        number text NOT NULL,
        invoice_date date NOT NULL,
        seller jsonb NOT NULL,
        buyer jsonb NOT NULL,
        currency text NOT NULL,
        lines jsonb NOT NULL,
        line_count int NOT NULL CHECK (line_count >= 1),
        total_value numeric NOT NULL,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT invoices_number_unique UNIQUE (organization, number)
      )`);
    await q.query(`CREATE INDEX invoices_by_organization ON invoices (organization, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX invoices_by_created ON invoices (created_at DESC, id DESC)`);
    await q.query(
      `CREATE TRIGGER invoices_keep BEFORE DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION refuse_delete()`,
    );
    await q.query(`CREATE INDEX declarations_by_invoice_number ON declarations USING gin ((body -> 'invoiceNumbers'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX declarations_by_invoice_number`);
    await q.query(`DROP TABLE invoices`);
  }
}
