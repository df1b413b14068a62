import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The licence and permit registry (issue 12) and the drawdowns that final releases make against it. Licences are the
 * authority's registry, not one organisation's: any declaration may cite one by number, so numbers are unique across
 * the whole registry (compared trimmed and case-insensitively, as brokers type them). Drawdowns are kept like
 * decisions: the database refuses deletes, and a declaration line draws on a licence at most once.
 */
export class Licences1764191700000 implements MigrationInterface {
  name = 'Licences1764191700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE licences (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number text NOT NULL,
        holder jsonb NOT NULL,
        hs_prefixes text[] NOT NULL,
        destination_countries text[] NOT NULL,
        valid_from date NOT NULL,
        valid_to date NOT NULL CHECK (valid_to >= valid_from),
        limit_kind text NULL CHECK (limit_kind IN ('quantity', 'value')),
        limit_amount numeric NULL CHECK (limit_amount > 0),
        limit_unit text NULL,
        notes text NULL,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz NULL,
        revoked_by uuid NULL,
        revoke_reason text NULL,
        CHECK ((limit_kind IS NULL) = (limit_amount IS NULL) AND (limit_kind IS NULL) = (limit_unit IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX licences_number_unique ON licences (upper(number))`);
    await q.query(`CREATE INDEX licences_by_created ON licences (created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE licence_drawdowns (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        licence_id uuid NOT NULL REFERENCES licences (id),
        declaration_id uuid NOT NULL REFERENCES declarations (id),
        line_no int NOT NULL,
        quantity numeric NULL,
        unit text NULL,
        value_amount numeric NOT NULL,
        value_currency text NOT NULL,
        amount numeric NULL,
        exceeded boolean NOT NULL DEFAULT false,
        trigger text NOT NULL CHECK (trigger IN ('decision', 'clearance')),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (licence_id, declaration_id, line_no)
      )`);
    await q.query(`CREATE INDEX licence_drawdowns_by_declaration ON licence_drawdowns (declaration_id)`);
    await q.query(
      `CREATE TRIGGER licence_drawdowns_keep BEFORE DELETE ON licence_drawdowns FOR EACH ROW EXECUTE FUNCTION refuse_delete()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE licence_drawdowns`);
    await q.query(`DROP TABLE licences`);
  }
}
